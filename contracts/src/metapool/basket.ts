// Spreading stake over the validator basket (§7) and predicting delayed-unstake waits (§8).
// Pure functions: the contract's ping and its predictions call the same ones, so a predicted
// epoch and the real unstake follow one rule.
import { BPS, maxAmount, type PoolOp, STUCK_GRACE_EPOCHS, type ValidatorRecord } from './types';

/** Epochs until a delegation shows in validator_stake (stake changes apply two epochs on). */
export const VALIDATOR_STAKE_LAG_EPOCHS = 2;

/** Caps and network facts the choices need. */
export interface BasketContext {
  epoch: number;
  /** The metapool's own stake (totalStakedNear): what caps and targets are shares of. */
  ownStakeNear: bigint;
  maxPoolShareBps: number;
  maxNetworkShareBps: number;
  minStakeNear: bigint;
  /** Total stake of the network (validator_total_stake). */
  networkTotalStake: bigint;
  /** Current stake of a validator (validator_stake). */
  validatorStake: (accountId: string) => bigint;
  /** Which unstakes may start now (unstakeModeAt): only fresh ones near the epoch's end. */
  unstakeMode: UnstakeMode;
}

/**
 * Which unstakes maintenance may start now (§6). A staking pool restarts the unlock timer of our
 * whole unstaked balance at every `unstake`, in the epoch in which IT runs the call, a block or
 * more after ping issues it. `any`: at least the safety margin provably remains before the epoch's
 * end, so the call runs in this epoch and may join this epoch's unstake at a pool. `fresh`: the
 * margin is not proven (near the end, or nothing seen late in the last epoch): only pools holding
 * nothing unstaked, which no timing of receipts can re-lock.
 */
export type UnstakeMode = 'any' | 'fresh';

/**
 * The mode at block `height` of `epoch`, from the last height the contract saw in an earlier epoch
 * (`seenEpoch`, `seenHeight`; -1 when none): an epoch spans at least `epochLength` heights, so this
 * epoch ends no earlier than seenHeight + (epoch - seenEpoch) * epochLength. (The keeper's pings
 * late in each epoch keep that bound tight.)
 */
export function unstakeModeAt(
  epoch: number,
  height: number,
  seenEpoch: number,
  seenHeight: number,
  epochLength: number,
  margin: number,
): UnstakeMode {
  if (seenEpoch < 0 || seenEpoch >= epoch) return 'fresh';
  const endNoEarlier = seenHeight + (epoch - seenEpoch) * epochLength;
  return height + margin <= endNoEarlier ? 'any' : 'fresh';
}

/** Sum of weights of the validators. */
export function totalWeight(vs: ValidatorRecord[]): number {
  return vs.reduce((s, v) => s + v.weight, 0);
}

/** Target stake of `v`: its weight's share of `stakeNear`. */
export function targetOf(v: ValidatorRecord, vs: ValidatorRecord[], stakeNear: bigint): bigint {
  const w = totalWeight(vs);
  return w === 0 ? 0n : (stakeNear * BigInt(v.weight)) / BigInt(w);
}

/** Most NEAR any single pool may hold: maxPoolShareBps of our own stake (cap 1). */
export function poolCap(ctx: BasketContext): bigint {
  return (ctx.ownStakeNear * BigInt(ctx.maxPoolShareBps)) / BPS;
}

/** NEAR we may still add to `v` without passing cap 1 and cap 2 (network share). */
export function roomUnderCaps(v: ValidatorRecord, ctx: BasketContext): bigint {
  const poolRoom = poolCap(ctx) - v.staked;
  // validator_stake lags our delegations by up to two epochs: count those ourselves.
  const addedNow = v.addedEpoch >= ctx.epoch - VALIDATOR_STAKE_LAG_EPOCHS ? v.addedNear : 0n;
  const networkRoom = networkCap(ctx) - ctx.validatorStake(v.accountId) - addedNow;
  const room = poolRoom < networkRoom ? poolRoom : networkRoom;
  return room > 0n ? room : 0n;
}

/**
 * Unstaked yocto a staking pool leaves with us from share rounding, not worth a withdraw step:
 * NEAR's pool converts a `deposit_and_stake` into whole shares charged at their floor value, so the
 * few yocto below one share's price stay unstaked in our account there after every delegation.
 */
export const POOL_DUST_NEAR = 1_000_000n;

/**
 * NEAR to unstake from validators for `need` (unstakeNeed): plus the rounding dust sitting unstaked
 * in pools, which `need` counts as coming back but ping leaves where it is, so the buckets never
 * wait on a withdraw step for a few yocto (the surplus returns to the reserve when withdrawn).
 */
