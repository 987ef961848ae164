// Lockup (vesting) accounts (§9): they use the staking-pool interface, hold non-transferable
// shares, get exact amounts back, and may not liquid-unstake, transfer or provide liquidity. They
// are recognised by account-id suffixes (`.lockup.near` for NEAR's lockups, `.<veNEAR contract>`
// for House of Stake's), a list governance changes through the timelock.
import { near } from 'near-sdk-js';
import { isLockup } from './accounts';
import { isValidAccountId } from './args';
import { fail } from './errors';
import type { MetapoolState } from './state';
import { readAccount } from './storage';
import type { AccountRecord } from './types';

/** Most suffixes the list may hold (every lockup check walks it). */
export const MAX_LOCKUP_SUFFIXES = 8;

/**
 * E_LOCKUP when `accountId` is a lockup account (they may only use the staking-pool interface);
 * `acc` is its record when the caller has it (null: unregistered).
 */
export function assertNotLockup(
  st: MetapoolState,
  accountId: string,
  action: string,
  acc: AccountRecord | null = readAccount(accountId),
): void {
  if (isLockup(st, accountId, acc)) {
    fail('E_LOCKUP', `lockup account ${accountId} cannot ${action}; use unstake and withdraw`);
  }
}

/**
 * Parses `lockup_suffixes`: 1..8 distinct suffixes, each `.` + a valid account id of at least two
 * parts (the parent of the lockups, e.g. `.lockup.near`; a top-level suffix such as `.near` would
 * catch every named account), matching neither the treasury nor the metapool itself.
 */
export function parseLockupSuffixes(st: MetapoolState, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LOCKUP_SUFFIXES) {
    fail(
      'E_BAD_ARGS',
      `lockup_suffixes must be a list of 1..${MAX_LOCKUP_SUFFIXES} account-id suffixes (got ${JSON.stringify(value)})`,
    );
  }
  const suffixes: string[] = [];
  for (const s of value) {
    const parent = typeof s === 'string' && s.startsWith('.') ? s.slice(1) : '';
    if (!isValidAccountId(parent) || parent.length > 63 || !parent.includes('.')) {
      fail(
        'E_BAD_ARGS',
        `lockup suffix ${JSON.stringify(s)} must be "." followed by a valid account id of at least two parts (e.g. ".lockup.near")`,
      );
    }
    if (suffixes.includes(s)) fail('E_BAD_ARGS', `lockup suffix ${s} is listed twice`);
    for (const id of [st.treasuryId, near.currentAccountId()]) {
      if (id.endsWith(s))
        fail('E_BAD_ARGS', `lockup suffix ${s} would make ${id} a lockup account`);
    }
    suffixes.push(s);
  }
  return suffixes;
}

export { isLockup };
