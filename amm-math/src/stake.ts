import { minBig } from './bigmath';
import { nearForSnearCeil, snearOfNear, valueOfSnear } from './price';
import type { PoolState, StakeQuote } from './types';
import { requireAmount, requireFitsU128, validatePoolState } from './validate';

/**
 * Quote deposit_and_stake of `nearIn` yocto (§5): the user gets nearToSnear(nearIn) sNEAR, from
 * the pool's sNEAR first (fee-free, at the intrinsic price), the rest newly minted.
 */
export function quoteStake(state: PoolState, nearIn: bigint): StakeQuote {
  validatePoolState(state);
  requireAmount('nearIn', nearIn);
  const snearOut = snearOfNear(state, nearIn);
  let fromPoolNear: bigint;
  let fromPoolSnear: bigint;
  if (nearIn <= valueOfSnear(state, state.poolSnear)) {
    // The deposit fits in the pool's sNEAR: §5 literally.
    fromPoolNear = nearIn;
    fromPoolSnear = snearOut;
  } else {
    // §5 rounds the pool part and the minted part separately, so a split deposit could get one
    // yocto more than the whole. Round once instead: the pool sells (up to) all its sNEAR, the
    // minted part is backed by ceil(minted·N/S) NEAR so the share price never falls, and the pool
    // keeps the rest, which is at least snearToNear of the sNEAR it sold (its value never falls).
    fromPoolSnear = minBig(state.poolSnear, snearOut);
    const stakedNear =
      fromPoolSnear === 0n ? nearIn : nearForSnearCeil(state, snearOut - fromPoolSnear);
    fromPoolNear = nearIn - stakedNear;
  }
  const mintedSnear = snearOut - fromPoolSnear;
  requireFitsU128('liquidity', state.liquidity + fromPoolNear);
  requireFitsU128('totalStakedNear', state.totalStakedNear + nearIn - fromPoolNear);
  requireFitsU128('totalSnear', state.totalSnear + mintedSnear);
  return { snearOut, fromPoolNear, fromPoolSnear, mintedSnear };
}

/**
 * Pool state after deposit_and_stake of `nearIn`: pool liquidity refills, the rest is staked.
 * `quote` is quoteStake(state, nearIn) when the caller already has it.
 */
export function applyStake(
  state: PoolState,
  nearIn: bigint,
  quote: StakeQuote = quoteStake(state, nearIn),
): PoolState {
  return {
    ...state,
    curve: { ...state.curve },
    liquidity: state.liquidity + quote.fromPoolNear,
    poolSnear: state.poolSnear - quote.fromPoolSnear,
    totalStakedNear: state.totalStakedNear + (nearIn - quote.fromPoolNear),
    totalSnear: state.totalSnear + quote.mintedSnear,
  };
}
