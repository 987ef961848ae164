// sNEAR as a fungible token: NEP-141 core, NEP-145 storage management, NEP-148 metadata.
// Lockup accounts hold non-transferable shares (§9): they are outside ft_total_supply.
import { NearPromise, near } from 'near-sdk-js';
import {
  hasLockupSuffix,
  requireAccount,
  STORAGE_DEPOSIT_NEAR,
  saveAccount,
  sendNear,
} from './accounts';
import { isValidAccountId, parseAccountId, parseAmount } from './args';
import { ensure, fail } from './errors';
import { emitProtocol, emitTransfer } from './events';
import { govUnclaimedOf } from './gov';
import { burnOrphanRefund, moveHolding, moveShares } from './ledger';
import { liquidUnstakeFor, parseLiquidUnstakeMsg } from './liquidity';
import type { MetapoolState } from './state';
import { emptyAccount, readAccount, removeAccount } from './storage';
import { TGAS } from './types';

const GAS_FT_ON_TRANSFER = 35n * TGAS;
const GAS_FT_RESOLVE = 30n * TGAS;

/** NEP-141 ft_total_supply: transferable sNEAR (everything but lockup shares). */
export function ftTotalSupply(st: MetapoolState): bigint {
  return st.totalSnear - st.lockupShares;
}

/** NEP-141 ft_balance_of; the contract's own balance is the pool's sNEAR plus the locked seed. */
export function ftBalanceOf(st: MetapoolState, accountId: string): bigint {
  if (accountId === near.currentAccountId()) return st.poolSnear + st.seedSnear;
  const acc = readAccount(accountId);
  return acc === null || acc.lockup ? 0n : acc.shares;
}

function requireOneYocto(): void {
  ensure(
    near.attachedDeposit() === 1n,
    'E_DEPOSIT',
    'attach exactly 1 yoctoNEAR (NEP-141 security)',
  );
}

/** Moves sNEAR between two registered, non-lockup accounts. */
function internalTransfer(
  st: MetapoolState,
  senderId: string,
  receiverId: string,
  amount: bigint,
  memo?: string,
): void {
  ensure(senderId !== receiverId, 'E_SELF_TRANSFER', 'sender and receiver must differ');
  // (refuses a lockup sender or receiver: E_LOCKUP)
  moveHolding(st, 'shares', senderId, receiverId, amount, 'yocto sNEAR', 'E_INSUFFICIENT_BALANCE');
  emitTransfer(senderId, receiverId, amount, memo);
}

function parseMemo(memo: unknown): string | undefined {
  if (memo === undefined || memo === null) return undefined;
  if (typeof memo !== 'string') fail('E_BAD_ARGS', 'memo must be a string');
  return memo;
}

/** NEP-141 ft_transfer (1 yocto attached). */
export function ftTransfer(st: MetapoolState, args: Record<string, unknown>): void {
  requireOneYocto();
  const receiverId = parseAccountId('receiver_id', args.receiver_id);
  const amount = parseAmount('amount', args.amount);
  ensure(
    receiverId !== near.currentAccountId(),
    'E_BAD_ARGS',
    'to sell sNEAR to the pool use liquid_unstake',
  );
  internalTransfer(st, near.predecessorAccountId(), receiverId, amount, parseMemo(args.memo));
}

/**
 * NEP-141 ft_transfer_call (1 yocto). To the metapool itself the msg names an action:
 * `{"action":"liquid_unstake","min_near_out":"…"}` sells the sNEAR to the pool at once.
 */
export function ftTransferCall(
  st: MetapoolState,
  args: Record<string, unknown>,
): NearPromise | string {
  requireOneYocto();
  const senderId = near.predecessorAccountId();
  const receiverId = parseAccountId('receiver_id', args.receiver_id);
  const amount = parseAmount('amount', args.amount);
  const memo = parseMemo(args.memo);
  if (typeof args.msg !== 'string') fail('E_BAD_ARGS', 'msg must be a string');
  const msg = args.msg;
  if (receiverId === near.currentAccountId()) {
    const minNearOut = parseLiquidUnstakeMsg(msg);
    liquidUnstakeFor(st, senderId, amount, minNearOut);
    return amount.toString();
  }
  internalTransfer(st, senderId, receiverId, amount, memo);
  return NearPromise.new(receiverId)
    .functionCall(
      'ft_on_transfer',
      JSON.stringify({ sender_id: senderId, amount: amount.toString(), msg }),
      0n,
      GAS_FT_ON_TRANSFER,
    )
    .then(
      NearPromise.new(near.currentAccountId()).functionCall(
        'ft_resolve_transfer',
        JSON.stringify({ sender_id: senderId, receiver_id: receiverId, amount: amount.toString() }),
        0n,
        GAS_FT_RESOLVE,
      ),
    );
}

