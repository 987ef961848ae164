// Fee parameters and their hard caps (§3, §10): the caps are in code, so governance can never vote
// past them; they are checked when a change is queued and again when it applies.
import { isAmmError, MAX_TREASURY_CUT_BPS, validateCurve } from '@snear/amm-math';
import { encode, near } from 'near-sdk-js';
import { parseAmount, parseInteger } from './args';
import type { MetapoolState } from './state';
import type { FeeParams } from './types';

/** Hard cap on the protocol fee on rewards: 20%. */
export const MAX_REWARD_FEE_BPS = 2_000;

/**
 * Why the fee parameters break a hard cap (`E_<code>: sentence`), or null when they are within
 * every cap (amm-math's curve validator, the treasury cut, the reward fee). Never panics, so the
 * timelock can drop a change that no longer fits instead of blocking the queue.
 */
export function feeCapError(fees: FeeParams): string | null {
  try {
    validateCurve({
      minFeeBps: fees.minFeeBps,
      maxFeeBps: fees.maxFeeBps,
      targetLiquidity: fees.targetLiquidity,
    });
  } catch (e) {
    if (isAmmError(e)) return `E_${e.message}`;
    throw e;
  }
  if (fees.treasuryCutBps > MAX_TREASURY_CUT_BPS)
    return `E_BAD_PARAMS: treasury_cut_bps ${fees.treasuryCutBps} exceeds the cap of ${MAX_TREASURY_CUT_BPS}`;
  if (fees.rewardFeeBps > MAX_REWARD_FEE_BPS)
    return `E_BAD_PARAMS: reward_fee_bps ${fees.rewardFeeBps} exceeds the cap of ${MAX_REWARD_FEE_BPS}`;
  return null;
}

/** Aborts with feeCapError's code and sentence unless the fee parameters are within the caps. */
export function checkFeeCaps(fees: FeeParams): void {
  const err = feeCapError(fees);
  if (err !== null) near.panicUtf8(encode(err));
}

/** Parses fee parameters (each defaults to the current one) and checks them against the caps. */
export function parseFeeParams(st: MetapoolState, args: Record<string, unknown>): FeeParams {
  const fees: FeeParams = {
    minFeeBps:
      args.min_fee_bps === undefined
        ? st.minFeeBps
        : parseInteger('min_fee_bps', args.min_fee_bps, 0, 10_000),
    maxFeeBps:
      args.max_fee_bps === undefined
        ? st.maxFeeBps
        : parseInteger('max_fee_bps', args.max_fee_bps, 0, 10_000),
    targetLiquidity:
      args.target_liquidity === undefined
        ? st.targetLiquidity
        : parseAmount('target_liquidity', args.target_liquidity),
    treasuryCutBps:
      args.treasury_cut_bps === undefined
        ? st.treasuryCutBps
        : parseInteger('treasury_cut_bps', args.treasury_cut_bps, 0, 10_000),
    rewardFeeBps:
      args.reward_fee_bps === undefined
        ? st.rewardFeeBps
        : parseInteger('reward_fee_bps', args.reward_fee_bps, 0, 10_000),
  };
  checkFeeCaps(fees);
  return fees;
}
