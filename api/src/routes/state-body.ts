import { marginalFeeBps, maxSellableSnear, snearToNear } from '@snear/amm-math';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServedState } from '../state/freshness';

const ONE_TOKEN = 10n ** 24n;
const DEFAULT_UNBONDING_EPOCHS = 4;

/**
 * Cache headers of an answer derived from the chain state: a weak ETag naming the block (the body
 * only differs in its state_age_ms until the next block) and no-cache (a client revalidates each time: a new block may have come).
 * Returns true when the client's If-None-Match already names this block: answer 304 without a body.
 */
export function stateCacheHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  served: ServedState,
): boolean {
  const etag = `W/"${served.snapshot.blockHeight}-${served.rpcOk ? 1 : 0}"`;
  reply.header('etag', etag);
  reply.header('cache-control', 'public, no-cache');
  const match = request.headers['if-none-match'];
  if (match?.split(',').some((tag) => tag.trim() === etag)) {
    reply.code(304);
    return true;
  }
  return false;
}

/** Fields every answer carries about the state it was computed from. */
export function stateStamp(served: ServedState) {
  return {
    block_height: served.snapshot.blockHeight,
    block_timestamp_ms: served.snapshot.blockTimestampMs,
    state_age_ms: served.ageMs,
    rpc_ok: served.rpcOk,
  };
}

// as fast-json-stringify writes a `type: integer` field
const int = (x: number): string => (Number.isInteger(x) ? `${x}` : `${Math.trunc(x)}`);

/**
 * `stateStamp(served)` as the last members of a JSON object, closing brace included
 * (`,"block_height":…,"rpc_ok":true}`): appended to a cached body on the quote routes.
 */
export function stateStampJsonTail(served: ServedState): string {
  return `,"block_height":${int(served.snapshot.blockHeight)},"block_timestamp_ms":${int(served.snapshot.blockTimestampMs)},"state_age_ms":${int(served.ageMs)},"rpc_ok":${served.rpcOk ? 'true' : 'false'}}`;
}

/** The `/v1/state` and SSE payload: pool numbers, derived figures and the raw metapool view. */
export function stateBody(served: ServedState, epochDurationMs: number) {
  const { snapshot } = served;
  const pool = snapshot.pool;
  const view = snapshot.view as unknown as Record<string, unknown>;
  const params = (view.params ?? {}) as Record<string, unknown>;
  const unbondingEpochs = Number(params.unbonding_epochs ?? DEFAULT_UNBONDING_EPOCHS);
  const waitMs = unbondingEpochs * epochDurationMs;
  return {
    ...stateStamp(served),
    epoch_height: Number(view.epoch_height ?? 0),
    pool: {
      total_staked_near: pool.totalStakedNear.toString(),
      total_snear: pool.totalSnear.toString(),
      liquidity: pool.liquidity.toString(),
      pool_snear: pool.poolSnear.toString(),
      lp_shares: pool.lpShares.toString(),
      min_fee_bps: pool.curve.minFeeBps,
      max_fee_bps: pool.curve.maxFeeBps,
      target_liquidity: pool.curve.targetLiquidity.toString(),
      treasury_cut_bps: pool.treasuryCutBps,
      snear_price_yocto: snearToNear(pool, ONE_TOKEN).toString(),
      marginal_fee_bps: marginalFeeBps(pool.curve, pool.liquidity),
      max_sellable_snear: maxSellableSnear(pool).toString(),
    },
    delayed_unstake: {
      epochs: unbondingEpochs,
      epoch_duration_ms: epochDurationMs,
      estimated_wait_ms: waitMs,
      // local clock, not the block's: localnet and sandboxes run on synthetic block time
      estimated_ready_at_ms: snapshot.readAtMs + waitMs,
    },
    metapool: view,
  };
}

/** JSON schema of `stateBody`. */
export const stateBodySchema = {
  $id: 'StateBody',
  type: 'object',
  properties: {
    block_height: { type: 'integer' },
    block_timestamp_ms: { type: 'integer' },
    state_age_ms: { type: 'integer', description: 'ms since the chain last confirmed this state' },
    rpc_ok: { type: 'boolean', description: 'false while serving a last-known state' },
    epoch_height: { type: 'integer' },
    pool: {
      type: 'object',
      properties: {
        total_staked_near: { type: 'string' },
        total_snear: { type: 'string' },
        liquidity: { type: 'string' },
        pool_snear: { type: 'string' },
        lp_shares: { type: 'string' },
        min_fee_bps: { type: 'integer' },
        max_fee_bps: { type: 'integer' },
        target_liquidity: { type: 'string' },
        treasury_cut_bps: { type: 'integer' },
        snear_price_yocto: { type: 'string', description: 'yoctoNEAR value of 1 sNEAR' },
        marginal_fee_bps: { type: 'number', description: 'fee rate at the current liquidity' },
        max_sellable_snear: { type: 'string', description: 'largest liquid unstake now (yocto)' },
      },
      required: [
        'total_staked_near',
        'total_snear',
        'liquidity',
        'pool_snear',
        'lp_shares',
        'min_fee_bps',
        'max_fee_bps',
        'target_liquidity',
        'treasury_cut_bps',
        'snear_price_yocto',
        'marginal_fee_bps',
        'max_sellable_snear',
      ],
    },
    delayed_unstake: {
      type: 'object',
      properties: {
        epochs: { type: 'integer' },
        epoch_duration_ms: { type: 'integer' },
        estimated_wait_ms: { type: 'integer' },
        estimated_ready_at_ms: { type: 'integer' },
      },
      required: ['epochs', 'epoch_duration_ms', 'estimated_wait_ms', 'estimated_ready_at_ms'],
    },
    metapool: {
      type: 'object',
      additionalProperties: true,
      description: 'The metapool get_contract_state view as read',
    },
  },
  required: [
    'block_height',
    'block_timestamp_ms',
    'state_age_ms',
    'rpc_ok',
    'epoch_height',
    'pool',
    'delayed_unstake',
    'metapool',
  ],
} as const;