/** NEP-141 ft_resolve_transfer (private): refunds what the receiver did not use; returns used. */
export function ftResolveTransfer(st: MetapoolState, args: Record<string, unknown>): string {
  const senderId = args.sender_id as string;
  const receiverId = args.receiver_id as string;
  const amount = BigInt(args.amount as string);
  let unused = amount;
  try {
    const parsed = JSON.parse(near.promiseResult(0));
    if (typeof parsed === 'string' && /^\d+$/.test(parsed)) {
      unused = BigInt(parsed) < amount ? BigInt(parsed) : amount;
    }
  } catch (_e) {
    unused = amount;
  }
  // NEP-141: returns the amount used, i.e. not refunded to the sender (what the receiver spent or
  // moved on cannot come back; a refund burnt for a sender gone meanwhile is not refunded either).
  if (unused === 0n) return amount.toString();
  const receiver = readAccount(receiverId);
  const refundable = receiver === null ? 0n : receiver.shares < unused ? receiver.shares : unused;
  if (receiver === null || refundable === 0n) return amount.toString();
  const sender = readAccount(senderId);
  if (sender === null) {
    // Sender unregistered meanwhile: the refund is burnt, backing stays with all holders.
    burnOrphanRefund(st, receiverId, receiver, refundable);
    saveAccount(receiverId, receiver);
    emitProtocol('refund_burnt', { account_id: senderId, amount: refundable });
    return amount.toString();
  }
  moveShares(st, 'shares', receiverId, receiver, senderId, sender, refundable);
  saveAccount(receiverId, receiver);
  saveAccount(senderId, sender);
  emitTransfer(receiverId, senderId, refundable, 'refund');
  return (amount - refundable).toString();
}

/** NEP-145 storage_balance_bounds: one fixed deposit per account. */
export function storageBalanceBounds(): { min: string; max: string } {
  return { min: STORAGE_DEPOSIT_NEAR.toString(), max: STORAGE_DEPOSIT_NEAR.toString() };
}

/** NEP-145 storage_balance_of. */
export function storageBalanceOf(accountId: string): { total: string; available: string } | null {
  const acc = readAccount(accountId);
  if (acc === null) return null;
  return { total: STORAGE_DEPOSIT_NEAR.toString(), available: '0' };
}

/** NEP-145 storage_deposit: registers `account_id` (default: caller); refunds any excess. */
export function storageDeposit(
  st: MetapoolState,
  args: Record<string, unknown>,
): {
  total: string;
  available: string;
} {
  const payer = near.predecessorAccountId();
  const deposit = near.attachedDeposit();
  const accountId =
    args.account_id === undefined || args.account_id === null ? payer : args.account_id;
  if (!isValidAccountId(accountId)) fail('E_BAD_ARGS', 'account_id must be a valid account id');
  const existing = readAccount(accountId);
  if (existing !== null) {
    sendNear(payer, deposit);
  } else {
    if (deposit < STORAGE_DEPOSIT_NEAR) {
      fail(
        'E_STORAGE',
        `attach at least ${STORAGE_DEPOSIT_NEAR} yocto (0.01 NEAR) to register ${accountId}`,
      );
    }
    saveAccount(accountId, emptyAccount(STORAGE_DEPOSIT_NEAR, hasLockupSuffix(st, accountId)));
    // Fixed-size records: everything above the one deposit goes back (registration_only or not).
    sendNear(payer, deposit - STORAGE_DEPOSIT_NEAR);
    emitProtocol('storage_deposit', { account_id: accountId });
  }
  return { total: STORAGE_DEPOSIT_NEAR.toString(), available: '0' };
}

/** NEP-145 storage_withdraw: nothing is ever withdrawable above the fixed minimum. */
export function storageWithdraw(args: Record<string, unknown>): {
  total: string;
  available: string;
} {
  requireOneYocto();
  const accountId = near.predecessorAccountId();
  requireAccount(accountId);
  if (
    args.amount !== undefined &&
    args.amount !== null &&
    parseAmount('amount', args.amount, true) > 0n
  ) {
    fail('E_STORAGE', 'no storage balance above the minimum is available to withdraw');
  }
  return { total: STORAGE_DEPOSIT_NEAR.toString(), available: '0' };
}

/** NEP-145 storage_unregister: removes an empty account and returns its storage deposit. */
export function storageUnregister(st: MetapoolState, args: Record<string, unknown>): boolean {
  requireOneYocto();
  const accountId = near.predecessorAccountId();
  const acc = readAccount(accountId);
  if (acc === null) return false;
  ensure(
    accountId !== st.treasuryId,
    'E_STORAGE',
    'the treasury account stays registered (it receives fees)',
  );
  const force = args.force === true;
  ensure(
    !force,
    'E_BAD_ARGS',
    'force unregistering is not supported: unstake or transfer the balance first',
  );
  if (acc.shares > 0n || acc.lp > 0n || acc.buckets.length > 0) {
    fail('E_STORAGE', `${accountId} still holds sNEAR, LP shares or unstaked NEAR; empty it first`);
  }
  const gov = govUnclaimedOf(st, accountId);
  if (gov > 0n) {
    fail('E_STORAGE', `${accountId} has ${gov} governance tokens to claim; call claim_gov first`);
  }
  removeAccount(accountId);
  sendNear(accountId, acc.storagePaid + 1n);
  emitProtocol('storage_unregister', { account_id: accountId });
  return true;
}

/** NEP-148 ft_metadata. */
export function ftMetadata(): Record<string, unknown> {
  return {
    spec: 'ft-1.0.0',
    name: 'Staked NEAR',
    symbol: 'sNEAR',
    icon: null,
    reference: null,
    reference_hash: null,
    decimals: 24,
  };
}
