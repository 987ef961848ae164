// Execution outcomes of receipts and transactions, and transaction validation errors.
import type { Action } from '../host/types';

/** nearcore `ExecutionStatusView`: the value bytes, a forwarded receipt, or a failure. */
export type ExecutionStatus =
  | { type: 'SuccessValue'; value: Uint8Array }
  | { type: 'SuccessReceiptId'; receiptId: string }
  | {
      type: 'Failure';
      /** nearcore `TxExecutionError` JSON, e.g. `{ ActionError: { index, kind } }`. */
      error: unknown;
      /** One readable line, e.g. "Smart contract panicked: not enough balance". */
      message: string;
    };

/** One executed receipt. */
export interface ReceiptOutcome {
  receiptId: string;
  predecessorId: string;
  /** The account the receipt ran on (its receiver). */
  executorId: string;
  signerId: string;
  actions: Action[];
  blockHeight: number;
  blockHash: string;
  logs: string[];
  gasBurnt: bigint;
  tokensBurnt: bigint;
  status: ExecutionStatus;
  /** Receipts this one created (including refunds). */
  receiptIds: string[];
  /** A balance refund (deposit or gas) from `system`. */
  isRefund: boolean;
}

/** Everything a transaction did, once all its receipts (and refunds) have run. */
export interface TransactionOutcome {
  hash: string;
  signerId: string;
  publicKey?: string;
  nonce?: bigint;
  receiverId: string;
  actions: Action[];
  /** Final status: the result of the last receipt of the main chain (promise_return followed). */
  status: 'success' | 'failure';
  /** Parsed JSON of the return value; the utf-8 text when it is not JSON; undefined when empty. */
  value: unknown;
  rawValue?: Uint8Array;
  /** Logs of every receipt, in execution order. */
  logs: string[];
  /** Receipts in execution order (refund receipts included). */
  receipts: ReceiptOutcome[];
  /** Gas burnt by the conversion plus every receipt. */
  gasBurnt: bigint;
  tokensBurnt: bigint;
  failureMessage?: string;
  /** nearcore `TxExecutionError` JSON of the final failure. */
  failure?: unknown;
  /** The tx → receipt conversion (nearcore `transaction_outcome`). */
  conversion: {
    receiptId: string;
    gasBurnt: bigint;
    tokensBurnt: bigint;
    blockHeight: number;
    blockHash: string;
  };
}

/** A transaction rejected before execution (nearcore `InvalidTxError`); no outcome, no gas. */
export class InvalidTxError extends Error {
  constructor(
    /** nearcore JSON, e.g. `{ NotEnoughBalance: { signer_id, balance, cost } }`. */
    readonly data: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTxError';
  }
}

/** Decode return bytes the way near-workspaces does: JSON, else text, else undefined. */
export function parseReturnValue(bytes: Uint8Array | undefined): unknown {
  if (!bytes || bytes.length === 0) return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
