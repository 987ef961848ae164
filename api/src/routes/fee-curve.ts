import { feeCurvePoints, marginalFeeBps, maxSellableSnear } from '@snear/amm-math';
import type { FastifyInstance } from 'fastify';
import { requireIntegerIn } from '../amounts';
import type { RouteOptions } from '../context';
import { commonErrorResponses } from '../errors';
import { stateCacheHeaders, stateStamp } from './state-body';

/** GET /v1/fee-curve: marginal fee against liquidity, for a chart, current liquidity marked. */
export async function feeCurveRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get<{ Querystring: { points: number } }>(
    '/v1/fee-curve',
    {
      schema: {
        summary: 'Points of the instant-exit fee curve, with the current liquidity marked',
        tags: ['state'],
        querystring: {
          type: 'object',
          properties: { points: { type: 'integer', minimum: 2, maximum: 500, default: 50 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              block_height: { type: 'integer' },
              block_timestamp_ms: { type: 'integer' },
              state_age_ms: { type: 'integer' },
              rpc_ok: { type: 'boolean' },
              min_fee_bps: { type: 'integer' },
              max_fee_bps: { type: 'integer' },
              target_liquidity: { type: 'string' },
              max_sellable_snear: { type: 'string' },
              current: {
                type: 'object',
                properties: { liquidity: { type: 'string' }, fee_bps: { type: 'number' } },
                required: ['liquidity', 'fee_bps'],
              },
              points: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { liquidity: { type: 'string' }, fee_bps: { type: 'number' } },
                  required: ['liquidity', 'fee_bps'],
                },
              },
            },
            required: [
              'block_height',
              'block_timestamp_ms',
              'state_age_ms',
              'rpc_ok',
              'min_fee_bps',
              'max_fee_bps',
              'target_liquidity',
              'max_sellable_snear',
              'current',
              'points',
            ],
          },
          ...commonErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const count = requireIntegerIn('points', request.query.points, 2, 500);
      const served = ctx.freshness.require();
      if (stateCacheHeaders(request, reply, served)) return reply.send();
      const { pool } = served.snapshot;
      const { curve, liquidity } = pool;
      // Chart range: past the target (where the curve flattens) and past the current liquidity.
      const twiceTarget = curve.targetLiquidity * 2n;
      const span = liquidity + liquidity / 5n;
      const maxLiquidity = span > twiceTarget ? span : twiceTarget;
      const points = feeCurvePoints(curve, count, maxLiquidity);
      return {
        ...stateStamp(served),
        min_fee_bps: curve.minFeeBps,
        max_fee_bps: curve.maxFeeBps,
        target_liquidity: curve.targetLiquidity.toString(),
        max_sellable_snear: maxSellableSnear(pool).toString(),
        current: { liquidity: liquidity.toString(), fee_bps: marginalFeeBps(curve, liquidity) },
        points: points.map((p) => ({ liquidity: p.liquidity.toString(), fee_bps: p.feeBps })),
      };
    },
  );
}
