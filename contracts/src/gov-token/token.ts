// NEP-141 core: mint (the minter only), ft_transfer, ft_transfer_call and its resolver.
import { NearPromise, near } from 'near-sdk-js';
import { parseAccountId, parseAmount, parseOptionalString } from '../shared/args';
import { ensure, fail } from './errors';
import { mint as mintTo, refund, transfer } from './ledger';
import type { GovTokenState } from './state';

const TGAS = 1_000_000_000_000n;
/** Gas of the ft_resolve_transfer callback (it burns 2.6–3.2 Tgas on the wasm build). */
export const GAS_FOR_RESOLVE_TRANSFER = 20n * TGAS;
/** Gas ft_transfer_call keeps for its work after creating the promises (STATE write, return). */
const GAS_FOR_FT_TRANSFER_CALL_TAIL = 10n * TGAS;
/** ft_transfer_call's own budget: ~4 Tgas burnt in all on the wasm build, the tail included. */
const GAS_FOR_FT_TRANSFER_CALL_OWN = 15n * TGAS;
/** Least gas a receiver's ft_on_transfer gets (Sputnik's staking burns ~1.5 Tgas). */
const MIN_GAS_FOR_RECEIVER = 20n * TGAS;
/** Least gas to attach to ft_transfer_call (55 Tgas): its own work, the receiver, the resolver. */
export const MIN_GAS_FT_TRANSFER_CALL =
  GAS_FOR_FT_TRANSFER_CALL_OWN + MIN_GAS_FOR_RECEIVER + GAS_FOR_RESOLVE_TRANSFER;

/** E_DEPOSIT unless exactly 1 yoctoNEAR is attached (NEP-141: a full-access key signed). */
export function requireOneYocto(): void {
  const deposit = near.attachedDeposit();
  if (deposit !== 1n) {
    fail(
      'E_DEPOSIT',
      `attach exactly 1 yoctoNEAR (attached ${deposit}); it proves a full-access key signed`,
    );
  }
}

/** mint({ account_id, amount }): the minter only; the receiver must be registered. */
export function mint(st: GovTokenState, args: Record<string, unknown>): void {
  const caller = near.predecessorAccountId();
  if (caller !== st.minterId) {
    fail('E_UNAUTHORIZED', `only the minter ${st.minterId} may mint; ${caller} may not`);
  }
  const deposit = near.attachedDeposit();
  ensure(deposit === 0n, 'E_DEPOSIT', `mint takes no deposit (attached ${deposit} yoctoNEAR)`);
  const accountId = parseAccountId('account_id', args.account_id);
  const amount = parseAmount('amount', args.amount);
  mintTo(st, accountId, amount);
}

/** ft_transfer({ receiver_id, amount, memo? }) with 1 yoctoNEAR. */
export function ftTransfer(args: Record<string, unknown>): void {
  requireOneYocto();
  const receiverId = parseAccountId('receiver_id', args.receiver_id);
  const amount = parseAmount('amount', args.amount);
  transfer(near.predecessorAccountId(), receiverId, amount, parseOptionalString('memo', args.memo));
}

/**
 * ft_transfer_call({ receiver_id, amount, memo?, msg }) with 1 yoctoNEAR: transfers, then calls
 * the receiver's ft_on_transfer with the gas left, then ft_resolve_transfer. Returns the amount
 * the receiver used (ft_resolve_transfer's result).
 */
export function ftTransferCall(args: Record<string, unknown>): NearPromise {
  requireOneYocto();
  const prepaid = near.prepaidGas();
  if (prepaid < MIN_GAS_FT_TRANSFER_CALL) {
    fail(
      'E_GAS',
      `attach at least ${MIN_GAS_FT_TRANSFER_CALL / TGAS} Tgas to ft_transfer_call (attached ${prepaid / TGAS})`,
    );
  }
  const senderId = near.predecessorAccountId();
  const receiverId = parseAccountId('receiver_id', args.receiver_id);
  const amount = parseAmount('amount', args.amount);
  const memo = parseOptionalString('memo', args.memo);
  if (typeof args.msg !== 'string')
    fail('E_BAD_ARGS', 'msg must be a string ("" when the receiver needs none)');
  transfer(senderId, receiverId, amount, memo);
  const receiverGas =
    prepaid - near.usedGas() - GAS_FOR_RESOLVE_TRANSFER - GAS_FOR_FT_TRANSFER_CALL_TAIL;
  ensure(
    receiverGas >= MIN_GAS_FOR_RECEIVER,
    'E_GAS',
    `attach more gas to ft_transfer_call: the receiver would get only ${receiverGas} gas`,
  );
  return NearPromise.new(receiverId)
    .functionCall(
      'ft_on_transfer',
      JSON.stringify({ sender_id: senderId, amount: amount.toString(), msg: args.msg }),
      0n,
      receiverGas,
    )
    .then(
      NearPromise.new(near.currentAccountId()).functionCall(
        'ft_resolve_transfer',
        JSON.stringify({ sender_id: senderId, receiver_id: receiverId, amount: amount.toString() }),
        0n,
        GAS_FOR_RESOLVE_TRANSFER,
      ),
    );
}

/** The unused amount an ft_on_transfer returned: all of it when the call failed or said nonsense. */
function unusedAmount(amount: bigint): bigint {
  try {
    const value = JSON.parse(near.promiseResult(0)) as unknown;
    if (typeof value === 'string' && /^\d{1,39}$/.test(value)) {
      const unused = BigInt(value);
      return unused < amount ? unused : amount;
    }
  } catch (_e) {
    // the receiver failed (promiseResult throws) or returned no JSON
  }
  return amount;
}

/**
 * ft_resolve_transfer({ sender_id, receiver_id, amount }) (the token itself only): takes back
 * what the receiver did not use and returns the amount used, amount − refunded (a refund burnt
 * because the sender unregistered meanwhile counts as used), as near-contract-standards does.
 */
export function ftResolveTransfer(st: GovTokenState, args: Record<string, unknown>): string {
  const senderId = parseAccountId('sender_id', args.sender_id);
  const receiverId = parseAccountId('receiver_id', args.receiver_id);
  const amount = parseAmount('amount', args.amount);
  const { refunded } = refund(st, senderId, receiverId, unusedAmount(amount));
  return (amount - refunded).toString();
}
