import { near } from 'near-sdk-js';
import { ensure } from '../whitelist/account-id';

/**
 * How many of the lockup's tokens are still locked at `now` (ns): all of `lockupAmount` until
 * `unlockTimestamp`, then released linearly over `releaseDuration` (0 = all at once).
 */
export function lockedAmountAt(
  lockupAmount: bigint,
  unlockTimestamp: bigint,
  releaseDuration: bigint,
  now: bigint,
): bigint {
  if (now < unlockTimestamp) {
    return lockupAmount;
  }
  if (releaseDuration === 0n) {
    return 0n;
  }
  const end = unlockTimestamp + releaseDuration;
  if (now >= end) {
    return 0n;
  }
  return (lockupAmount * (end - now)) / releaseDuration;
}

/** Storage the account must keep: its current storage usage, and at least mainnet's 3.5 NEAR. */
export function storageReserve(): bigint {
  const MIN_BALANCE_FOR_STORAGE = 3_500_000_000_000_000_000_000_000n;
  // Margin for the state growing by a few hundred bytes before the next call saves it.
  const STORAGE_MARGIN_BYTES = 1_000n;
  const needed = (near.storageUsage() + STORAGE_MARGIN_BYTES) * near.storageByteCost();
  return needed > MIN_BALANCE_FOR_STORAGE ? needed : MIN_BALANCE_FOR_STORAGE;
}

/** The account's liquid balance minus the storage reserve (what may leave the account). */
export function spendableBalance(): bigint {
  const balance = near.accountBalance();
  const reserve = storageReserve();
  return balance > reserve ? balance - reserve : 0n;
}

/** Reads the result of the single promise this callback depends on; null when it failed. */
export function promiseResultOrNull(): string | null {
  ensure(near.promiseResultsCount() === 1n, 'Contract expected a result on the callback');
  try {
    return near.promiseResult(0);
  } catch (_error) {
    return null;
  }
}
