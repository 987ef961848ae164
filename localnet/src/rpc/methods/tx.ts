// Transaction methods: send_tx, broadcast_tx_commit, broadcast_tx_async, tx, EXPERIMENTAL_tx_status.
// Validation follows nearcore's order: decode, signature, signer, access key, nonce, block hash,
// key permission, action limits; then the chain charges and executes (NotEnoughBalance comes from it).
import { type ChainAccessKey, type ChainBlock, InvalidTxError, type RpcChain } from '../chain';
import { handlerError, invalidTransaction, parseError } from '../errors';
import { finalExecutionOutcome, receiptViews } from '../outcome';
import { isValidAccountId, objectParams, requireString } from '../params';
import { actionView, type DecodedSignedTx, decodeSignedTx, TxDecodeError } from '../signedTx';
import type { MethodContext } from './node';

/** Blocks after its reference block that a transaction stays valid (nearcore mainnet genesis). */
export const TRANSACTION_VALIDITY_PERIOD = 86_400;
/** nearcore's AccessKeyNonceRange multiplier: tx nonces must stay below height * 1e6. */
const NONCE_RANGE_MULTIPLIER = 1_000_000n;
const MAX_ACTIONS_PER_RECEIPT = 100;
const DEFAULT_MAX_GAS_PER_TX = 300_000_000_000_000n;

const WAIT_LEVELS = [
  'NONE',
  'INCLUDED',
  'EXECUTED_OPTIMISTIC',
  'INCLUDED_FINAL',
  'EXECUTED',
  'FINAL',
] as const;
type WaitUntil = (typeof WAIT_LEVELS)[number];

/** What `tx` / `EXPERIMENTAL_tx_status` answer for one transaction. */
interface HistoryEntry {
  senderId: string;
  outcome: Record<string, unknown>;
  receipts: unknown[];
}

/** Outcomes of executed transactions, by hash, for `tx` / `EXPERIMENTAL_tx_status`. */
export class TxHistory {
  private readonly byHash = new Map<string, HistoryEntry>();
  constructor(private readonly capacity = 10_000) {}

  /** Remembers an outcome; forgets the oldest beyond `capacity`. */
  add(hash: string, entry: HistoryEntry): void {
    this.byHash.set(hash, entry);
    if (this.byHash.size > this.capacity) {
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.byHash.delete(oldest);
    }
  }

  get(hash: string): HistoryEntry | undefined {
    return this.byHash.get(hash);
  }
}

/** Everything the transaction methods share. */
export interface TxContext extends MethodContext {
  history: TxHistory;
}

