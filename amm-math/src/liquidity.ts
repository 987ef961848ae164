import { AmmError } from './errors';
import { valueOfSnear } from './price';
import type { AddLiquidityQuote, PoolState, RemoveLiquidityQuote, UnstakeBucket } from './types';
import { requireAmount, requireFitsU128, validatePoolState } from './validate';

/** Quote adding `nearIn` yocto of NEAR liquidity: LP shares minted, rounded down (§4). */
export function quoteAddLiquidity(state: PoolState, nearIn: bigint): AddLiquidityQuote {
  validatePoolState(state);
  requireAmount('nearIn', nearIn);
  requireFitsU128('liquidity', state.liquidity + nearIn);
  if (state.lpShares === 0n) return { lpShares: nearIn };
  // the NEAR coming back from the pool's own delayed unstake is the LPs' too
  const poolValue =
    state.liquidity + (state.lpUnstakingNear ?? 0n) + valueOfSnear(state, state.poolSnear);
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

/**
 * The provider's pro-rata part of the pool's delayed unstake: each bucket of the schedule rounded
 * down (zero parts dropped), as the contract moves them; without a schedule, the total rounded down.
 */
function unstakingPart(
  state: PoolState,
  lpShares: bigint,
): Pick<RemoveLiquidityQuote, 'unstakingNear' | 'unstaking'> {
  const total = state.lpUnstakingNear ?? 0n;
  if (total === 0n) return { unstakingNear: 0n, unstaking: [] };
  if (state.lpUnstakingSchedule === undefined) {
    return { unstakingNear: (total * lpShares) / state.lpShares, unstaking: [] };
  }
  const unstaking: UnstakeBucket[] = [];
  let unstakingNear = 0n;
  for (const bucket of state.lpUnstakingSchedule) {
    const near = (bucket.near * lpShares) / state.lpShares;
    if (near > 0n) {
      unstaking.push({ unlockEpoch: bucket.unlockEpoch, near });
      unstakingNear += near;
    }
  }
  return { unstakingNear, unstaking };
}

/**
 * Quote burning `lpShares`: pro-rata NEAR and sNEAR now, and the pro-rata part of the pool's own
 * delayed unstake (`unstakingNear`), each rounded down (§4).
 */
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
    ...unstakingPart(state, lpShares),
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
    ...(state.lpUnstakingNear === undefined
      ? {}
      : { lpUnstakingNear: state.lpUnstakingNear - quote.unstakingNear }),
    ...(state.lpUnstakingSchedule === undefined
      ? {}
      : {
          lpUnstakingSchedule: state.lpUnstakingSchedule
            .map((b) => ({
              unlockEpoch: b.unlockEpoch,
              near: b.near - (b.near * lpShares) / state.lpShares,
            }))
            .filter((b) => b.near > 0n),
        }),
  };
}
