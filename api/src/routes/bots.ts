import {
  arbitrageLiquidUnstake,
  formatNear,
  isAmmError,
  marginalFeeBps,
  maxSellableSnear,
  parseNear,
  snearToNear,
} from '@snear/amm-math';
import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from '../context';
import { ApiError, commonErrorResponses } from '../errors';
import { apiErrorFromAmm, computeQuote } from '../quotes';
import { allRequired, RESULT_PROPERTIES } from './quotes';
import { stateCacheHeaders, stateStamp } from './state-body';

const ONE_TOKEN = 10n ** 24n;

const stamp = {
  block_height: { type: 'integer' },
  block_timestamp_ms: { type: 'integer' },
  state_age_ms: { type: 'integer' },
  rpc_ok: { type: 'boolean' },
} as const;

const yocto = { type: 'string', pattern: '^[0-9]+$' } as const;

/** GET /v1/arbitrage (for bots) and GET /v1/metrics.json (for wallets). */
export async function botRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get<{ Querystring: { external_price: string } }>(
    '/v1/arbitrage',
    {
      schema: {
        summary: 'The most profitable liquid unstake of sNEAR bought elsewhere at external_price',
        description:
          'Sells while the marginal sNEAR pays more than external_price: price/(1 + f(x)) > external ' +
          '(≈ price·(1 − f(x))), f the marginal fee at liquidity x; then settles on the integer ' +
          'sale size with the largest nearOut − ceil(snearIn · external_price). `quote` is the ' +
          'liquid-unstake quote of that size (with its call arguments), or null when no sale pays.',
        tags: ['quotes'],
        querystring: {
          type: 'object',
          properties: {
            external_price: {
              type: 'string',
              pattern: '^[0-9]{1,15}(\\.[0-9]{1,24})?$',
              description: 'NEAR per sNEAR elsewhere, a decimal with up to 24 decimals',
            },
          },
          required: ['external_price'],
          additionalProperties: false,
        },
        response: {
          200: allRequired({
            external_price: { type: 'string', description: 'NEAR per sNEAR, as read' },
            external_price_yocto: { ...yocto, description: 'yoctoNEAR per sNEAR' },
            pool_price_yocto: { ...yocto, description: 'yoctoNEAR value of 1 sNEAR here' },
            profitable: { type: 'boolean' },
            snear_in: { ...yocto, description: 'sNEAR to buy elsewhere and sell here (0: none)' },
            near_out: yocto,
            cost_near: { ...yocto, description: 'what snear_in costs elsewhere, rounded up' },
            profit_near: { ...yocto, description: 'near_out − cost_near' },
            quote: {
              type: ['object', 'null'],
              properties: RESULT_PROPERTIES['liquid-unstake'],
              description: 'the liquid-unstake quote of snear_in, ready to sign; null if none',
            },
            ...stamp,
          }),
          ...commonErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const served = ctx.freshness.require();
      if (stateCacheHeaders(request, reply, served)) return reply.send();
      const text = request.query.external_price;
      let externalPrice: bigint;
      try {
        externalPrice = parseNear(text);
      } catch (error) {
        if (isAmmError(error)) throw new ApiError(400, 'INVALID_AMOUNT', error.message);
        throw error;
      }
      if (externalPrice === 0n) {
        throw new ApiError(400, 'INVALID_AMOUNT', '"external_price" must be greater than zero.');
      }
      const pool = served.snapshot.pool;
      const body = ctx.quoteCache.get(served.snapshot, `arbitrage|${externalPrice}`, () => {
        try {
          const best = arbitrageLiquidUnstake(pool, externalPrice);
          const quote =
            best.quote === null
              ? null
              : computeQuote(
                  'liquid-unstake',
                  { snear: best.quote.snearIn.toString(), slippage_bps: 0 },
                  served.snapshot,
                  ctx.contractId,
                );
          return JSON.stringify({
            external_price: formatNear(externalPrice),
            external_price_yocto: externalPrice.toString(),
            pool_price_yocto: snearToNear(pool, ONE_TOKEN).toString(),
            profitable: best.quote !== null,
            snear_in: (best.quote?.snearIn ?? 0n).toString(),
            near_out: (best.quote?.nearOut ?? 0n).toString(),
            cost_near: best.costNear.toString(),
            profit_near: best.profitNear.toString(),
            quote,
          });
        } catch (error) {
          throw apiErrorFromAmm(error);
        }
      });
      return { ...JSON.parse(body), ...stateStamp(served) };
    },
  );

  app.get(
    '/v1/metrics.json',
    {
      schema: {
        summary: 'What a wallet shows for this liquid-staking pool, in one shape',
        tags: ['state'],
        response: {
          200: allRequired({
            contract_id: { type: 'string' },
            price: { type: 'string', description: 'NEAR per sNEAR (decimal, 24 places)' },
            price_yocto: { ...yocto, description: 'yoctoNEAR value of 1 sNEAR' },
            instant_exit_fee_bps: {
              type: 'number',
              description: 'marginal fee of an instant exit now, bps (6 decimals)',
            },
            min_fee_bps: { type: 'integer' },
            max_fee_bps: { type: 'integer' },
            liquidity_near: { ...yocto, description: 'NEAR available for instant exits' },
            target_liquidity_near: yocto,
            max_instant_exit_snear: { ...yocto, description: 'largest instant exit now' },
            total_staked_near: yocto,
            total_snear: yocto,
            validator_count: { type: 'integer' },
            delayed_unstake_epochs: { type: 'integer' },
            epoch_height: { type: 'integer' },
            ...stamp,
          }),
          ...commonErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const served = ctx.freshness.require();
      if (stateCacheHeaders(request, reply, served)) return reply.send();
      const { pool, view } = served.snapshot;
      const raw = view as unknown as {
        params?: { unbonding_epochs?: unknown };
        epoch_height?: unknown;
      };
      const price = snearToNear(pool, ONE_TOKEN);
      return {
        contract_id: ctx.contractId,
        price: formatNear(price),
        price_yocto: price.toString(),
        instant_exit_fee_bps: marginalFeeBps(pool.curve, pool.liquidity),
        min_fee_bps: pool.curve.minFeeBps,
        max_fee_bps: pool.curve.maxFeeBps,
        liquidity_near: pool.liquidity.toString(),
        target_liquidity_near: pool.curve.targetLiquidity.toString(),
        max_instant_exit_snear: maxSellableSnear(pool).toString(),
        total_staked_near: pool.totalStakedNear.toString(),
        total_snear: pool.totalSnear.toString(),
        validator_count: Array.isArray(view.validators) ? view.validators.length : 0,
        delayed_unstake_epochs: Number(raw.params?.unbonding_epochs ?? 4),
        epoch_height: Number(raw.epoch_height ?? 0),
        ...stateStamp(served),
      };
    },
  );
}
