import { BPS_DENOMINATOR_BIG } from './constants';
import { drainValue, effectiveFeeBps, requiredValue, solveNearOut } from './curve';
import { formatNear } from './decimal';
import { AmmError } from './errors';
import { snearForValueCeil, snearOfNear, valueOfSnear } from './price';
import type { LiquidUnstakeQuote, PoolState } from './types';
import { requireAmount, requireFitsU128, validatePoolState } from './validate';

/** The quote for a validated state and amount, or null when the pool cannot absorb it. */
function quoteOrNull(
  state: PoolState,
  snearIn: bigint,
  valueNear: bigint,
): LiquidUnstakeQuote | null {
  const nearOut = solveNearOut(state.curve, state.liquidity, valueNear);
  if (nearOut < 0n) return null;
  const feeNear = valueNear - nearOut;
  const treasurySnear =
    (snearOfNear(state, feeNear) * BigInt(state.treasuryCutBps)) / BPS_DENOMINATOR_BIG;
  return {
    snearIn,
    valueNear,
    nearOut,
    feeNear,
    feeBps: effectiveFeeBps(feeNear, nearOut),
    treasurySnear,
  };
}

/** Largest sNEAR (yocto) that can be sold now without INSUFFICIENT_LIQUIDITY; 0n if none. */
export function maxSellableSnear(state: PoolState): bigint {
  validatePoolState(state);
  return maxSellableUnchecked(state);
}

function maxSellableUnchecked(state: PoolState): bigint {
  const maxValue = drainValue(state.curve, state.liquidity);
  if (maxValue === 0n) return 0n;
  // Largest s with snearToNear(s) <= maxValue.
  const snear = snearForValueCeil(state, maxValue + 1n) - 1n;
  return valueOfSnear(state, snear) > 0n ? snear : 0n;
}

function insufficientLiquidity(state: PoolState, wanted: string): AmmError {
  const maxSnearIn = maxSellableUnchecked(state);
  return new AmmError(
    'INSUFFICIENT_LIQUIDITY',
    `${wanted} needs more than the pool's ${formatNear(state.liquidity)} NEAR of liquidity; ` +
      `the most you can sell now is ${formatNear(maxSnearIn)} sNEAR (${maxSnearIn} yocto)`,
    maxSnearIn,
  );
}

/** Quote selling `snearIn` sNEAR (yocto) to the instant-exit pool (PROTOCOL §3). */
export function quoteLiquidUnstake(state: PoolState, snearIn: bigint): LiquidUnstakeQuote {
  validatePoolState(state);
  requireAmount('snearIn', snearIn);
  const valueNear = valueOfSnear(state, snearIn);
  if (valueNear === 0n) {
    const minimum = snearForValueCeil(state, 1n);
    throw new AmmError(
      'INVALID_AMOUNT',
      `${snearIn} yocto sNEAR is worth 0 yoctoNEAR at the share price; sell at least ${minimum} yocto`,
    );
  }
  const quote = quoteOrNull(state, snearIn, valueNear);
  if (quote === null) {
    throw insufficientLiquidity(
      state,
      `selling ${formatNear(snearIn)} sNEAR (worth ${formatNear(valueNear)} NEAR)`,
    );
  }
  requireFitsU128('poolSnear', state.poolSnear + snearIn - quote.treasurySnear);
  return quote;
}

/** Quote for the smallest snearIn whose liquid unstake pays out at least `nearOut` yocto. */
export function quoteLiquidUnstakeExactOut(state: PoolState, nearOut: bigint): LiquidUnstakeQuote {
  validatePoolState(state);
  requireAmount('nearOut', nearOut);
  const wanted = `receiving ${formatNear(nearOut)} NEAR`;
  if (nearOut > state.liquidity) throw insufficientLiquidity(state, wanted);
  const valueNear = requiredValue(state.curve, state.liquidity, nearOut);
  if (valueNear > drainValue(state.curve, state.liquidity)) {
    throw insufficientLiquidity(state, wanted);
  }
  let snearIn = snearForValueCeil(state, valueNear);
  let quote = quoteOrNull(state, snearIn, valueOfSnear(state, snearIn));
  // The formulas are exact; these loops re-check the result against the forward quote.
  for (;;) {
    if (quote === null) throw insufficientLiquidity(state, wanted);
    if (quote.nearOut >= nearOut) break;
    snearIn += 1n;
    quote = quoteOrNull(state, snearIn, valueOfSnear(state, snearIn));
  }
  while (snearIn > 1n) {
    const smaller = quoteOrNull(state, snearIn - 1n, valueOfSnear(state, snearIn - 1n));
    if (smaller === null || smaller.nearOut < nearOut) break;
    snearIn -= 1n;
    quote = smaller;
  }
  requireFitsU128('poolSnear', state.poolSnear + snearIn - quote.treasurySnear);
  return quote;
}

/**
 * Pool state after selling `snearIn` sNEAR: the pool pays nearOut, keeps snearIn less the
 * treasury's cut. `quote` is quoteLiquidUnstake(state, snearIn) when the caller already has it.
 */
export function applyLiquidUnstake(
  state: PoolState,
  snearIn: bigint,
  quote: LiquidUnstakeQuote = quoteLiquidUnstake(state, snearIn),
): PoolState {
  return {
    ...state,
    curve: { ...state.curve },
    liquidity: state.liquidity - quote.nearOut,
    poolSnear: state.poolSnear + quote.snearIn - quote.treasurySnear,
  };
}
