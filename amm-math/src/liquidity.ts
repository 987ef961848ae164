import { AmmError } from './errors';
import { valueOfSnear } from './price';
import type { AddLiquidityQuote, PoolState, RemoveLiquidityQuote } from './types';
import { requireAmount, requireFitsU128, validatePoolState } from './validate';

/** Quote adding `nearIn` yocto of NEAR liquidity: LP shares minted, rounded down (§4). */
export function quoteAddLiquidity(state: PoolState, nearIn: bigint): AddLiquidityQuote {
  validatePoolState(state);
  requireAmount('nearIn', nearIn);
  requireFitsU128('liquidity', state.liquidity + nearIn);
  if (state.lpShares === 0n) return { lpShares: nearIn };
  const poolValue = state.liquidity + valueOfSnear(state, state.poolSnear);
  if (poolValue === 0n) {
    throw new AmmError(
      'INVALID_STATE',
      `the pool has ${state.lpShares} LP shares but no value: shares cannot be priced`,
    );
  }
  const lpShares = (nearIn * state.lpShares) / poolValue;
  requireFitsU128('lpShares', state.lpShares + lpShares);
  return { lpShares };
}

/** Quote burning `lpShares`: pro-rata NEAR and sNEAR, each rounded down (§4). */
export function quoteRemoveLiquidity(state: PoolState, lpShares: bigint): RemoveLiquidityQuote {
  validatePoolState(state);
  requireAmount('lpShares', lpShares);
  if (lpShares > state.lpShares) {
    throw new AmmError(
      'INSUFFICIENT_SHARES',
      `cannot burn ${lpShares} LP shares: only ${state.lpShares} exist`,
    );
  }
  return {
    nearOut: (state.liquidity * lpShares) / state.lpShares,
    snearOut: (state.poolSnear * lpShares) / state.lpShares,
  };
}

/** Pool state after adding `nearIn` of liquidity (`quote`: quoteAddLiquidity's, if known). */
export function applyAddLiquidity(
  state: PoolState,
  nearIn: bigint,
  quote: AddLiquidityQuote = quoteAddLiquidity(state, nearIn),
): PoolState {
  return {
    ...state,
    curve: { ...state.curve },
    liquidity: state.liquidity + nearIn,
    lpShares: state.lpShares + quote.lpShares,
  };
}

/** Pool state after burning `lpShares` (`quote`: quoteRemoveLiquidity's, if known). */
export function applyRemoveLiquidity(
  state: PoolState,
  lpShares: bigint,
  quote: RemoveLiquidityQuote = quoteRemoveLiquidity(state, lpShares),
): PoolState {
  return {
    ...state,
    curve: { ...state.curve },
    liquidity: state.liquidity - quote.nearOut,
    poolSnear: state.poolSnear - quote.snearOut,
    lpShares: state.lpShares - lpShares,
  };
}
