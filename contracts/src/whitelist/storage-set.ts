import { near } from 'near-sdk-js';

// A set of account ids kept as bare storage keys `<prefix><account_id>` (what the real contract's
// `LookupSet` does): no STATE growth, one storage read per lookup.

/** True when `accountId` is in the set stored under `prefix`. */
export function setContains(prefix: string, accountId: string): boolean {
  return near.storageHasKey(prefix + accountId);
}

/** Adds `accountId`; true when it was not in the set before. */
export function setInsert(prefix: string, accountId: string): boolean {
  return !near.storageWrite(prefix + accountId, '');
}

/** Removes `accountId`; true when it was in the set before. */
export function setRemove(prefix: string, accountId: string): boolean {
  return near.storageRemove(prefix + accountId);
}
