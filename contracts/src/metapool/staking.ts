// The staking-pool interface (NEAR core-contracts names) for wallets and lockup contracts.
// Amounts are NEAR; sNEAR shares are priced by amm-math.
import { quoteStake } from '@snear/amm-math';
import { near } from 'near-sdk-js';
import { accountForDeposit, assertStorageCovered, currentEpoch, saveAccount } from './accounts';
import { parseAmount } from './args';
import { ensure, fail, withAmm } from './errors';
import { emitProtocol } from './events';
import { assertDepositsOpen } from './governance';
import { depositUnstaked, restakeBuckets, stakeDeposit } from './ledger';
import { nearValueOf, poolState, sharesForValueCeil, sharesOf } from './math';
import { logDeposited, logStaking } from './pool-logs';
import { maturedUnstaked, totalUnstaked } from './schedule';
import type { MetapoolState } from './state';
import { readAccount } from './storage';
import { bookUnstake, payWithdrawal } from './unstake';

/** `deposit()`: attached NEAR becomes the caller's unstaked balance, withdrawable at once. */
export function deposit(st: MetapoolState): void {
  assertDepositsOpen(st);
  const accountId = near.predecessorAccountId();
  const amount = near.attachedDeposit();
  ensure(amount > 0n, 'E_ZERO_AMOUNT', 'attach the NEAR to deposit');
  const acc = accountForDeposit(st, accountId, amount);
  depositUnstaked(st, acc, amount);
  logDeposited(accountId, amount, totalUnstaked(acc.buckets));
  saveAccount(accountId, acc);
  assertStorageCovered(st);
  emitProtocol('deposit', { account_id: accountId, amount });
}

/**
 * `deposit_and_stake()`: stakes the attached NEAR. It first buys the instant-exit pool's sNEAR at
 * the intrinsic price, fee-free (§5); the rest is minted and queued for delegation. Returns sNEAR.
 */
export function depositAndStake(st: MetapoolState): bigint {
  assertDepositsOpen(st);
  const accountId = near.predecessorAccountId();
  const amount = near.attachedDeposit();
  ensure(amount > 0n, 'E_ZERO_AMOUNT', 'attach the NEAR to stake');
  const acc = accountForDeposit(st, accountId, amount);
  const q = withAmm(() => quoteStake(poolState(st), amount));
  ensure(q.snearOut > 0n, 'E_BAD_AMOUNT', `${amount} yocto buys less than one yocto of sNEAR`);
  // The pool's sNEAR goes to the user and its NEAR liquidity grows; new shares for the rest.
  const unstaked = totalUnstaked(acc.buckets);
  stakeDeposit(st, accountId, acc, amount, q);
  logDeposited(accountId, amount, unstaked + amount);
  logStaking(st, accountId, amount, q.snearOut, acc);
  const epoch = currentEpoch();
  if (st.depositEpoch !== epoch) {
    st.depositEpoch = epoch;
    st.depositEpochNear = 0n;
  }
  st.depositEpochNear += amount;
  saveAccount(accountId, acc);
  assertStorageCovered(st);
  emitProtocol('deposit_and_stake', {
    account_id: accountId,
    amount,
    snear_out: q.snearOut,
    from_pool_near: q.fromPoolNear,
    minted_snear: q.mintedSnear,
  });
  return q.snearOut;
}

/** `stake({ amount })`: re-stakes NEAR from the caller's unstaked balance (cancels waiting first). */
export function stake(st: MetapoolState, args: { amount?: unknown }): void {
  const accountId = near.predecessorAccountId();
  const amount = parseAmount('amount', args.amount);
  restake(st, accountId, amount);
}

/** `stake_all()`: re-stakes the caller's whole unstaked balance. */
export function stakeAll(st: MetapoolState): void {
  const accountId = near.predecessorAccountId();
  const acc = readAccount(accountId);
  const amount = acc === null ? 0n : totalUnstaked(acc.buckets);
  ensure(amount > 0n, 'E_ZERO_AMOUNT', `${accountId} has no unstaked balance to stake`);
  restake(st, accountId, amount);
}

function restake(st: MetapoolState, accountId: string, amount: bigint): void {
  const acc = readAccount(accountId);
  const unstaked = acc === null ? 0n : totalUnstaked(acc.buckets);
  if (acc === null || unstaked < amount) {
    fail(
      'E_INSUFFICIENT_BALANCE',
      `${accountId} has ${unstaked} yocto unstaked, cannot stake ${amount}`,
    );
  }
  const shares = sharesOf(st, amount);
  ensure(shares > 0n, 'E_BAD_AMOUNT', `${amount} yocto is worth less than one share`);
  restakeBuckets(st, accountId, acc, amount, shares);
  logStaking(st, accountId, amount, shares, acc);
  saveAccount(accountId, acc);
  emitProtocol('stake', { account_id: accountId, amount, shares });
}

/** `unstake({ amount })`: burns the sNEAR worth `amount` NEAR (rounded up) and owes exactly `amount`. */
export function unstake(st: MetapoolState, args: { amount?: unknown }): number {
  const accountId = near.predecessorAccountId();
  const amount = parseAmount('amount', args.amount);
  const acc = readAccount(accountId);
  const staked = acc === null ? 0n : nearValueOf(st, acc.shares);
  if (acc === null || staked < amount) {
    fail(
      'E_INSUFFICIENT_BALANCE',
      `${accountId} has ${staked} yocto staked, cannot unstake ${amount}`,
    );
  }
  const shares = sharesForValueCeil(st, amount);
  const unlockEpoch = bookUnstake(st, accountId, acc, shares, amount);
  saveAccount(accountId, acc);
  return unlockEpoch;
}

/** `unstake_all()`: burns all the caller's sNEAR and owes its NEAR value (rounded down). */
export function unstakeAll(st: MetapoolState): number {
  const accountId = near.predecessorAccountId();
  const acc = readAccount(accountId);
  const shares = acc === null ? 0n : acc.shares;
  ensure(acc !== null && shares > 0n, 'E_INSUFFICIENT_BALANCE', `${accountId} has nothing staked`);
  const amount = nearValueOf(st, shares);
  ensure(amount > 0n, 'E_BAD_AMOUNT', `${shares} yocto sNEAR is worth 0 NEAR`);
  const unlockEpoch = bookUnstake(st, accountId, acc, shares, amount);
  saveAccount(accountId, acc);
  return unlockEpoch;
}

/** `withdraw({ amount })`: pays exactly `amount` of the caller's withdrawable unstaked NEAR. */
export function withdraw(st: MetapoolState, args: { amount?: unknown }): void {
  const accountId = near.predecessorAccountId();
  const amount = parseAmount('amount', args.amount);
  const acc = readAccount(accountId);
  if (acc === null) fail('E_INSUFFICIENT_BALANCE', `${accountId} has no unstaked balance`);
  payWithdrawal(st, accountId, acc, amount);
  saveAccount(accountId, acc);
}

/** `withdraw_all()`: pays everything the caller can withdraw now. */
export function withdrawAll(st: MetapoolState): bigint {
  const accountId = near.predecessorAccountId();
  const acc = readAccount(accountId);
  // All matured NEAR or nothing (payWithdrawal says why): no dust payouts.
  const amount = acc === null ? 0n : maturedUnstaked(acc.buckets, currentEpoch());
  ensure(
    acc !== null && amount > 0n,
    'E_NOT_AVAILABLE',
    `${accountId} has nothing withdrawable now`,
  );
  payWithdrawal(st, accountId, acc, amount);
  saveAccount(accountId, acc);
  return amount;
}
