import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { isAmmError } from '@snear/amm-math';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { AppContext } from './context';
import { ApiError, errorBodySchema, validationError } from './errors';
import { Metrics } from './metrics';
import { apiErrorFromAmm, QuoteCache } from './quotes';
import { docsRoutes } from './routes/docs';
import { feeCurveRoutes } from './routes/fee-curve';
import { metricsRoutes } from './routes/metrics';
import { PUBLIC_DIR, pageRoutes } from './routes/page';
import { quoteRoutes } from './routes/quotes';
import { stateRoutes } from './routes/state';
import { stateBodySchema } from './routes/state-body';
import { streamRoutes } from './routes/stream';
import { Freshness } from './state/freshness';
import type { StateSource } from './state/source';

/** Everything `buildApp` needs; only `source` is required. */
export interface AppOptions {
  /** Where chain state comes from (NearStateSource, or FakeStateSource in tests). */
  source: StateSource;
  /** Serve the last state for at most this long after the chain last confirmed it (ms). */
  maxStaleMs?: number;
  /** Quotes memoised per block (0 disables). */
  quoteCacheEntries?: number;
  /** Requests per client per window, or false to disable. */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  /** Allowed CORS origins (default: any). */
  corsOrigin?: string | string[] | boolean;
  /** Fastify logger setting: false, true, pino options or a pino instance. */
  logger?: FastifyServerOptions['logger'];
  /** Typical epoch duration, for delayed-unstake estimates (default 12 h, mainnet). */
  epochDurationMs?: number;
  sseHeartbeatMs?: number;
  /** Start the source when the app is ready and stop it on close (default true). */
  manageSource?: boolean;
  publicDir?: string;
  now?: () => number;
}

/** Defaults documented in the README and `server.ts --help`. */
export const APP_DEFAULTS = {
  maxStaleMs: 60_000,
  quoteCacheEntries: 10_000,
  rateLimit: { max: 1200, timeWindowMs: 60_000 },
  epochDurationMs: 12 * 3600 * 1000,
  sseHeartbeatMs: 15_000,
} as const;

/** Builds the quote API (not listening): plugins for state, quotes, curve, stream, ops, docs, page. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { allErrors: false } },
  });
  const ctx: AppContext = {
    source: options.source,
    freshness: new Freshness(options.source, options.maxStaleMs ?? APP_DEFAULTS.maxStaleMs, now),
    quoteCache: new QuoteCache(options.quoteCacheEntries ?? APP_DEFAULTS.quoteCacheEntries),
    metrics: new Metrics(),
    now,
    epochDurationMs: options.epochDurationMs ?? APP_DEFAULTS.epochDurationMs,
    sseHeartbeatMs: options.sseHeartbeatMs ?? APP_DEFAULTS.sseHeartbeatMs,
  };

  app.addSchema(errorBodySchema);
  app.addSchema(stateBodySchema);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      code: 'NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`,
    });
  });
  // callback style: no promise per request on the hot path
  app.addHook('onResponse', (request, reply, done) => {
    ctx.metrics.observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime,
    );
    done();
  });
  if (options.manageSource ?? true) {
    app.addHook('onReady', async () => options.source.start());
    app.addHook('onClose', async () => options.source.stop());
  }

  await app.register(cors, { origin: options.corsOrigin ?? true });
  const limit = options.rateLimit ?? APP_DEFAULTS.rateLimit;
  if (limit) {
    await app.register(rateLimit, {
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          429,
          'RATE_LIMITED',
          `Rate limit of ${context.max} requests per ${context.after} reached; retry after ${context.after}.`,
        ),
    });
  }
  await app.register(swagger, {
    // name shared schemas by their $id (ErrorBody, StateBody) instead of def-0, def-1
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
    openapi: {
      info: {
        title: 'sNEAR quote API',
        version: '0.1.0',
        description:
          'Exact quotes (yocto decimal strings) for the sNEAR metapool and its instant-exit pool, computed by @snear/amm-math from the last final block.',
      },
      tags: [
        { name: 'quotes', description: 'Prices, to the yocto' },
        { name: 'state', description: 'Chain state' },
        { name: 'ops', description: 'Operations' },
      ],
    },
  });
  await app.register(docsRoutes);

  await app.register(stateRoutes, { ctx });
  await app.register(quoteRoutes, { ctx });
  await app.register(feeCurveRoutes, { ctx });
  await app.register(streamRoutes, { ctx });
  await app.register(metricsRoutes, { ctx });
  await app.register(pageRoutes, { publicDir: options.publicDir ?? PUBLIC_DIR });
  return app;
}

/** Maps every failure to `{ code, message }`: 4xx for what a client sent, 5xx only for our side. */
function errorHandler(
  this: FastifyInstance,
  error: FastifyError | ApiError,
  request: import('fastify').FastifyRequest,
  reply: import('fastify').FastifyReply,
): void {
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else if ((error as FastifyError).validation) {
    const fe = error as FastifyError;
    apiError = validationError(fe.validation ?? [], fe.validationContext);
  } else if (isAmmError(error)) {
    apiError = apiErrorFromAmm(error) as ApiError;
  } else {
    apiError = fromFastifyError(error as FastifyError);
  }
  if (apiError.statusCode >= 500) {
    request.log.error({ err: error }, 'request failed');
  }
  if (apiError.statusCode === 429 || apiError.statusCode === 503) {
    // tell clients when to come back
    if (!reply.hasHeader('retry-after')) reply.header('retry-after', '2');
  }
  reply.code(apiError.statusCode).send({
    code: apiError.code,
    message: apiError.message,
    ...apiError.fields,
  });
}

// Fastify's own client errors (bad JSON, wrong content type, body too large) keep their status.
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Send the body as JSON with Content-Type: application/json.',
  ],
  FST_ERR_CTP_BODY_TOO_LARGE: [
    413,
    'PAYLOAD_TOO_LARGE',
    'The body is over 256 KiB; send at most 100 quotes per batch.',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', 'The body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', 'The body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'INVALID_REQUEST',
    'Content-Length does not match the body.',
  ],
};

function fromFastifyError(error: FastifyError): ApiError {
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return new ApiError(known[0], known[1], known[2]);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // e.g. JSON syntax errors (SyntaxError with statusCode 400) and other client-side failures
    const code = error instanceof SyntaxError ? 'INVALID_JSON' : 'INVALID_REQUEST';
    return new ApiError(status, code, `${error.message}`.trim() || 'The request is malformed.');
  }
  return new ApiError(500, 'INTERNAL_ERROR', 'Unexpected server error; it has been logged.');
}
