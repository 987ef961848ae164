import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from '../context';
import { ApiError, commonErrorResponses } from '../errors';
import { stateBody, stateCacheHeaders } from './state-body';

/** GET /v1/state, /health and /ready. */
export async function stateRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get(
    '/v1/state',
    {
      schema: {
        summary: 'Pool and metapool state, with its block height and age',
        tags: ['state'],
        response: { 200: { $ref: 'StateBody#' }, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const served = ctx.freshness.require();
      if (stateCacheHeaders(request, reply, served)) return reply.send();
      return stateBody(served, ctx.epochDurationMs);
    },
  );

  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'The process is alive',
        tags: ['ops'],
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, uptime_s: { type: 'number' } },
            required: ['status', 'uptime_s'],
          },
        },
      },
    },
    async () => ({ status: 'ok', uptime_s: Math.round(process.uptime()) }),
  );

  app.get(
    '/ready',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Ready to serve quotes: the chain is reachable and the state fresh',
        tags: ['ops'],
        response: {
          200: {
            type: 'object',
            properties: {
              ready: { type: 'boolean' },
              block_height: { type: 'integer' },
              state_age_ms: { type: 'integer' },
              source: { type: 'string', description: 'contract and RPC host (never its key)' },
            },
            required: ['ready', 'block_height', 'state_age_ms', 'source'],
          },
          503: { $ref: 'ErrorBody#' },
        },
      },
    },
    async () => {
      const served = ctx.freshness.require();
      if (!served.rpcOk) {
        const lastError = ctx.source.status().lastError;
        throw new ApiError(
          503,
          'RPC_UNREACHABLE',
          `The chain RPC (${ctx.source.description}) is failing: ${lastError}. Quotes still use block ${served.snapshot.blockHeight} until it is too old.`,
          { block_height: served.snapshot.blockHeight, age_ms: served.ageMs },
        );
      }
      return {
        ready: true,
        block_height: served.snapshot.blockHeight,
        state_age_ms: served.ageMs,
        source: ctx.source.description,
      };
    },
  );
}
