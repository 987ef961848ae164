// The instant-exit pool (§3–§5): liquid unstake on the integral fee curve, LP shares, and the
// pool's self-unstake. Every number comes from amm-math.

import {
  formatNear,
  type LiquidUnstakeQuoteView,
  quoteAddLiquidity,
  quoteLiquidUnstake,
  quoteRemoveLiquidity,
  quoteToView,
} from '@snear/amm-math';
import { near } from 'near-sdk-js';
import {
  accountForDeposit,
  assertStorageCovered,
  currentEpoch,
  requireAccount,
  saveAccount,
} from './accounts';
import { parseAccountId, parseAmount, parseOptionalAmount } from './args';
import { ensure, fail, withAmm } from './errors';
import { emitProtocol } from './events';
import { assertDepositsOpen } from './governance';
import {
  addToPool,
  moveHolding,
  poolSelfUnstake,
  refillPool,
  removeFromPool,
  sellToPool,
} from './ledger';
import { assertNotLockup } from './lockup';
import { nearValueOf, poolState, sharesOf } from './math';
import { maturedUnstaked } from './schedule';
import type { MetapoolState } from './state';
import { readAccount, readValidators } from './storage';
import { LP_POOL_ACCOUNT, minAmount } from './types';
import { predictUnlockEpoch } from './unstake';

/** `12.345 NEAR` (exact, trailing zeros dropped) for error sentences. */
function nearText(yocto: bigint): string {
  return `${formatNear(yocto)} NEAR`;
}

/** Parses the ft_transfer_call msg `{"action":"liquid_unstake","min_near_out":"…"}`. */
export function parseLiquidUnstakeMsg(msg: string): bigint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(msg);
  } catch (_e) {
    fail('E_BAD_MSG', 'msg must be JSON like {"action":"liquid_unstake","min_near_out":"<yocto>"}');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { action?: unknown }).action !== 'liquid_unstake'
  ) {
    fail(
      'E_BAD_MSG',
      'the only action on the metapool is {"action":"liquid_unstake","min_near_out":"<yocto>"}',
    );
  }
  const o = parsed as { min_near_out?: unknown };
  if (o.min_near_out === undefined) fail('E_BAD_MSG', 'msg needs min_near_out (yocto string)');
  return parseAmount('min_near_out', o.min_near_out, true);
}

/** Sells `snearIn` of the account's sNEAR to the pool for NEAR now; returns quoteToView. */
export function liquidUnstakeFor(
  st: MetapoolState,
  accountId: string,
  snearIn: bigint,
  minNearOut: bigint,
): LiquidUnstakeQuoteView {
  const found = readAccount(accountId);
  assertNotLockup(st, accountId, 'liquid-unstake', found);
  const acc = found ?? requireAccount(accountId);
  if (acc.shares < snearIn) {
    fail(
      'E_INSUFFICIENT_BALANCE',
      `${accountId} holds ${acc.shares} yocto sNEAR, cannot sell ${snearIn}`,
    );
  }
  const q = withAmm(() => quoteLiquidUnstake(poolState(st), snearIn));
  if (q.nearOut < minNearOut) {
    fail(
      'E_SLIPPAGE',
      `would receive ${nearText(q.nearOut)} (${q.nearOut} yocto, fee ${q.feeBps} bps), ` +
        `minimum ${nearText(minNearOut)} (${minNearOut} yocto)`,
    );
  }
  sellToPool(st, accountId, acc, q);
  const view = quoteToView(q);
  emitProtocol('liquid_unstake', { account_id: accountId, ...view });
  return view;
}

/**
 * `liquid_unstake({ snear_amount, min_near_out })` with exactly 1 yoctoNEAR attached, like every
 * NEP-141 value move: a function-call access key (which cannot attach NEAR) cannot sell sNEAR.
 */