export function unstakeTarget(vs: ValidatorRecord[], need: bigint): bigint {
  if (need <= 0n) return 0n;
  let dust = 0n;
  for (const v of vs) if (v.unstaked <= POOL_DUST_NEAR) dust += v.unstaked;
  return need + dust;
}

/**
 * True when unstaking from `v` now cannot push back a pending unlock (§6): nothing unstaked there,
 * or only rounding dust already unlocked (ping withdraws it first when the buckets need it, so
 * re-locking it delays no one), or (mode `any` only) the unstake joins this epoch's.
 */
export function isTimerFree(v: ValidatorRecord, epoch: number, mode: UnstakeMode = 'any'): boolean {
  if (v.unstaked === 0n) return true;
  if (mode === 'any' && v.lastUnstakeEpoch === epoch) return true;
  return v.unstaked <= POOL_DUST_NEAR && v.unlockEpoch <= epoch;
}

/** Usable by maintenance for `op` now: not locked by an in-flight call, `op` not failed this epoch. */
export function usable(v: ValidatorRecord, epoch: number, op: PoolOp): boolean {
  return !v.inFlight && v.failed[op] !== epoch;
}

/**
 * True when NEAR unstaked at `v` is still there STUCK_GRACE_EPOCHS after its unlock epoch (its
 * `withdraw` keeps failing): it stops counting as coming back, so other pools cover the need.
 */
export function isStuck(v: ValidatorRecord, epoch: number): boolean {
  return v.unstaked > POOL_DUST_NEAR && epoch > v.unlockEpoch + STUCK_GRACE_EPOCHS;
}

/** NEAR unstaked at stuck pools (isStuck). */
export function stuckNear(vs: ValidatorRecord[], epoch: number): bigint {
  let sum = 0n;
  for (const v of vs) if (isStuck(v, epoch)) sum += v.unstaked;
  return sum;
}

/** Where to delegate `amount`: the pool furthest below target that has room under the caps. */
export function chooseStake(
  vs: ValidatorRecord[],
  amount: bigint,
  ctx: BasketContext,
): { index: number; amount: bigint } | null {
  const order = vs
    .map((v, index) => ({ v, index, gap: v.staked - targetOf(v, vs, ctx.ownStakeNear) }))
    .filter((c) => c.v.weight > 0 && usable(c.v, ctx.epoch, 'stake'))
    .sort((a, b) => (a.gap < b.gap ? -1 : a.gap > b.gap ? 1 : a.index - b.index));
  for (const c of order) {
    const room = roomUnderCaps(c.v, ctx);
    let take = amount < room ? amount : room;
    // Fill a pool below target up to its target (at least the minimum), leaving the rest to the
    // next step: deposits spread instead of landing whole on one pool.
    const gap = -c.gap;
    if (gap > 0n && order.length > 1) {
      const fill = maxAmount(gap, ctx.minStakeNear);
      if (fill < take) take = fill;
    }
    if (take >= ctx.minStakeNear && take > 0n) return { index: c.index, amount: take };
  }
  return null;
}

/**
 * Where to unstake `need` from: among timer-free pools, first those being drained (weight 0),
 * then the one furthest above its target. Takes at most the pool's stake.
 */
export function chooseUnstake(
  vs: ValidatorRecord[],
  need: bigint,
  ctx: BasketContext,
): { index: number; amount: bigint } | null {
  const order = vs
    .map((v, index) => ({ v, index, over: v.staked - targetOf(v, vs, ctx.ownStakeNear) }))
    .filter((c) => c.v.staked > 0n && canUnstakeNow(c.v, ctx))
    .sort((a, b) => {
      if ((a.v.weight === 0) !== (b.v.weight === 0)) return a.v.weight === 0 ? -1 : 1;
      return a.over > b.over ? -1 : a.over < b.over ? 1 : a.index - b.index;
    });
  if (order.length === 0) return null;
  const c = order[0];
  return { index: c.index, amount: need < c.v.staked ? need : c.v.staked };
}

/** True when maintenance may start an unstake at `v` now (the rule predictions follow too). */
function canUnstakeNow(v: ValidatorRecord, ctx: BasketContext): boolean {
  return usable(v, ctx.epoch, 'unstake') && isTimerFree(v, ctx.epoch, ctx.unstakeMode);
}

/** Most stake a validator may have on the network: maxNetworkShareBps of its total (cap 2). */
export function networkCap(ctx: BasketContext): bigint {
  return (ctx.networkTotalStake * BigInt(ctx.maxNetworkShareBps)) / BPS;
}

