// Lockup (vesting) accounts (§9): they use the staking-pool interface, hold non-transferable
// shares, get exact amounts back, and may not liquid-unstake, transfer or provide liquidity.
import { fail } from './errors';
import { isLockup } from './ledger';
import type { MetapoolState } from './state';

/** E_LOCKUP when `accountId` is a lockup account (they may only use the staking-pool interface). */
export function assertNotLockup(st: MetapoolState, accountId: string, action: string): void {
  if (isLockup(st, accountId)) {
    fail('E_LOCKUP', `lockup account ${accountId} cannot ${action}; use unstake and withdraw`);
  }
}

export { isLockup };
