// The instant-exit fee curve of PROTOCOL §3 in exact integers.
//
// With a = maxFeeBps, b = minFeeBps, D = 10000 and T = targetLiquidity, the marginal fee is
// f(x) = (a - (a-b)·min(x,T)/T) / D. Everything below is scaled by S = 2·D·T so that the
// integral of f is an integer polynomial:
//   G(y) = S·∫_0^y f = 2aTy - (a-b)y²                 for y <= T
//                    = (a+b)T² + 2bT(y-T)              for y >= T
// A sale that takes o NEAR out of liquidity L and leaves u = L - o costs o + ∫_u^L f, so with
//   P(u) = G(u) + S·u          (strictly increasing in u)
// the definition "largest o <= L with o + ∫_{L-o}^L f <= v" becomes "smallest u >= 0 with
// P(u) >= P(L) - S·v". Above T, P is linear; below T it is the quadratic 2T(a+D)u - (a-b)u²,
// solved with an integer square root and corrected to the exact integer.

import { ceilDiv, isqrt } from './bigmath';
import { BPS_DENOMINATOR, BPS_DENOMINATOR_BIG } from './constants';
import { AmmError } from './errors';
import type { FeeCurve, FeeCurvePoint } from './types';
import { requireAmount, validateCurve } from './validate';

/** Scale S = 2·10000·T that turns the fee integral into integers. */
export function integralScale(curve: FeeCurve): bigint {
  return 2n * BPS_DENOMINATOR_BIG * curve.targetLiquidity;
}

/** G(y) = S·∫_0^y f(x) dx, exact (curve validated by the caller). */
export function scaledFeeIntegral(curve: FeeCurve, y: bigint): bigint {
  const a = BigInt(curve.maxFeeBps);
  const b = BigInt(curve.minFeeBps);
  const t = curve.targetLiquidity;
  if (y <= t) return 2n * a * t * y - (a - b) * y * y;
  return (a + b) * t * t + 2n * b * t * (y - t);
}

/** P(u) = G(u) + S·u: the scaled cost of the liquidity above u; strictly increasing. */
export function scaledCost(curve: FeeCurve, u: bigint): bigint {
  return scaledFeeIntegral(curve, u) + integralScale(curve) * u;
}

/**
 * NEAR paid out for a sale worth `valueNear` from `liquidity`: the largest o <= L with
 * o + ∫_{L-o}^L f <= v (PROTOCOL §3), or -1n when v exceeds drainValue. Inputs not checked.
 */
export function solveNearOut(curve: FeeCurve, liquidity: bigint, valueNear: bigint): bigint {
  const a = BigInt(curve.maxFeeBps);
  const b = BigInt(curve.minFeeBps);
  const t = curve.targetLiquidity;
  if (liquidity > t) {
    // Above T the fee is the constant b: o·(1 + b/D) <= v, so o = floor(D·v / (b+D)) when the
    // sale leaves at least T behind (the common case: the factor 2T cancels out of P).
    const scaledValue = BPS_DENOMINATOR_BIG * valueNear;
    const perNearOut = b + BPS_DENOMINATOR_BIG;
    if (scaledValue <= perNearOut * (liquidity - t)) return scaledValue / perNearOut;
  }
  // The sale reaches below T. On [0, T], P(u) = (B - k·u)·u with B = 2T(a+D), k = a-b;
  // above T, P(u) = P(T) + 2T(b+D)(u-T).
  const k = a - b;
  const bigB = 2n * t * (a + BPS_DENOMINATOR_BIG);
  const costOfAll =
    liquidity > t
      ? (bigB - k * t) * t + 2n * t * (b + BPS_DENOMINATOR_BIG) * (liquidity - t)
      : (bigB - k * liquidity) * liquidity;
  // c = P(L) - S·v: the cost that the liquidity left behind must still carry.
  const c = costOfAll - 2n * BPS_DENOMINATOR_BIG * t * valueNear;
  if (c < 0n) return -1n;
  if (c === 0n) return liquidity;
  if (k === 0n) return liquidity - ceilDiv(c, bigB);
  // Quadratic part: the smaller root u0 = (B - sqrt(B² - 4kc)) / 2k of P(u) = c. With the
  // floored root s, ceil((B - s) / 2k) = ceil(u0) exactly: an integer m in [u0, (B-s)/2k) would
  // need the integer B - 2km in (s, sqrt(B² - 4kc)], which floor leaves empty. The loops check
  // the definition itself (P(u-1) < c <= P(u)) where the money moves; they repair a wrong root.
  let u = ceilDiv(bigB - isqrt(bigB * bigB - 4n * k * c), 2n * k);
  let costAtU = (bigB - k * u) * u;
  let costBelow = u > 0n ? (bigB - k * (u - 1n)) * (u - 1n) : -1n;
  while (costBelow >= c) {
    u -= 1n;
    costAtU = costBelow;
    costBelow = u > 0n ? (bigB - k * (u - 1n)) * (u - 1n) : -1n;
  }
  while (costAtU < c) {
    u += 1n;
    costAtU = (bigB - k * u) * u;
  }
  return liquidity - u;
}

