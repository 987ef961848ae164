// The one bridge from contract state to amm-math: every share and curve number comes from there.
import { nearToSnear, type PoolState, snearForValueCeil, snearToNear } from '@snear/amm-math';
import type { MetapoolState } from './state';

/** amm-math's PoolState for the current contract state. */
export function poolState(st: MetapoolState): PoolState {
  return {
    totalStakedNear: st.totalStakedNear,
    totalSnear: st.totalSnear,
    liquidity: st.liquidity,
    poolSnear: st.poolSnear,
    lpShares: st.lpShares,
    // LP shares are priced with the NEAR coming back from the pool's own delayed unstake
    lpUnstakingNear: st.lpUnstakingNear,
    curve: {
      minFeeBps: st.minFeeBps,
      maxFeeBps: st.maxFeeBps,
      targetLiquidity: st.targetLiquidity,
    },
    treasuryCutBps: st.treasuryCutBps,
  };
}

/** NEAR value of sNEAR shares (floor). */
export function nearValueOf(st: MetapoolState, shares: bigint): bigint {
  return snearToNear(poolState(st), shares);
}

/** sNEAR shares bought by NEAR (floor). */
export function sharesOf(st: MetapoolState, nearAmount: bigint): bigint {
  return nearToSnear(poolState(st), nearAmount);
}

/** Fewest shares whose value is at least `nearAmount` (what a holder pays to take that NEAR out). */
export function sharesForValueCeil(st: MetapoolState, nearAmount: bigint): bigint {
  return snearForValueCeil(poolState(st), nearAmount);
}