/**
 * True when validator_stake already shows every unstake of ours at `v` (it lags by
 * VALIDATOR_STAKE_LAG_EPOCHS), so a network-share excess read now is not one we already trimmed.
 */
export function networkStakeSettled(v: ValidatorRecord, epoch: number): boolean {
  return v.lastUnstakeEpoch < epoch - VALIDATOR_STAKE_LAG_EPOCHS;
}

/**
 * How far `v` is above each cap, as NEAR of ours that trimming could take back (never more than we
 * hold there): cap 1 against our own stake, cap 2 against what validator_stake shows now. The
 * NEAR a cap-2 trim unstakes leaves the network total too (until delegated elsewhere), so the
 * excess x solves stake − x ≤ share × (total − x), rounded up: one trim, not a shrinking series.
 */
export function capExcess(
  v: ValidatorRecord,
  ctx: BasketContext,
): { pool: bigint; network: bigint } {
  const pool = v.staked - poolCap(ctx);
  const share = BigInt(ctx.maxNetworkShareBps);
  let network = 0n;
  if (share < BPS) {
    const over = ctx.validatorStake(v.accountId) * BPS - ctx.networkTotalStake * share;
    if (over > 0n) network = (over + BPS - share - 1n) / (BPS - share);
  }
  const clamp = (x: bigint) => (x <= 0n ? 0n : x < v.staked ? x : v.staked);
  return { pool: clamp(pool), network: clamp(network) };
}

/**
 * Bounded rebalancing (§7, §11.7): the first timer-free pool that is being drained (weight 0),
 * or is above cap 1 or cap 2 by at least the minimum stake, with the NEAR to unstake from it. A
 * network-share trim waits until validator_stake shows our previous unstake there, so one pool is
 * trimmed at most once per unbonding period and never twice for one excess.
 */
export function chooseRebalance(
  vs: ValidatorRecord[],
  ctx: BasketContext,
): { index: number; amount: bigint; reason: 'drain' | 'pool_cap' | 'network_cap' } | null {
  for (let index = 0; index < vs.length; index++) {
    const v = vs[index];
    if (!canUnstakeNow(v, ctx)) continue;
    if (v.weight === 0 && v.staked > 0n) return { index, amount: v.staked, reason: 'drain' };
    const over = capExcess(v, ctx);
    const network = networkStakeSettled(v, ctx.epoch) ? over.network : 0n;
    const amount = maxAmount(over.pool, network);
    if (amount > 0n && amount >= ctx.minStakeNear)
      return { index, amount, reason: network > over.pool ? 'network_cap' : 'pool_cap' };
  }
  return null;
}

/** A new, empty validator record. */
export function newValidator(accountId: string, weight: number): ValidatorRecord {
  return {
    accountId,
    weight,
    staked: 0n,
    unstaked: 0n,
    unlockEpoch: 0,
    lastUnstakeEpoch: -1,
    lastSyncEpoch: -1,
    inFlight: false,
    addedEpoch: -1,
    addedNear: 0n,
    failed: { sync: -1, stake: -1, unstake: -1, withdraw: -1 },
  };
}

/**
 * Epoch from which maintenance can unstake at pool `v` without re-locking pending funds, by the
 * rule ping applies (canUnstakeNow): now if allowed now; else from the next epoch, or when the
 * NEAR unstaked there unlocks (ping withdraws it first in that epoch), whichever is later.
 */
export function freeEpoch(
  v: ValidatorRecord,
  ctx: Pick<BasketContext, 'epoch' | 'unstakeMode'>,
): number {
  if (usable(v, ctx.epoch, 'unstake') && isTimerFree(v, ctx.epoch, ctx.unstakeMode))
    return ctx.epoch;
  const next = ctx.epoch + 1;
  return isTimerFree(v, next) ? next : Math.max(v.unlockEpoch, next);
}

/**
 * Epoch in which `need` NEAR (everything still to unstake, this request last) will have been
 * unstaked, if maintenance unstakes every epoch from every pool it may (the ping rule).
 * Null when the basket's stake cannot cover it.
 */
export function unstakeEpochFor(
  vs: ValidatorRecord[],
  need: bigint,
  ctx: Pick<BasketContext, 'epoch' | 'unstakeMode'>,
): number | null {
  if (need <= 0n) return ctx.epoch;
  const byFree = vs
    .filter((v) => v.staked > 0n)
    .map((v) => ({ at: freeEpoch(v, ctx), staked: v.staked }))
    .sort((a, b) => a.at - b.at);
  let covered = 0n;
  for (const p of byFree) {
    covered += p.staked;
    if (covered >= need) return p.at;
  }
  return null;
}