/** Largest NEAR value the pool can absorb: floor(L + ∫_0^L f). Inputs not checked. */
export function drainValue(curve: FeeCurve, liquidity: bigint): bigint {
  return scaledCost(curve, liquidity) / integralScale(curve);
}

/** Smallest NEAR value paying out at least `nearOut` (<= L): ceil(o + ∫_{L-o}^L f). Unchecked. */
export function requiredValue(curve: FeeCurve, liquidity: bigint, nearOut: bigint): bigint {
  const cost = scaledCost(curve, liquidity) - scaledCost(curve, liquidity - nearOut);
  return ceilDiv(cost, integralScale(curve));
}

function requireCurveAndLiquidity(curve: FeeCurve, liquidity: bigint): void {
  validateCurve(curve);
  requireAmount('liquidity', liquidity, true);
}

function curveLimit(curve: FeeCurve, liquidity: bigint, wanted: string): AmmError {
  return new AmmError(
    'INSUFFICIENT_LIQUIDITY',
    `${wanted} is more than ${liquidity} yocto of liquidity can pay; ` +
      `the largest value it can absorb is ${drainValue(curve, liquidity)} yoctoNEAR`,
  );
}

/** Largest NEAR value (yocto) a sale from `liquidity` can have: floor(L + ∫_0^L f). */
export function maxValueNear(curve: FeeCurve, liquidity: bigint): bigint {
  requireCurveAndLiquidity(curve, liquidity);
  return drainValue(curve, liquidity);
}

/** NEAR (yocto) paid out for a sale worth `valueNear` from `liquidity`, on the curve alone. */
export function nearOutForValue(curve: FeeCurve, liquidity: bigint, valueNear: bigint): bigint {
  requireCurveAndLiquidity(curve, liquidity);
  requireAmount('valueNear', valueNear);
  const nearOut = solveNearOut(curve, liquidity, valueNear);
  if (nearOut < 0n) throw curveLimit(curve, liquidity, `a sale worth ${valueNear} yoctoNEAR`);
  return nearOut;
}

/** Smallest NEAR value (yocto) whose sale from `liquidity` pays out at least `nearOut`. */
export function valueForNearOut(curve: FeeCurve, liquidity: bigint, nearOut: bigint): bigint {
  requireCurveAndLiquidity(curve, liquidity);
  requireAmount('nearOut', nearOut);
  const value = nearOut <= liquidity ? requiredValue(curve, liquidity, nearOut) : -1n;
  if (value < 0n || value > drainValue(curve, liquidity)) {
    throw curveLimit(curve, liquidity, `paying out ${nearOut} yoctoNEAR`);
  }
  return value;
}

/** Marginal fee f(x) in bps at pool liquidity x, for display (6 decimals, rounded down). */
export function marginalFeeBps(curve: FeeCurve, liquidity: bigint): number {
  validateCurve(curve);
  requireAmount('liquidity', liquidity, true);
  const t = curve.targetLiquidity;
  const x = liquidity < t ? liquidity : t;
  const micros =
    ((BigInt(curve.maxFeeBps) * t - BigInt(curve.maxFeeBps - curve.minFeeBps) * x) * 1_000_000n) /
    t;
  return Number(micros) / 1_000_000;
}

/** `points` evenly spaced samples of the marginal fee from 0 to maxLiquidity (default 2·T). */
export function feeCurvePoints(
  curve: FeeCurve,
  points: number,
  maxLiquidity?: bigint,
): FeeCurvePoint[] {
  validateCurve(curve);
  if (!Number.isInteger(points) || points < 2 || points > 100_000) {
    throw new AmmError(
      'INVALID_ARGUMENT',
      `points must be an integer in 2..100000 (got ${points})`,
    );
  }
  const upTo = maxLiquidity === undefined ? 2n * curve.targetLiquidity : maxLiquidity;
  requireAmount('maxLiquidity', upTo);
  const out: FeeCurvePoint[] = [];
  const steps = BigInt(points - 1);
  for (let i = 0; i < points; i++) {
    const liquidity = (upTo * BigInt(i)) / steps;
    out.push({ liquidity, feeBps: marginalFeeBps(curve, liquidity) });
  }
  return out;
}

/** Effective fee of a sale in bps: floor(feeNear·10000/nearOut), capped at 10000 (see README). */
export function effectiveFeeBps(feeNear: bigint, nearOut: bigint): number {
  if (nearOut === 0n || feeNear >= nearOut) return BPS_DENOMINATOR;
  return Number((feeNear * BPS_DENOMINATOR_BIG) / nearOut);
}
