import { ceilDiv, isqrt, minBig } from './bigmath';
import { BPS_DENOMINATOR_BIG, YOCTO_PER_NEAR } from './constants';
import { AmmError } from './errors';
import { maxSellableSnear, quoteLiquidUnstake, quoteLiquidUnstakeExactOut } from './liquid-unstake';
import type { LiquidUnstakeQuote, PoolState } from './types';
import { requireAmount, validatePoolState } from './validate';

/** The most profitable sale of sNEAR bought elsewhere at `externalPrice` to the instant-exit pool. */
export interface ArbitrageOpportunity {
  /** NEAR (yocto) per 1 sNEAR (10^24 yocto) elsewhere. */
  externalPrice: bigint;
  /** The sale to make, or null when no sale pays more than the sNEAR costs elsewhere. */
  quote: LiquidUnstakeQuote | null;
  /** NEAR (yocto) the sold sNEAR costs elsewhere: ceil(snearIn · externalPrice / 10^24). */
  costNear: bigint;
  /** quote.nearOut - costNear (> 0), or 0 with no sale. */
  profitNear: bigint;
}

/** NEAR (yocto) that `snear` costs at `externalPrice` per token, rounded up (the buyer pays). */
export function externalCost(snear: bigint, externalPrice: bigint): bigint {
  return ceilDiv(snear * externalPrice, YOCTO_PER_NEAR);
}

/**
 * Liquidity down to which selling pays at `externalPrice`. The curve charges f(x) per NEAR paid out
 * (o + ∫f = v), so the marginal sNEAR at liquidity x pays price/(1 + f(x)) ≈ price·(1 − f(x)); the
 * sale goes on while that is above the external price. Returns the smallest liquidity to leave in
 * the pool (rounded up), or null when no sale pays.
 */
function breakEvenLiquidity(state: PoolState, externalPrice: bigint): bigint | null {
  const { totalStakedNear: n, totalSnear: s } = state;
  const a = BigInt(state.curve.maxFeeBps);
  const b = BigInt(state.curve.minFeeBps);
  const t = state.curve.targetLiquidity;
  const bps = BPS_DENOMINATOR_BIG;
  // (N/S)/(1 + f/10^4) > E/10^24  ⇔  f < 10^4·(N·10^24 − E·S)/(E·S); 1:1 while S is 0
  const value = s === 0n ? YOCTO_PER_NEAR : n * YOCTO_PER_NEAR;
  const cost = s === 0n ? externalPrice : externalPrice * s;
  return breakEvenFor(a, b, t, bps * (value - cost), cost);
}

/** Smallest x with f(x) < num/den, where f falls linearly from a at 0 to b at t; null if none. */
function breakEvenFor(a: bigint, b: bigint, t: bigint, num: bigint, den: bigint): bigint | null {
  if (num <= b * den) return null; // even the lowest fee is too high
  if (num > a * den) return 0n; // even the highest fee pays
  // f(x) = (a·t − (a−b)·x)/t < num/den  ⇔  x > t·(a·den − num)/((a−b)·den)
  const k = a - b; // > 0 here, since b·den < num <= a·den
  const top = t * (a * den - num);
  const bottom = k * den;
  return top / bottom + 1n;
}

/** Most sale sizes tried on each side of the climbed optimum (bounds the work per quote). */
const MAX_NEIGHBOURS = 1_000n;

/** How far from the optimum rounding can still tie or beat it, capped at MAX_NEIGHBOURS. */
function flatWidth(state: PoolState): bigint {
  const k = BigInt(state.curve.maxFeeBps - state.curve.minFeeBps);
  if (k === 0n) return MAX_NEIGHBOURS;
  const w = isqrt((4n * BPS_DENOMINATOR_BIG * state.curve.targetLiquidity) / k) + 2n;
  return w < MAX_NEIGHBOURS ? w : MAX_NEIGHBOURS;
}

function profitOf(state: PoolState, snearIn: bigint, externalPrice: bigint): bigint | null {
  try {
    const q = quoteLiquidUnstake(state, snearIn);
    return q.nearOut - externalCost(snearIn, externalPrice);
  } catch {
    return null;
  }
}

/**
 * The sNEAR sale that maximises nearOut − cost at `externalPrice` (NEAR yocto per sNEAR token)
 * elsewhere: sized from the marginal fee (sell while price·(1 − f(x)) > externalPrice), then
 * settled on the exact integer optimum of the rounded quotes around it.
 */
export function arbitrageLiquidUnstake(
  state: PoolState,
  externalPrice: bigint,
): ArbitrageOpportunity {
  validatePoolState(state);
  requireAmount('externalPrice', externalPrice);
  const none: ArbitrageOpportunity = { externalPrice, quote: null, costNear: 0n, profitNear: 0n };
  const keep = breakEvenLiquidity(state, externalPrice);
  if (keep === null || keep >= state.liquidity) return none;
  const maxSnear = maxSellableSnear(state);
  if (maxSnear === 0n) return none;
  let start: bigint;
  if (keep === 0n) start = maxSnear;
  else {
    try {
      start = quoteLiquidUnstakeExactOut(state, state.liquidity - keep).snearIn;
    } catch (error) {
      if (error instanceof AmmError && error.code === 'INSUFFICIENT_LIQUIDITY') start = maxSnear;
      else throw error;
    }
  }
  if (start > maxSnear) start = maxSnear;
  // The rounded profit is flat to a few yocto around the continuous optimum: climb to the best
  // integer nearby, halving the step, then look at the immediate neighbours.
  let best = start;
  let bestProfit = profitOf(state, start, externalPrice) ?? -1n;
  for (let step = start / 2n > 1n ? start / 2n : 1n; step >= 1n; step /= 2n) {
    let moved = true;
    while (moved) {
      moved = false;
      for (const candidate of [best - step, best + step]) {
        if (candidate < 1n || candidate > maxSnear) continue;
        const p = profitOf(state, candidate, externalPrice);
        if (p !== null && (p > bestProfit || (p === bestProfit && candidate < best))) {
          best = candidate;
          bestProfit = p;
          moved = true;
        }
      }
    }
  }
  // Rounding moves each quote by up to a yocto or two, so every size whose unrounded profit is
  // within ~2 yocto of the optimum can win: those lie within ±√(4·10^4·T/(a−b)) sNEAR yocto of it.
  const width = flatWidth(state);
  const from = best > width ? best - width : 1n;
  const to = minBig(best + width, maxSnear);
  for (let candidate = from; candidate <= to; candidate++) {
    const p = profitOf(state, candidate, externalPrice);
    if (p !== null && (p > bestProfit || (p === bestProfit && candidate < best))) {
      best = candidate;
      bestProfit = p;
    }
  }
  if (bestProfit <= 0n) return none;
  const quote = quoteLiquidUnstake(state, best);
  return {
    externalPrice,
    quote,
    costNear: externalCost(best, externalPrice),
    profitNear: bestProfit,
  };
}