function parseWaitUntil(value: unknown): WaitUntil {
  if (value === undefined || value === null) return 'EXECUTED_OPTIMISTIC';
  if (typeof value === 'string' && (WAIT_LEVELS as readonly string[]).includes(value)) {
    return value as WaitUntil;
  }
  throw parseError(
    `Failed parsing args: unknown variant \`${String(value)}\`, expected one of ${WAIT_LEVELS.map((l) => `\`${l}\``).join(', ')}`,
  );
}

function decodeOrParseError(base64: string): DecodedSignedTx {
  try {
    return decodeSignedTx(base64);
  } catch (err) {
    if (err instanceof TxDecodeError) {
      throw parseError(`Failed to decode transaction: ${err.message}`);
    }
    throw err;
  }
}

/** Access-key permission rules of nearcore's verify_and_charge_transaction. */
function checkPermission(decoded: DecodedSignedTx, key: ChainAccessKey): void {
  const perm = key.permission;
  if (perm.kind === 'fullAccess') return;
  const { tx } = decoded;
  const accessKeyError = (e: unknown) => invalidTransaction({ InvalidAccessKeyError: e });
  const [only] = tx.actions;
  if (tx.actions.length !== 1 || only.type !== 'FunctionCall') {
    throw accessKeyError('RequiresFullAccess');
  }
  if (only.deposit > 0n) throw accessKeyError('DepositWithFunctionCall');
  if (tx.receiverId !== perm.receiverId) {
    throw accessKeyError({
      ReceiverMismatch: { tx_receiver: tx.receiverId, ak_receiver: perm.receiverId },
    });
  }
  if (perm.methodNames.length > 0 && !perm.methodNames.includes(only.methodName)) {
    throw accessKeyError({ MethodNameMismatch: { method_name: only.methodName } });
  }
}

/** nearcore's ActionsValidation checks that localnet enforces. */
function checkActions(decoded: DecodedSignedTx, chain: RpcChain): void {
  const { actions } = decoded.tx;
  if (actions.length > MAX_ACTIONS_PER_RECEIPT) {
    throw invalidTransaction({
      ActionsValidation: {
        TotalNumberOfActionsExceeded: {
          total_number_of_actions: actions.length,
          limit: MAX_ACTIONS_PER_RECEIPT,
        },
      },
    });
  }
  let totalGas = 0n;
  for (const action of actions) {
    if (action.type !== 'FunctionCall') continue;
    if (action.gas === 0n) {
      throw invalidTransaction({ ActionsValidation: 'FunctionCallZeroAttachedGas' });
    }
    totalGas += action.gas;
  }
  const limit = chain.maxGasPerTx ?? DEFAULT_MAX_GAS_PER_TX;
  if (totalGas > limit) {
    throw invalidTransaction({
      ActionsValidation: {
        TotalPrepaidGasExceeded: { total_prepaid_gas: Number(totalGas), limit: Number(limit) },
      },
    });
  }
}

/** Validates a decoded transaction against the chain; throws INVALID_TRANSACTION errors. */
export function validateTransaction(chain: RpcChain, decoded: DecodedSignedTx): void {
  const { tx } = decoded;
  if (!decoded.signatureValid) throw invalidTransaction('InvalidSignature');
  if (!isValidAccountId(tx.signerId)) {
    throw invalidTransaction({ InvalidSignerId: { signer_id: tx.signerId } });
  }
  if (!isValidAccountId(tx.receiverId)) {
    throw invalidTransaction({ InvalidReceiverId: { receiver_id: tx.receiverId } });
  }
  if (!chain.account(tx.signerId)) {
    throw invalidTransaction({ SignerDoesNotExist: { signer_id: tx.signerId } });
  }
  const key = chain.accessKey(tx.signerId, tx.publicKey);
  if (!key) {
    throw invalidTransaction({
      InvalidAccessKeyError: {
        AccessKeyNotFound: { account_id: tx.signerId, public_key: tx.publicKey },
      },
    });
  }
  if (tx.nonce <= key.nonce) {
    throw invalidTransaction({
      InvalidNonce: { ak_nonce: Number(key.nonce), tx_nonce: Number(tx.nonce) },
    });
  }
  const head = chain.head();
  const upperBound = BigInt(head.height + 1) * NONCE_RANGE_MULTIPLIER;
  if (tx.nonce >= upperBound) {
    throw invalidTransaction({
      NonceTooLarge: { tx_nonce: Number(tx.nonce), upper_bound: Number(upperBound) },
    });
  }
  const base: ChainBlock | undefined = chain.block(tx.blockHash);
  if (!base || head.height - base.height > TRANSACTION_VALIDITY_PERIOD) {
    throw invalidTransaction('Expired');
  }
  checkPermission(decoded, key);
  checkActions(decoded, chain);
}

/** Validates, executes and records a base64 signed transaction; returns the RPC result. */
export async function submitTransaction(
  ctx: TxContext,
  base64: string,
  waitUntil: WaitUntil,
): Promise<unknown> {
  const decoded = decodeOrParseError(base64);
  // nearcore answers a transaction it already has with that transaction's status (idempotent resend).
  const known = ctx.history.get(decoded.tx.hash);
  if (known) return atLevel(known.outcome, waitUntil);
  validateTransaction(ctx.chain, decoded);
  let execution: Awaited<ReturnType<RpcChain['execute']>>;
  try {
    execution = await ctx.chain.execute(decoded.tx);
  } catch (err) {
    if (err instanceof InvalidTxError) throw invalidTransaction(err.invalidTx);
    throw err;
  }
  const outcome = finalExecutionOutcome(decoded, execution, 'EXECUTED_OPTIMISTIC');
  ctx.history.add(decoded.tx.hash, {
    senderId: decoded.tx.signerId,
    outcome,
    receipts: receiptViews(execution),
  });
  return atLevel(outcome, waitUntil);
}

/** The answer at a `wait_until` level: the outcome once executed, else only the level reached. */
function atLevel(outcome: Record<string, unknown>, waitUntil: WaitUntil): unknown {
  if (waitUntil === 'NONE' || waitUntil === 'INCLUDED' || waitUntil === 'INCLUDED_FINAL') {
    return { final_execution_status: waitUntil };
  }
  return { ...outcome, final_execution_status: waitUntil };
}

/** `send_tx`: `{ signed_tx_base64, wait_until? }`. */
export function sendTx(ctx: TxContext, params: unknown): Promise<unknown> {
  const p = objectParams(params, 'send_tx');
  return submitTransaction(ctx, requireString(p, 'signed_tx_base64'), parseWaitUntil(p.wait_until));
}

function positionalTx(params: unknown, method: string): string {
  if (!Array.isArray(params) || typeof params[0] !== 'string') {
    throw parseError(`Failed parsing args: ${method} expects params [signed_tx_base64]`);
  }
  return params[0];
}

/** `broadcast_tx_commit`: `[signed_tx_base64]`, like send_tx with EXECUTED_OPTIMISTIC. */
export function broadcastTxCommit(ctx: TxContext, params: unknown): Promise<unknown> {
  return submitTransaction(ctx, positionalTx(params, 'broadcast_tx_commit'), 'EXECUTED_OPTIMISTIC');
}

/** `broadcast_tx_async`: `[signed_tx_base64]`; returns the transaction hash. */
export async function broadcastTxAsync(ctx: TxContext, params: unknown): Promise<unknown> {
  const base64 = positionalTx(params, 'broadcast_tx_async');
  await submitTransaction(ctx, base64, 'NONE');
  return decodeOrParseError(base64).tx.hash;
}

/** Signature shown for transactions the chain applied without one (localnet's own seeding). */
const NO_SIGNATURE = `ed25519:${'1'.repeat(64)}`;

/**
 * A transaction the chain kept but the RPC never saw (applied in-process, e.g. by a scenario or
 * the demo seeding): its outcome as nearcore would show it, so indexers see every transaction.
 */
function keptByChain(ctx: TxContext, hash: string): HistoryEntry | undefined {
  const record = ctx.chain.transaction?.(hash);
  if (!record) return undefined;
  const decoded: DecodedSignedTx = {
    tx: record.tx,
    hashBytes: new Uint8Array(),
    signature: NO_SIGNATURE,
    signatureValid: true,
    actionViews: record.tx.actions.map(actionView),
  };
  return {
    senderId: record.tx.signerId,
    outcome: finalExecutionOutcome(decoded, record.execution, 'FINAL'),
    receipts: receiptViews(record.execution),
  };
}

/** `tx` / `EXPERIMENTAL_tx_status`: `{ tx_hash, sender_account_id }`, `{ signed_tx_base64 }` or `[hash, sender]`. */
export function txStatus(ctx: TxContext, params: unknown, withReceipts: boolean): unknown {
  let hash: string;
  let waitUntil: WaitUntil = 'EXECUTED_OPTIMISTIC';
  if (Array.isArray(params)) {
    if (typeof params[0] !== 'string') {
      throw parseError('Failed parsing args: expected [tx_hash, sender_account_id]');
    }
    hash = params[0];
  } else {
    const p = objectParams(params, 'tx');
    waitUntil = parseWaitUntil(p.wait_until);
    hash =
      typeof p.signed_tx_base64 === 'string'
        ? decodeOrParseError(p.signed_tx_base64).tx.hash
        : requireString(p, 'tx_hash');
  }
  const found = ctx.history.get(hash) ?? keptByChain(ctx, hash);
  if (!found) {
    throw handlerError(
      'UNKNOWN_TRANSACTION',
      { requested_transaction_hash: hash },
      `Transaction ${hash} doesn't exist`,
    );
  }
  const result: Record<string, unknown> = { ...found.outcome, final_execution_status: waitUntil };
  if (withReceipts) result.receipts = found.receipts;
  return result;
}
