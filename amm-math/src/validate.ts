import { MAX_FEE_BPS_CAP, MAX_TREASURY_CUT_BPS, U128_MAX } from './constants';
import { AmmError } from './errors';
import type { FeeCurve, PoolState } from './types';

function isBpsInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

/** Throws INVALID_CURVE unless the curve is within the hard caps of PROTOCOL §3. */
export function validateCurve(curve: FeeCurve): void {
  if (typeof curve !== 'object' || curve === null) {
    throw new AmmError('INVALID_CURVE', 'the fee curve must be an object');
  }
  const { minFeeBps, maxFeeBps, targetLiquidity } = curve;
  if (!isBpsInteger(minFeeBps) || !isBpsInteger(maxFeeBps)) {
    throw new AmmError(
      'INVALID_CURVE',
      `fees must be whole basis points >= 0 (got minFeeBps ${minFeeBps}, maxFeeBps ${maxFeeBps})`,
    );
  }
  if (maxFeeBps > MAX_FEE_BPS_CAP) {
    throw new AmmError(
      'INVALID_CURVE',
      `maxFeeBps ${maxFeeBps} exceeds the cap of ${MAX_FEE_BPS_CAP} bps`,
    );
  }
  if (minFeeBps > maxFeeBps) {
    throw new AmmError(
      'INVALID_CURVE',
      `minFeeBps ${minFeeBps} exceeds maxFeeBps ${maxFeeBps}; lower it to at most ${maxFeeBps}`,
    );
  }
  if (typeof targetLiquidity !== 'bigint' || targetLiquidity <= 0n || targetLiquidity > U128_MAX) {
    throw new AmmError(
      'INVALID_CURVE',
      `targetLiquidity must be a bigint of yoctoNEAR in 1..2^128-1 (got ${String(targetLiquidity)})`,
    );
  }
}

/** Throws INVALID_CURVE unless the treasury cut is whole bps within the cap of PROTOCOL §3. */
export function validateTreasuryCut(treasuryCutBps: number): void {
  if (!isBpsInteger(treasuryCutBps) || treasuryCutBps > MAX_TREASURY_CUT_BPS) {
    throw new AmmError(
      'INVALID_CURVE',
      `treasuryCutBps must be whole basis points in 0..${MAX_TREASURY_CUT_BPS} (got ${treasuryCutBps})`,
    );
  }
}

const STATE_AMOUNTS = [
  'totalStakedNear',
  'totalSnear',
  'liquidity',
  'poolSnear',
  'lpShares',
] as const;

/** Throws INVALID_STATE (amounts) or INVALID_CURVE (fee parameters) unless the state is usable. */
export function validatePoolState(state: PoolState): void {
  if (typeof state !== 'object' || state === null) {
    throw new AmmError('INVALID_STATE', 'the pool state must be an object');
  }
  for (const field of STATE_AMOUNTS) {
    const value = state[field];
    if (typeof value !== 'bigint' || value < 0n || value > U128_MAX) {
      throw new AmmError(
        'INVALID_STATE',
        `${field} must be a bigint of yocto in 0..2^128-1 (got ${String(value)})`,
      );
    }
  }
  if (state.totalSnear > 0n && state.totalStakedNear === 0n) {
    throw new AmmError(
      'INVALID_STATE',
      `${state.totalSnear} yocto sNEAR exist but totalStakedNear is 0: the share price is undefined`,
    );
  }
  validateCurve(state.curve);
  validateTreasuryCut(state.treasuryCutBps);
  validateLpUnstaking(state);
}

/** The optional delayed-unstake fields: a u128 total and, if given, buckets that sum to it. */
function validateLpUnstaking(state: PoolState): void {
  const total = state.lpUnstakingNear;
  if (total === undefined) {
    if (state.lpUnstakingSchedule !== undefined && state.lpUnstakingSchedule.length > 0) {
      throw new AmmError('INVALID_STATE', 'lpUnstakingSchedule is given without lpUnstakingNear');
    }
    return;
  }
  if (typeof total !== 'bigint' || total < 0n || total > U128_MAX) {
    throw new AmmError(
      'INVALID_STATE',
      `lpUnstakingNear must be a bigint of yocto in 0..2^128-1 (got ${String(total)})`,
    );
  }
  const schedule = state.lpUnstakingSchedule;
  if (schedule === undefined) return;
  let sum = 0n;
  for (const bucket of schedule) {
    if (
      typeof bucket !== 'object' ||
      bucket === null ||
      !Number.isSafeInteger(bucket.unlockEpoch) ||
      bucket.unlockEpoch < 0 ||
      typeof bucket.near !== 'bigint' ||
      bucket.near < 0n
    ) {
      throw new AmmError(
        'INVALID_STATE',
        'each lpUnstakingSchedule bucket must be { unlockEpoch: integer >= 0, near: bigint >= 0 }',
      );
    }
    sum += bucket.near;
  }
  if (sum !== total) {
    throw new AmmError(
      'INVALID_STATE',
      `lpUnstakingSchedule sums to ${sum} yocto but lpUnstakingNear is ${total}`,
    );
  }
}

/** Throws INVALID_AMOUNT unless `amount` is a bigint in 1..2^128-1 (0 too when allowZero). */
export function requireAmount(name: string, amount: bigint, allowZero = false): void {
  if (typeof amount !== 'bigint') {
    throw new AmmError(
      'INVALID_AMOUNT',
      `${name} must be a bigint of yocto (got ${typeof amount} ${String(amount)})`,
    );
  }
  if (amount < 0n || (amount === 0n && !allowZero) || amount > U128_MAX) {
    throw new AmmError(
      'INVALID_AMOUNT',
      `${name} must be ${allowZero ? 'at least 0' : 'at least 1'} yocto and at most 2^128-1 (got ${amount})`,
    );
  }
}

/** Throws INVALID_AMOUNT when an operation would push a state field above u128. */
export function requireFitsU128(field: string, value: bigint): void {
  if (value > U128_MAX) {
    throw new AmmError(
      'INVALID_AMOUNT',
      `this operation would raise ${field} to ${value}, above the u128 limit of ${U128_MAX}`,
    );
  }
}