export function liquidUnstake(
  st: MetapoolState,
  args: Record<string, unknown>,
): LiquidUnstakeQuoteView {
  const snearIn = parseAmount('snear_amount', args.snear_amount);
  const minNearOut = parseAmount('min_near_out', args.min_near_out, true);
  const attached = near.attachedDeposit();
  ensure(
    attached === 1n,
    'E_DEPOSIT',
    `attach exactly 1 yoctoNEAR to liquid_unstake (attached ${attached}): it proves a full-access key`,
  );
  return liquidUnstakeFor(st, near.predecessorAccountId(), snearIn, minNearOut);
}

/** View `quote_liquid_unstake({ snear_amount })`: amm-math's quote as snake_case strings. */
export function quoteLiquidUnstakeView(
  st: MetapoolState,
  args: Record<string, unknown>,
): LiquidUnstakeQuoteView {
  const snearIn = parseAmount('snear_amount', args.snear_amount);
  return quoteToView(withAmm(() => quoteLiquidUnstake(poolState(st), snearIn)));
}

/** `add_liquidity({ min_shares? })` (payable): attached NEAR buys LP shares. Returns shares. */
export function addLiquidity(st: MetapoolState, args: Record<string, unknown>): bigint {
  assertDepositsOpen(st);
  const accountId = near.predecessorAccountId();
  const nearIn = near.attachedDeposit();
  ensure(nearIn > 0n, 'E_ZERO_AMOUNT', 'attach the NEAR to add as liquidity');
  const minShares = parseOptionalAmount('min_shares', args.min_shares, 0n);
  const acc = accountForDeposit(st, accountId, nearIn);
  assertNotLockup(st, accountId, 'provide liquidity', acc);
  const { lpShares } = withAmm(() => quoteAddLiquidity(poolState(st), nearIn));
  ensure(lpShares > 0n, 'E_BAD_AMOUNT', `${nearIn} yocto buys no LP share; add more`);
  if (lpShares < minShares) {
    fail('E_SLIPPAGE', `would mint ${lpShares} LP shares, minimum ${minShares}`);
  }
  addToPool(st, accountId, acc, nearIn, { lpShares });
  saveAccount(accountId, acc);
  assertStorageCovered(st);
  emitProtocol('add_liquidity', { account_id: accountId, near_in: nearIn, lp_shares: lpShares });
  return lpShares;
}

/**
 * `remove_liquidity({ shares, min_near_out?, min_snear_out? })`: pays the pro-rata NEAR and sNEAR
 * now, and the pro-rata part of the pool's own pending unstake as the caller's unstake buckets.
 */
