// NEP-145 storage management: one fixed deposit per account (min = max), so nothing above it is
// ever withdrawable and any excess is refunded at once.
import { near } from 'near-sdk-js';
import { isValidAccountId } from '../shared/account-id';
import { parseAmount } from '../shared/args';
import { ensure, fail } from './errors';
import { balanceOf, register, STORAGE_DEPOSIT_NEAR, unregister } from './ledger';
import type { GovTokenState } from './state';
import { requireOneYocto } from './token';

/** NEP-145 StorageBalance. */
export interface StorageBalance {
  total: string;
  available: string;
}

const REGISTERED: StorageBalance = { total: STORAGE_DEPOSIT_NEAR.toString(), available: '0' };

function sendNear(accountId: string, amount: bigint): void {
  if (amount === 0n) return;
  near.promiseBatchActionTransfer(near.promiseBatchCreate(accountId), amount);
}

function parseOptionalBool(name: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') fail('E_BAD_ARGS', `${name} must be true or false`);
  return value;
}

/**
 * storage_deposit({ account_id?, registration_only? }), payable: registers `account_id` (default:
 * the caller) for STORAGE_DEPOSIT_NEAR; refunds the excess, or everything when already registered.
 */
export function storageDeposit(args: Record<string, unknown>): StorageBalance {
  const payer = near.predecessorAccountId();
  const deposit = near.attachedDeposit();
  const accountId =
    args.account_id === undefined || args.account_id === null ? payer : args.account_id;
  if (!isValidAccountId(accountId))
    fail('E_BAD_ARGS', `account_id must be a valid account id (got ${JSON.stringify(accountId)})`);
  parseOptionalBool('registration_only', args.registration_only);
  if (balanceOf(accountId) !== null) {
    near.log(`${accountId} is already registered; the deposit is refunded`);
    sendNear(payer, deposit);
    return REGISTERED;
  }
  if (deposit < STORAGE_DEPOSIT_NEAR) {
    fail(
      'E_STORAGE',
      `attach at least ${STORAGE_DEPOSIT_NEAR} yoctoNEAR (0.00145 NEAR) to register ${accountId} (attached ${deposit})`,
    );
  }
  register(accountId);
  sendNear(payer, deposit - STORAGE_DEPOSIT_NEAR);
  return REGISTERED;
}

/** storage_withdraw({ amount? }) with 1 yoctoNEAR: nothing above the fixed deposit exists. */
export function storageWithdraw(args: Record<string, unknown>): StorageBalance {
  requireOneYocto();
  const accountId = near.predecessorAccountId();
  ensure(
    balanceOf(accountId) !== null,
    'E_NOT_REGISTERED',
    `${accountId} is not registered on this token; there is no storage deposit to withdraw`,
  );
  if (
    args.amount !== undefined &&
    args.amount !== null &&
    parseAmount('amount', args.amount, true) > 0n
  ) {
    fail(
      'E_STORAGE',
      'no storage balance above the fixed registration deposit is available; storage_unregister returns the deposit',
    );
  }
  return REGISTERED;
}

/**
 * storage_unregister({ force? }) with 1 yoctoNEAR: removes the caller's record and returns the
 * deposit (+ the 1 yocto); a non-zero balance is refused unless `force`, which burns it.
 * Returns false when the caller was not registered.
 */
export function storageUnregister(st: GovTokenState, args: Record<string, unknown>): boolean {
  requireOneYocto();
  const force = parseOptionalBool('force', args.force);
  const accountId = near.predecessorAccountId();
  const balance = balanceOf(accountId);
  if (balance === null) {
    near.log(`${accountId} is not registered; nothing to unregister`);
    return false;
  }
  if (balance > 0n && !force) {
    fail(
      'E_STORAGE',
      `${accountId} still holds ${balance}; transfer it away first, or pass force: true to burn it`,
    );
  }
  unregister(st, accountId, balance);
  sendNear(accountId, STORAGE_DEPOSIT_NEAR + 1n);
  return true;
}

/** storage_balance_of({ account_id }): null when not registered. */
export function storageBalanceOf(accountId: string): StorageBalance | null {
  return balanceOf(accountId) === null ? null : REGISTERED;
}

/** storage_balance_bounds: one fixed deposit. */
export function storageBalanceBounds(): { min: string; max: string } {
  return { min: STORAGE_DEPOSIT_NEAR.toString(), max: STORAGE_DEPOSIT_NEAR.toString() };
}
