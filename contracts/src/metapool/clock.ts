// The epoch clock (§6): where in its epoch a call runs, so no unstake starts that a staking pool
// might run in the next epoch (it would restart the timer of NEAR unstaked earlier there).
import { near } from 'near-sdk-js';
import { type UnstakeMode, unstakeModeAt } from './basket';
import type { MetapoolState } from './state';

/** Records the epoch and height of this call (run before every state write). */
export function observeClock(st: MetapoolState): void {
  const epoch = Number(near.epochHeight());
  const height = Number(near.blockHeight());
  if (epoch > st.seenEpoch) {
    st.prevSeenEpoch = st.seenEpoch;
    st.prevSeenHeight = st.seenHeight;
    st.seenEpoch = epoch;
  }
  st.seenHeight = height;
}

/** Which unstakes may start now (basket.unstakeModeAt). */
export function unstakeMode(st: MetapoolState, epoch: number): UnstakeMode {
  // Before this call is recorded, the latest call seen may be from an earlier epoch itself.
  const earlier = st.seenEpoch < epoch;
  return unstakeModeAt(
    epoch,
    Number(near.blockHeight()),
    earlier ? st.seenEpoch : st.prevSeenEpoch,
    earlier ? st.seenHeight : st.prevSeenHeight,
    st.epochLengthBlocks,
    st.epochMarginBlocks,
  );
}