export function removeLiquidity(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, string> {
  const accountId = near.predecessorAccountId();
  const shares = parseAmount('shares', args.shares);
  const minNearOut = parseOptionalAmount('min_near_out', args.min_near_out, 0n);
  const minSnearOut = parseOptionalAmount('min_snear_out', args.min_snear_out, 0n);
  const acc = requireAccount(accountId);
  if (acc.lp < shares) {
    fail(
      'E_INSUFFICIENT_LP_SHARES',
      `${accountId} holds ${acc.lp} LP shares, cannot remove ${shares}`,
    );
  }
  const q = withAmm(() => quoteRemoveLiquidity(poolState(st), shares));
  if (q.nearOut < minNearOut) {
    fail('E_SLIPPAGE', `would receive ${nearText(q.nearOut)}, minimum ${nearText(minNearOut)}`);
  }
  if (q.snearOut < minSnearOut) {
    fail('E_SLIPPAGE', `would receive ${q.snearOut} yocto sNEAR, minimum ${minSnearOut}`);
  }
  const unstakingNear = removeFromPool(st, accountId, acc, shares, q);
  saveAccount(accountId, acc);
  const result = {
    near_out: q.nearOut.toString(),
    snear_out: q.snearOut.toString(),
    unstaking_near: unstakingNear.toString(),
  };
  emitProtocol('remove_liquidity', { account_id: accountId, shares, ...result });
  return result;
}

/** `lp_transfer({ receiver_id, shares })`: moves LP shares to another registered account. */
export function lpTransfer(st: MetapoolState, args: Record<string, unknown>): void {
  ensure(near.attachedDeposit() <= 1n, 'E_DEPOSIT', 'attach at most 1 yoctoNEAR');
  const senderId = near.predecessorAccountId();
  const receiverId = parseAccountId('receiver_id', args.receiver_id);
  const shares = parseAmount('shares', args.shares);
  ensure(senderId !== receiverId, 'E_SELF_TRANSFER', 'sender and receiver must differ');
  // (refuses a lockup sender or receiver: E_LOCKUP)
  moveHolding(st, 'lp', senderId, receiverId, shares, 'LP shares', 'E_INSUFFICIENT_LP_SHARES');
  emitProtocol('lp_transfer', { sender_id: senderId, receiver_id: receiverId, shares });
}

/** View `get_lp_account({ account_id })`: shares and their current value. */
export function getLpAccount(st: MetapoolState, accountId: string): Record<string, string> {
  const acc = readAccount(accountId);
  const shares = acc === null ? 0n : acc.lp;
  // with the pool's buckets, amm-math splits them as remove_liquidity does (each rounded down)
  const pool = readAccount(LP_POOL_ACCOUNT);
  const state = { ...poolState(st), lpUnstakingSchedule: pool === null ? [] : pool.buckets };
  const q =
    shares > 0n && st.lpShares > 0n
      ? quoteRemoveLiquidity(state, shares)
      : { nearOut: 0n, snearOut: 0n, unstakingNear: 0n };
  const unstaking = q.unstakingNear;
  return {
    account_id: accountId,
    shares: shares.toString(),
    near: q.nearOut.toString(),
    snear: q.snearOut.toString(),
    unstaking_near: unstaking.toString(),
    value_near: (q.nearOut + nearValueOf(st, q.snearOut) + unstaking).toString(),
  };
}

/**
 * Self-unstake (§5), a ping step: when deposits have not cleared the pool this epoch and its NEAR
 * is below target, the pool delayed-unstakes sNEAR worth the shortfall. Returns the NEAR, or 0.
 */
export function selfUnstake(st: MetapoolState): bigint {
  const epoch = currentEpoch();
  if (st.lastSelfUnstakeEpoch === epoch || st.poolSnear === 0n || st.lpShares === 0n) return 0n;
  if (st.depositEpoch === epoch && st.depositEpochNear > 0n) return 0n;
  const have = st.liquidity + st.lpUnstakingNear;
  if (have >= st.targetLiquidity) return 0n;
  if (nearValueOf(st, st.poolSnear) < st.selfUnstakeThresholdNear) return 0n;
  const want = st.targetLiquidity - have;
  const wantShares = sharesOf(st, want);
  const shares = minAmount(wantShares, st.poolSnear);
  const nearAmount = nearValueOf(st, shares);
  if (nearAmount === 0n) return 0n;
  const unlockEpoch = predictUnlockEpoch(st, readValidators(), epoch, nearAmount);
  poolSelfUnstake(st, shares, nearAmount, unlockEpoch);
  st.lastSelfUnstakeEpoch = epoch;
  emitProtocol('pool_self_unstake', { shares, amount: nearAmount, unlock_epoch: unlockEpoch });
  return nearAmount;
}

/** Refill (a ping step): matured self-unstake NEAR that is back in the contract becomes liquidity. */
export function refillFromSelfUnstake(st: MetapoolState): bigint {
  if (st.lpUnstakingNear === 0n) return 0n;
  const pool = readAccount(LP_POOL_ACCOUNT);
  if (pool === null) return 0n;
  const amount = maturedUnstaked(pool.buckets, currentEpoch());
  if (amount === 0n || st.retrievedNear < amount) return 0n;
  refillPool(st, pool, amount);
  emitProtocol('pool_refill', { amount });
  return amount;
}
