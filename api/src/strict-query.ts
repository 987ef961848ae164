import type { FastifyInstance, RouteOptions } from 'fastify';

/** Decimal digits of a non-negative integer, no sign, no leading zeros, no exponent. */
const DECIMAL_INTEGER = /^(0|[1-9][0-9]{0,15})$/;

interface ObjectSchema {
  properties?: Record<string, { type?: string }>;
}

/**
 * Query strings arrive as text, and the app's validator does not coerce types (ajv's coercion
 * reads "0x10" and "1e1" as numbers). This turns decimal digits into numbers for the integer
 * parameters of each route's querystring schema before validation; anything else stays text,
 * which the schema then refuses with a 400 naming the parameter.
 */
export function installStrictQuery(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    // an API route without query parameters refuses any (a typo must not pass unnoticed)
    if (route.url.startsWith('/v1/') && route.schema?.querystring === undefined) {
      route.schema = {
        ...route.schema,
        querystring: { type: 'object', properties: {}, additionalProperties: false },
      };
    }
    const schema = route.schema?.querystring as ObjectSchema | undefined;
    const integers = Object.entries(schema?.properties ?? {})
      .filter(([, p]) => p.type === 'integer')
      .map(([name]) => name);
    if (integers.length === 0) return;
    const hook = (
      request: { query: unknown },
      _reply: unknown,
      done: (error?: Error) => void,
    ): void => {
      const query = request.query as Record<string, unknown>;
      for (const name of integers) {
        const value = query[name];
        if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) query[name] = Number(value);
      }
      done();
    };
    const existing = route.preValidation;
    route.preValidation = existing === undefined ? [hook] : [hook, ...[existing].flat()];
  });
}
