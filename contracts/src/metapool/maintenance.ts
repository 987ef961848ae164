// Permissionless maintenance (§10): `ping()` takes one bounded step per call and returns what it
// did. Remote steps lock only the pool they touch (per-pool in-flight flag) and their callback
// reconciles our records with the pool's own view of us (`get_account`), undoing on failure.

import type { PingStep } from '@snear/amm-math';
import { NearPromise, near } from 'near-sdk-js';
import { currentEpoch } from './accounts';
import {
  type BasketContext,
  chooseRebalance,
  chooseStake,
  chooseUnstake,
  POOL_DUST_NEAR,
  stuckNear,
  unstakeTarget,
  usable,
  VALIDATOR_STAKE_LAG_EPOCHS,
} from './basket';
import { unstakeMode } from './clock';
import { fail } from './errors';
import { emitProtocol } from './events';
import {
  delegate,
  reconcilePool,
  setStuckNear,
  undoDelegate,
  undoUnstakeAtPool,
  unstakeAtPool,
  unstakeNeed,
  withdrawnFromPool,
} from './ledger';
import { refillFromSelfUnstake, selfUnstake } from './liquidity';
import type { MetapoolState } from './state';
import { readValidators, writeValidators } from './storage';
import { applyChanges } from './timelock';
import { type PoolOp, TGAS, type ValidatorRecord } from './types';

export type { PingStep };

/**
 * Gas for the staking-pool call of a step: NEAR's Rust pool burns ~3 Tgas for deposit_and_stake
 * (plus its callback), our stand-in ~12 on the wasm engine; a pool's own callbacks need room too.
 */
const GAS_POOL_CALL = 100n * TGAS;
/** Gas for reading our balances back (get_account) in the same batch. */
const GAS_POOL_VIEW = 35n * TGAS;
/** Gas for our reconciling callback. */
const GAS_CALLBACK = 60n * TGAS;

/** The caps, network facts and clock the basket's choices read, at `epoch`. */
export function basketContext(st: MetapoolState, epoch: number): BasketContext {
  return {
    epoch,
    ownStakeNear: st.totalStakedNear,
    maxPoolShareBps: st.maxPoolShareBps,
    maxNetworkShareBps: st.maxNetworkShareBps,
    minStakeNear: st.minStakeNear,
    networkTotalStake: near.validatorTotalStake(),
    validatorStake: (id) => near.validatorStake(id),
    unstakeMode: unstakeMode(st, epoch),
  };
}

function remoteStep(
  v: ValidatorRecord,
  op: PoolOp,
  amount: bigint,
  restore: Record<string, number>,
): NearPromise {
  const self = near.currentAccountId();
  let p = NearPromise.new(v.accountId);
  if (op === 'sync') p = p.functionCall('ping', '', 0n, GAS_POOL_CALL);
  if (op === 'stake') p = p.functionCall('deposit_and_stake', '', amount, GAS_POOL_CALL);
  if (op === 'unstake')
    p = p.functionCall('unstake', JSON.stringify({ amount: amount.toString() }), 0n, GAS_POOL_CALL);
  if (op === 'withdraw')
    p = p.functionCall(
      'withdraw',
      JSON.stringify({ amount: amount.toString() }),
      0n,
      GAS_POOL_CALL,
    );
  p = p.functionCall('get_account', JSON.stringify({ account_id: self }), 0n, GAS_POOL_VIEW);
  const args = {
    pool: v.accountId,
    op,
    amount: amount.toString(),
    epoch: currentEpoch(),
    ...restore,
  };
  return p.then(
    NearPromise.new(self).functionCall('on_pool_result', JSON.stringify(args), 0n, GAS_CALLBACK),
  );
}

