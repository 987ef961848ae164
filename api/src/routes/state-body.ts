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

/**
 * Who governs and what waits in the metapool's timelock, from its `get_contract_state().governance`
 * (null from a metapool without it): each queued change with its apply epoch, and when that is
 * expected on the local clock.
 */
export function governanceBody(
  view: Record<string, unknown>,
  epochHeight: number,
  epochDurationMs: number,
  readAtMs: number,
) {
  const g = view.governance as Record<string, unknown> | undefined;
  if (g === undefined || g === null) return null;
  const queued = (g.queued ?? []) as Record<string, unknown>[];
  return {
    governance_id: String(g.governance_id),
    owner_id: String(g.owner_id),
    guardian_id: g.guardian_id === null ? null : String(g.guardian_id),
    handed_over: g.handed_over === true,
    governed_by: (g.governed_by ?? []) as string[],
    timelock_epochs: Number(g.timelock_epochs),
    timelock_floor_epochs: Number(g.timelock_floor_epochs),
    deposits_paused: g.deposits_paused === true,
    queued: queued.map((c) => {
      const applyEpoch = Number(c.apply_epoch);
      const epochsLeft = Math.max(0, applyEpoch - epochHeight);
      return {
        id: Number(c.id),
        kind: String(c.kind),
        args: (c.args ?? {}) as Record<string, unknown>,
        apply_epoch: applyEpoch,
        epochs_left: epochsLeft,
        estimated_apply_at_ms: readAtMs + epochsLeft * epochDurationMs,
      };
    }),
  };
}

/** The `/v1/state` and SSE payload: pool numbers, derived figures and the raw metapool view. */
export function stateBody(served: ServedState, epochDurationMs: number) {
  const { snapshot } = served;
  const pool = snapshot.pool;
  const view = snapshot.view as unknown as Record<string, unknown>;
  const params = (view.params ?? {}) as Record<string, unknown>;
  const unbondingEpochs = Number(params.unbonding_epochs ?? DEFAULT_UNBONDING_EPOCHS);
  const waitMs = unbondingEpochs * epochDurationMs;
  const epochHeight = Number(view.epoch_height ?? 0);
  return {
    ...stateStamp(served),
    epoch_height: epochHeight,
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
    governance: governanceBody(view, epochHeight, epochDurationMs, snapshot.readAtMs),
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
    governance: {
      type: ['object', 'null'],
      description:
        'Who governs (the DAO account: governance_id) and the changes queued in the timelock; null from a metapool without the view',
      properties: {
        governance_id: { type: 'string' },
        owner_id: { type: 'string' },
        guardian_id: { type: ['string', 'null'] },
        handed_over: { type: 'boolean' },
        governed_by: { type: 'array', items: { type: 'string' } },
        timelock_epochs: { type: 'integer' },
        timelock_floor_epochs: { type: 'integer' },
        deposits_paused: { type: 'boolean' },
        queued: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'integer' },
              kind: { type: 'string' },
              args: { type: 'object', additionalProperties: true },
              apply_epoch: { type: 'integer' },
              epochs_left: { type: 'integer' },
              estimated_apply_at_ms: { type: 'integer' },
            },
            required: ['id', 'kind', 'args', 'apply_epoch', 'epochs_left', 'estimated_apply_at_ms'],
          },
        },
      },
      required: [
        'governance_id',
        'owner_id',
        'guardian_id',
        'handed_over',
        'governed_by',
        'timelock_epochs',
        'timelock_floor_epochs',
        'deposits_paused',
        'queued',
      ],
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
    'governance',
    'metapool',
  ],
} as const;
