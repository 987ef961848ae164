// The slow exact definition of the liquid-unstake price (PROTOCOL §3), for tests and audits.
// It shares no algebra with curve.ts: the integral is the trapezoid rule (exact for the linear
// pieces of f) over rationals, and nearOut is found by binary search over o.
import { BPS_DENOMINATOR_BIG } from './constants';
import { AmmError } from './errors';
import { snearOfNear, valueOfSnear } from './price';
import type { FeeCurve, LiquidUnstakeQuote, PoolState } from './types';
import { requireAmount, validatePoolState } from './validate';

/** A non-negative rational num/den. */
export interface Rational {
  num: bigint;
  den: bigint;
}

/** ∫_lo^hi f(x) dx of the marginal fee (PROTOCOL §3), exact, for 0 <= lo <= hi. */
export function referenceFeeIntegral(curve: FeeCurve, lo: bigint, hi: bigint): Rational {
  const maxFee = BigInt(curve.maxFeeBps);
  const minFee = BigInt(curve.minFeeBps);
  const t = curve.targetLiquidity;
  // f(x)·10000·T = maxFee·T - (maxFee-minFee)·x on [0, T]; = minFee·T above T.
  const scaledFee = (x: bigint): bigint =>
    x >= t ? minFee * t : maxFee * t - (maxFee - minFee) * x;
  const below = hi < t ? hi : t;
  const above = lo > t ? lo : t;
  let num = 0n; // in units of 1 / (2·10000·T)
  if (below > lo) num += (below - lo) * (scaledFee(lo) + scaledFee(below));
  if (hi > above) num += 2n * (hi - above) * minFee * t;
  return { num, den: 2n * BPS_DENOMINATOR_BIG * t };
}

/** o + ∫_{L-o}^{L} f <= v, checked in exact rationals. */
function affordable(curve: FeeCurve, liquidity: bigint, o: bigint, valueNear: bigint): boolean {
  const fee = referenceFeeIntegral(curve, liquidity - o, liquidity);
  return (valueNear - o) * fee.den >= fee.num;
}

/** The largest o <= L with o + ∫_{L-o}^{L} f <= v by binary search, or -1n if v > L + ∫_0^L f. */
export function referenceNearOut(curve: FeeCurve, liquidity: bigint, valueNear: bigint): bigint {
  const drain = referenceFeeIntegral(curve, 0n, liquidity);
  if (valueNear * drain.den > liquidity * drain.den + drain.num) return -1n;
  let lo = 0n; // affordable
  let hi = liquidity; // answer <= hi
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (affordable(curve, liquidity, mid, valueNear)) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/** quoteLiquidUnstake by the slow definition (same shape and errors codes, plainer messages). */
export function referenceQuoteLiquidUnstake(state: PoolState, snearIn: bigint): LiquidUnstakeQuote {
  validatePoolState(state);
  requireAmount('snearIn', snearIn);
  const valueNear = valueOfSnear(state, snearIn);
  if (valueNear === 0n) throw new AmmError('INVALID_AMOUNT', `${snearIn} yocto sNEAR is worth 0`);
  const nearOut = referenceNearOut(state.curve, state.liquidity, valueNear);
  if (nearOut < 0n) throw new AmmError('INSUFFICIENT_LIQUIDITY', `worth ${valueNear}: too much`);
  const feeNear = valueNear - nearOut;
  const feeBps =
    nearOut === 0n || feeNear >= nearOut ? 10_000 : Number((feeNear * 10_000n) / nearOut);
  const treasurySnear = (snearOfNear(state, feeNear) * BigInt(state.treasuryCutBps)) / 10_000n;
  return { snearIn, valueNear, nearOut, feeNear, feeBps, treasurySnear };
}
