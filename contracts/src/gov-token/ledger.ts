// Balances and the money totals: the one place either changes. Each registered account's balance
// is its own storage record `b:<account id>` holding a decimal string; no record = not registered.
import { near } from 'near-sdk-js';
import { fail } from './errors';
import { emitBurn, emitMint, emitTransfer } from './events';
import type { GovTokenState } from './state';

const BALANCE_PREFIX = 'b:';
/** Longest NEAR account id. */
const MAX_ACCOUNT_ID_BYTES = 64n;
/** Longest u128 in decimal. */
const MAX_U128_DIGITS = 39n;
/** nearcore's per-record overhead in storage bytes. */
const RECORD_OVERHEAD_BYTES = 40n;
/** yocto NEAR staked per byte of storage (nearcore's storage_amount_per_byte). */
const STORAGE_BYTE_COST = 10_000_000_000_000_000_000n;

/** Most bytes one balance record can take: overhead, key, value at their longest. */
export const ACCOUNT_STORAGE_BYTES =
  RECORD_OVERHEAD_BYTES + BigInt(BALANCE_PREFIX.length) + MAX_ACCOUNT_ID_BYTES + MAX_U128_DIGITS;
/** NEAR an account deposits to register (NEP-145 min = max): 1.45e21 yocto, 0.00145 NEAR. */
export const STORAGE_DEPOSIT_NEAR = ACCOUNT_STORAGE_BYTES * STORAGE_BYTE_COST;

/** The balance of a registered account, or null when it is not registered. */
export function balanceOf(accountId: string): bigint | null {
  const raw = near.storageRead(BALANCE_PREFIX + accountId);
  return raw === null ? null : BigInt(raw);
}

function writeBalance(accountId: string, amount: bigint): void {
  near.storageWrite(BALANCE_PREFIX + accountId, amount.toString());
}

/** The balance of a registered account, else E_NOT_REGISTERED saying how to register. */
export function requireRegistered(accountId: string): bigint {
  const balance = balanceOf(accountId);
  if (balance === null) {
    fail(
      'E_NOT_REGISTERED',
      `${accountId} is not registered on this token; call storage_deposit on ` +
        `${near.currentAccountId()} for it first (attach ${STORAGE_DEPOSIT_NEAR} yoctoNEAR)`,
    );
  }
  return balance;
}

/** Registers `accountId` with a zero balance. */
export function register(accountId: string): void {
  writeBalance(accountId, 0n);
}

/** Mints `amount` to a registered account within the supply cap (E_SUPPLY_CAP otherwise). */
export function mint(st: GovTokenState, accountId: string, amount: bigint): void {
  const balance = requireRegistered(accountId);
  const mintable = st.supplyCap - st.totalMinted;
  if (amount > mintable) {
    fail(
      'E_SUPPLY_CAP',
      `minting ${amount} would pass the supply cap of ${st.supplyCap}: only ${mintable} ` +
        '(smallest unit) is left to mint, ever',
    );
  }
  writeBalance(accountId, balance + amount);
  st.totalMinted += amount;
  st.totalSupply += amount;
  emitMint(accountId, amount);
}

/** Moves `amount` between two registered accounts. */
export function transfer(
  senderId: string,
  receiverId: string,
  amount: bigint,
  memo?: string,
): void {
  if (senderId === receiverId) {
    fail('E_SELF_TRANSFER', 'sender and receiver are the same account; nothing to move');
  }
  const senderBalance = requireRegistered(senderId);
  const receiverBalance = requireRegistered(receiverId);
  if (senderBalance < amount) {
    fail(
      'E_INSUFFICIENT_BALANCE',
      `${senderId} holds ${senderBalance}, cannot send ${amount} (smallest unit)`,
    );
  }
  writeBalance(senderId, senderBalance - amount);
  writeBalance(receiverId, receiverBalance + amount);
  emitTransfer(senderId, receiverId, amount, memo);
}

/**
 * Takes back up to `amount` from `receiverId` after an ft_transfer_call (what the receiver did not
 * use): to the sender when it is still registered, else burnt. Returns { refunded, burnt }.
 */
export function refund(
  st: GovTokenState,
  senderId: string,
  receiverId: string,
  amount: bigint,
): { refunded: bigint; burnt: bigint } {
  const receiverBalance = balanceOf(receiverId);
  if (receiverBalance === null || receiverBalance === 0n || amount === 0n) {
    return { refunded: 0n, burnt: 0n };
  }
  // the receiver may have moved tokens on: refund only what it still holds
  const back = receiverBalance < amount ? receiverBalance : amount;
  writeBalance(receiverId, receiverBalance - back);
  const senderBalance = balanceOf(senderId);
  if (senderBalance === null) {
    st.totalSupply -= back;
    emitBurn(receiverId, back, `refund to ${senderId}, unregistered meanwhile, burnt`);
    return { refunded: 0n, burnt: back };
  }
  writeBalance(senderId, senderBalance + back);
  emitTransfer(receiverId, senderId, back, 'refund');
  return { refunded: back, burnt: 0n };
}

/** Removes a registered account's record, burning its balance (the caller decided it may). */
export function unregister(st: GovTokenState, accountId: string, balance: bigint): void {
  near.storageRemove(BALANCE_PREFIX + accountId);
  if (balance > 0n) {
    st.totalSupply -= balance;
    emitBurn(accountId, balance, 'storage_unregister with force');
  }
}

/** E_INTERNAL unless 0 ≤ supply ≤ minted ≤ cap: checked before every state write. */
export function assertTotals(st: GovTokenState): void {
  if (st.totalSupply < 0n || st.totalSupply > st.totalMinted || st.totalMinted > st.supplyCap) {
    fail(
      'E_INTERNAL',
      `totals broken (supply ${st.totalSupply}, minted ${st.totalMinted}, cap ${st.supplyCap}); ` +
        'nothing was changed, please report this call',
    );
  }
}
