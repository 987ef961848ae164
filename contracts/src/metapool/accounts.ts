// Account records: registration, the lockup class (§9), moving holdings between accounts, sending
// NEAR. The money totals change only in ledger.ts.
import { near } from 'near-sdk-js';
import { fail } from './errors';
import type { MetapoolState } from './state';
import { emptyAccount, readAccount, writeAccount } from './storage';
import type { AccountRecord } from './types';

/** NEAR locked per account record (NEP-145 storage_balance_bounds). */
export const STORAGE_DEPOSIT_NEAR = 10_000_000_000_000_000_000_000n; // 0.01 NEAR

/** Current epoch as a number. */
export function currentEpoch(): number {
  return Number(near.epochHeight());
}

/** True when `accountId` ends with one of the lockup suffixes (§9). */
export function hasLockupSuffix(st: MetapoolState, accountId: string): boolean {
  for (const suffix of st.lockupSuffixes) if (accountId.endsWith(suffix)) return true;
  return false;
}

/** True when the record holds nothing (no sNEAR, no LP shares, no unstake bucket). */
function holdsNothing(acc: AccountRecord): boolean {
  return acc.shares === 0n && acc.lp === 0n && acc.buckets.length === 0;
}

/**
 * True for a lockup (vesting) account (§9). A record that holds something keeps the class it was
 * given (its shares are counted in `lockupShares` or in the supply accordingly); an unregistered
 * account or an empty record takes its class from the current suffixes. `acc` is the account's
 * record when the caller has it (null: unregistered); otherwise it is read.
 */
export function isLockup(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord | null = readAccount(accountId),
): boolean {
  return acc === null || holdsNothing(acc) ? hasLockupSuffix(st, accountId) : acc.lockup;
}

/**
 * Gives a record that holds nothing the class the current suffixes give its account, before it
 * receives anything: a suffix list change then applies to every account from its next deposit,
 * while the aggregates (lockupShares, the supply) never see a holding change class.
 */
export function syncLockupClass(st: MetapoolState, accountId: string, acc: AccountRecord): void {
  if (holdsNothing(acc)) acc.lockup = hasLockupSuffix(st, accountId);
}

/** The record of a registered account, or E_NOT_REGISTERED. */
export function requireAccount(accountId: string): AccountRecord {
  const acc = readAccount(accountId);
  if (acc === null) {
    fail('E_NOT_REGISTERED', `account ${accountId} is not registered; call storage_deposit first`);
  }
  return acc;
}

/** The record of a staker, registering it on the contract's storage if the deposit is large enough. */
export function accountForDeposit(
  st: MetapoolState,
  accountId: string,
  deposit: bigint,
): AccountRecord {
  const acc = readAccount(accountId);
  if (acc !== null) {
    syncLockupClass(st, accountId, acc);
    return acc;
  }
  if (deposit < st.minFirstDepositNear) {
    fail(
      'E_DEPOSIT',
      `a first deposit must be at least ${st.minFirstDepositNear} yocto (or call storage_deposit first)`,
    );
  }
  return emptyAccount(0n, hasLockupSuffix(st, accountId));
}

/**
 * E_STORAGE unless the contract's balance covers its storage on top of every NEAR it holds for
 * others: storage paid out of user funds would strand a later delegation or payout.
 */
export function assertStorageCovered(st: MetapoolState): void {
  const held = st.reserveNear + st.retrievedNear + st.liquidity + st.roundingFundNear;
  const storage = near.storageUsage() * near.storageByteCost();
  if (near.accountBalance() < held + storage) {
    fail(
      'E_STORAGE',
      "the contract's storage reserve is used up; register with storage_deposit (0.01 NEAR) first",
    );
  }
}

/** Sends NEAR to an account (fire-and-forget transfer receipt). */
export function sendNear(accountId: string, amount: bigint): void {
  if (amount === 0n) return;
  const p = near.promiseBatchCreate(accountId);
  near.promiseBatchActionTransfer(p, amount);
}

/** Saves an account record. */
export function saveAccount(accountId: string, acc: AccountRecord): void {
  writeAccount(accountId, acc);
}
