// What the JSON-RPC layer needs from a chain. The server speaks only to this interface; an adapter
// (./localnetChain.ts) implements it over the in-process runtime, and tests may implement it directly.
// Amounts are bigint yocto, gas is bigint, hashes are base58 strings, keys are 'ed25519:<base58>'.

/** One produced block, as far as the RPC shows it. */
export interface ChainBlock {
  height: number;
  hash: string;
  prevHash: string;
  timestampNs: bigint;
  epochHeight: number;
  /** base58 id of the epoch (nearcore: hash of the epoch's first block's parent). */
  epochId: string;
  gasPrice: bigint;
  totalSupply: bigint;
}

/** `view_account` fields. `codeHash` is base58 of sha256(code), or 32 zero bytes in base58. */
export interface ChainAccount {
  amount: bigint;
  locked: bigint;
  storageUsage: number;
  codeHash: string;
}

/** An access key's permission. */
export type ChainKeyPermission =
  | { kind: 'fullAccess' }
  | { kind: 'functionCall'; allowance: bigint | null; receiverId: string; methodNames: string[] };

/** An access key with its nonce. */
export interface ChainAccessKey {
  nonce: bigint;
  permission: ChainKeyPermission;
}

/** A transaction action, decoded from near-api-js's borsh into runtime-neutral values. */
export type ChainAction =
  | { type: 'CreateAccount' }
  | { type: 'DeployContract'; code: Uint8Array }
  | { type: 'FunctionCall'; methodName: string; args: Uint8Array; gas: bigint; deposit: bigint }
  | { type: 'Transfer'; deposit: bigint }
  | { type: 'Stake'; stake: bigint; publicKey: string }
  | { type: 'AddKey'; publicKey: string; accessKey: ChainAccessKey }
  | { type: 'DeleteKey'; publicKey: string }
  | { type: 'DeleteAccount'; beneficiaryId: string };

/** A transaction that passed signature checks, handed to the chain for execution. */
export interface ChainTransaction {
  hash: string;
  signerId: string;
  publicKey: string;
  nonce: bigint;
  receiverId: string;
  blockHash: string;
  actions: ChainAction[];
}

/** nearcore ExecutionStatusView of one receipt. `Failure` holds a TxExecutionError JSON. */
export type ChainReceiptStatus =
  | { SuccessValue: Uint8Array }
  | { SuccessReceiptId: string }
  | { Failure: unknown };

/** The outcome of one executed receipt. */
export interface ChainReceiptOutcome {
  receiptId: string;
  executorId: string;
  /** For EXPERIMENTAL_tx_status's ReceiptView (omitted: the receipt is left out of `receipts`). */
  receipt?: {
    predecessorId: string;
    signerId: string;
    signerPublicKey: string;
    actions: ChainAction[];
    gasPrice: bigint;
  };
  blockHash: string;
  logs: string[];
  receiptIds: string[];
  gasBurnt: bigint;
  tokensBurnt: bigint;
  status: ChainReceiptStatus;
}

/** The result of executing a transaction to completion (all receipts, including refunds). */
export interface ChainTxExecution {
  /** The conversion step: send fees burnt by the signer, the first receipt's id. */
  transactionOutcome: {
    blockHash: string;
    gasBurnt: bigint;
    tokensBurnt: bigint;
    receiptId: string;
  };
  receipts: ChainReceiptOutcome[];
  /** The transaction's final status: the first leaf receipt's value, or the first failure. */
  status: { SuccessValue: Uint8Array } | { Failure: unknown };
}

/** A transaction the chain kept: what it was and everything it did (for `chunk` and tx lookups). */
export interface ChainTxRecord {
  tx: ChainTransaction;
  /** Height of the block that included it (its conversion to a receipt). */
  includedHeight: number;
  execution: ChainTxExecution;
}

/** nearcore InvalidTxError JSON (e.g. `{ NotEnoughBalance: {...} }` or `"Expired"`). */
export class InvalidTxError extends Error {
  constructor(
    readonly invalidTx: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTxError';
  }
}

/** A view call that failed; `functionCallError` is nearcore's FunctionCallError JSON. */
export class ViewCallError extends Error {
  constructor(
    readonly functionCallError: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ViewCallError';
  }
}

/** What a successful view call returns. */
export interface ViewResult {
  result: Uint8Array;
  logs: string[];
}

/** The chain operations behind the JSON-RPC methods. State reads are at the latest block. */
export interface RpcChain {
  chainId: string;
  /** Per-transaction limit on attached function-call gas (default 300 Tgas). */
  maxGasPerTx?: bigint;
  /** Blocks per epoch, for EXPERIMENTAL_protocol_config. */
  epochLength?: number;
  /** Height of the current epoch's first block. */
  epochStartHeight?(): number;
  /** Produces `blocks` empty blocks (nearcore sandbox's `sandbox_fast_forward`). */
  fastForward?(blocks: number): void;
  /** The current epoch's validators. */
  validators?(): Array<{ accountId: string; publicKey: string; stake: bigint }>;
  /** The latest block. */
  head(): ChainBlock;
  /**
   * Kept transactions that touch block `height` (included there, or with a receipt executed
   * there), however they were submitted; for `chunk`. Absent: blocks show no chunk content.
   */
  blockTransactions?(height: number): ChainTxRecord[];
  /** A kept transaction by hash, however it was submitted (for `tx` / `EXPERIMENTAL_tx_status`). */
  transaction?(hash: string): ChainTxRecord | undefined;
  /** A block by height or base58 hash, or undefined when unknown. */
  block(id: number | string): ChainBlock | undefined;
  account(accountId: string): ChainAccount | undefined;
  accessKey(accountId: string, publicKey: string): ChainAccessKey | undefined;
  accessKeys(accountId: string): Array<{ publicKey: string; accessKey: ChainAccessKey }>;
  code(accountId: string): Uint8Array | undefined;
  /** Contract storage entries whose key starts with `prefix`. */
  state(accountId: string, prefix: Uint8Array): Array<{ key: Uint8Array; value: Uint8Array }>;
  /** Runs a view method; throws ViewCallError when it fails. */
  view(
    accountId: string,
    methodName: string,
    args: Uint8Array,
  ): { result: Uint8Array; logs: string[] };
  /**
   * Applies a signed, verified transaction: stores `nonce` on the key, charges the signer and runs
   * every receipt. Throws InvalidTxError (nothing applied) when the signer cannot pay.
   */
  execute(tx: ChainTransaction): ChainTxExecution | Promise<ChainTxExecution>;
}