/** `ping()`: one maintenance step; a keeper calls it until it returns `{ action: 'idle' }`. */
export function ping(st: MetapoolState): NearPromise | PingStep {
  const epoch = currentEpoch();
  const changes = applyChanges(st, true);
  if (changes instanceof NearPromise) return changes;
  if (changes.applied + changes.rejected.length > 0)
    return { action: 'apply_changes', amount: String(changes.applied) };
  const vs = readValidators();
  // NEAR stuck at a pool past its unlock stops counting as coming back (§11.5).
  const stuck = stuckNear(vs, epoch);
  if (stuck !== st.stuckNear) setStuckNear(st, stuck);

  // Drop drained validators (weight 0, nothing left with them).
  const empty = vs.findIndex(
    (v) => v.weight === 0 && v.staked === 0n && v.unstaked === 0n && !v.inFlight,
  );
  if (empty >= 0) {
    const [gone] = vs.splice(empty, 1);
    writeValidators(vs);
    emitProtocol('validator_removed', { account_id: gone.accountId });
    return { action: 'remove_validator', pool: gone.accountId };
  }

  // 1. Recognise rewards: sync each pool once per epoch.
  let marked = false;
  for (const v of vs) {
    if (v.lastSyncEpoch >= epoch || !usable(v, epoch, 'sync')) continue;
    if (v.staked === 0n && v.unstaked === 0n) {
      v.lastSyncEpoch = epoch;
      marked = true;
      continue;
    }
    v.inFlight = true;
    writeValidators(vs);
    return remoteStep(v, 'sync', 0n, {});
  }
  if (marked) writeValidators(vs);

  // 2. Withdraw unbonded NEAR (rounding dust only when a drained pool or the buckets need it),
  // whatever else fails at the pool.
  for (const v of vs) {
    if (v.unstaked > 0n && v.unlockEpoch <= epoch && usable(v, epoch, 'withdraw')) {
      if (v.unstaked <= POOL_DUST_NEAR && v.weight > 0 && !dustNeeded(st, vs)) continue;
      v.inFlight = true;
      writeValidators(vs);
      return remoteStep(v, 'withdraw', v.unstaked, {});
    }
  }

  // 3. The pool's own matured unstake refills its liquidity.
  const refilled = refillFromSelfUnstake(st);
  if (refilled > 0n) return { action: 'refill_liquidity', amount: refilled.toString() };

  const ctx = basketContext(st, epoch);
  // 4. Unstake what delayed unstakes need (timer-free pools only, §6).
  const need = unstakeTarget(vs, unstakeNeed(st));
  if (need > 0n) {
    const pick = chooseUnstake(vs, need, ctx);
    if (pick !== null) return startUnstake(st, vs, pick.index, pick.amount, epoch);
  }

  // 5. Bounded rebalancing: drain removed pools, trim pools above cap 1 or cap 2 (timer-free only).
  const trim = chooseRebalance(vs, ctx);
  if (trim !== null) {
    emitProtocol('rebalance', {
      pool: vs[trim.index].accountId,
      amount: trim.amount,
      reason: trim.reason,
    });
    return startUnstake(st, vs, trim.index, trim.amount, epoch);
  }

  // 6. The instant-exit pool's self-unstake (§5).
  const selfUnstaked = selfUnstake(st);
  if (selfUnstaked > 0n) return { action: 'pool_self_unstake', amount: selfUnstaked.toString() };

  // 7. Delegate the reserve to the pool furthest below target, within the caps.
  if (st.reserveNear >= st.minStakeNear && st.reserveNear > 0n) {
    const pick = chooseStake(vs, st.reserveNear, ctx);
    if (pick !== null) {
      const v = vs[pick.index];
      delegate(st, v, pick.amount);
      if (v.addedEpoch < epoch - VALIDATOR_STAKE_LAG_EPOCHS) v.addedNear = 0n;
      v.addedEpoch = epoch;
      v.addedNear += pick.amount;
      v.inFlight = true;
      writeValidators(vs);
      return remoteStep(v, 'stake', pick.amount, {});
    }
  }
  return {
    action: 'idle',
    amount: st.reserveNear.toString(),
    detail: st.reserveNear > 0n ? 'reserve not placed (caps or minimum stake)' : undefined,
  };
}

/**
 * True when the buckets need the pools' rounding dust: nothing is left to unstake, and what is owed
 * beyond the NEAR back in the contract is more than the pools' other unstaked balances bring
 * (the reserve covered an unstake but for the dust). Otherwise unstakes cover it (unstakeTarget).
 */
function dustNeeded(st: MetapoolState, vs: ValidatorRecord[]): boolean {
  if (unstakeNeed(st) > 0n) return false;
  let coming = 0n;
  for (const o of vs) if (o.unstaked > POOL_DUST_NEAR) coming += o.unstaked;
  return st.owedNear - st.retrievedNear > coming;
}

function startUnstake(
  st: MetapoolState,
  vs: ValidatorRecord[],
  index: number,
  amount: bigint,
  epoch: number,
): NearPromise {
  const v = vs[index];
  const restore = { prev_unlock: v.unlockEpoch, prev_last_unstake: v.lastUnstakeEpoch };
  unstakeAtPool(st, v, amount);
  v.lastUnstakeEpoch = epoch;
  v.unlockEpoch = epoch + st.unbondingEpochs;
  v.inFlight = true;
  writeValidators(vs);
  return remoteStep(v, 'unstake', amount, restore);
}

/** Callback of every remote step (private): reconcile with get_account, or undo on failure. */
export function onPoolResult(st: MetapoolState, args: Record<string, unknown>): PingStep {
  const poolId = args.pool as string;
  const op = args.op as PoolOp;
  const amount = BigInt(args.amount as string);
  const epoch = currentEpoch();
  const vs = readValidators();
  const v = vs.find((x) => x.accountId === poolId);
  if (v === undefined) fail('E_INTERNAL', `pool ${poolId} vanished while a call was in flight`);
  v.inFlight = false;
  let actual: { staked: bigint; unstaked: bigint } | null = null;
  try {
    const r = JSON.parse(near.promiseResult(0));
    actual = { staked: BigInt(r.staked_balance), unstaked: BigInt(r.unstaked_balance) };
  } catch (_e) {
    actual = null;
  }
  if (actual === null) {
    // Only this operation waits for the next epoch at this pool; the others go on.
    v.failed[op] = epoch;
    if (op === 'stake') {
      undoDelegate(st, v, amount);
      v.addedNear -= amount;
    } else if (op === 'unstake') {
      undoUnstakeAtPool(st, v, amount);
      v.unlockEpoch = args.prev_unlock as number;
      v.lastUnstakeEpoch = args.prev_last_unstake as number;
    }
    writeValidators(vs);
    emitProtocol('pool_call_failed', { pool: poolId, op, amount });
    return { action: op, pool: poolId, amount: amount.toString(), ok: false };
  }
  if (op === 'withdraw') withdrawnFromPool(st, v, amount);
  if (op === 'sync') v.lastSyncEpoch = epoch;
  if (op === 'unstake' && epoch !== (args.epoch as number)) {
    // The callback proves only that the pool ran our unstake by this epoch (the clock's margin
    // makes this rare): book the later timer, so nobody is promised NEAR before it is back.
    v.unlockEpoch = epoch + st.unbondingEpochs;
  }
  reconcilePool(st, v, actual.staked, actual.unstaked);
  writeValidators(vs);
  emitProtocol('pool_step', { pool: poolId, op, amount });
  return { action: op, pool: poolId, amount: amount.toString(), ok: true };
}
