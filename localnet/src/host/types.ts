// Data shared by the host and the chain: actions, access keys, promise results, the call context.

/** A function-call access key's permission (nearcore `FunctionCallPermission`). */
export interface FunctionCallPermission {
  allowance: bigint | null;
  receiverId: string;
  methodNames: string[];
}

/** An access key: full access, or a function-call key. */
export interface AccessKey {
  nonce: bigint;
  permission: 'FullAccess' | { FunctionCall: FunctionCallPermission };
}

/** A receipt action, as in nearcore `Action`. Public keys are NEAR strings (`ed25519:<base58>`). */
export type Action =
  | { type: 'CreateAccount' }
  | { type: 'DeployContract'; code: Uint8Array }
  | {
      type: 'FunctionCall';
      methodName: string;
      args: Uint8Array;
      gas: bigint;
      deposit: bigint;
      /** NEP-264 weight for sharing unused gas (0 = none). */
      gasWeight?: bigint;
    }
  | { type: 'Transfer'; deposit: bigint }
  | { type: 'Stake'; stake: bigint; publicKey: string }
  | { type: 'AddKey'; publicKey: string; accessKey: AccessKey }
  | { type: 'DeleteKey'; publicKey: string }
  | { type: 'DeleteAccount'; beneficiaryId: string };

/** The result a callback sees for one dependency (nearcore `PromiseResult`). */
export type PromiseResult = { status: 'successful'; value: Uint8Array } | { status: 'failed' };

/** Everything a method execution can read about its environment. */
export interface CallContext {
  currentAccountId: string;
  signerAccountId: string;
  /** borsh `PublicKey` bytes (1 key-type byte + key data). */
  signerAccountPk: Uint8Array;
  predecessorAccountId: string;
  input: Uint8Array;
  blockHeight: bigint;
  /** nanoseconds */
  blockTimestamp: bigint;
  epochHeight: bigint;
  /** Gas available to this method (the action's attached gas). */
  prepaidGas: bigint;
  attachedDeposit: bigint;
  randomSeed: Uint8Array;
  /** View calls: no signer, no deposit, no writes, no promises. */
  isView: boolean;
  /** Results of the receipts this one depended on, in `promise_then` order. */
  promiseResults: PromiseResult[];
  /** Hard cap on gas burnt by this method (max_gas_burnt). */
  maxGasBurnt: bigint;
}

/** What the host needs from the chain: the account's committed state and validator data. */
export interface ChainView {
  /** Committed (or receipt-pending) value of a storage key of the current account. */
  storageGet(key: string): Uint8Array | undefined;
  accountBalance: bigint;
  accountLockedBalance: bigint;
  storageUsage: bigint;
  validatorStake(accountId: string): bigint;
  validatorTotalStake(): bigint;
}

/** A promise created by a method: a receipt to `receiverId`, or a joint (`promise_and`). */
export type NewPromise =
  | { kind: 'receipt'; receiverId: string; actions: Action[]; dependsOn: number[] }
  | { kind: 'joint'; members: number[] };

/** How a method ended when it did not fail. */
export type ReturnData =
  | { kind: 'none' }
  | { kind: 'value'; value: Uint8Array }
  | { kind: 'promise'; index: number };
