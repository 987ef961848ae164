// Account: the near-workspaces-like handle tests use (calls, views, deploys, balances, state).

import { STORAGE_PRICE_PER_BYTE, storageUsage } from './chain/account';
import type { TransactionOutcome } from './chain/outcome';
import { storageKey, storageKeyBytes } from './host/context';
import { TGAS } from './host/gas';
import type { Action } from './host/types';
import type { Localnet } from './localnet';

/** yocto amounts: bigint, or a decimal string of yocto. */
export type Amount = bigint | string;

/** Options of a function call. */
export interface CallOptions {
  attachedDeposit?: Amount;
  /** Default 30 Tgas, as near-workspaces. */
  gas?: Amount;
}

/** Per-receipt summary in a call outcome. */
export interface ReceiptSummary {
  receiptId: string;
  executor: string;
  predecessor: string;
  status: 'success' | 'failure';
  logs: string[];
  gasBurnt: bigint;
  failureMessage?: string;
  isRefund: boolean;
}

/** What `callRaw` returns. */
export interface CallOutcome {
  status: 'success' | 'failure';
  /** Parsed JSON return value (text if not JSON, undefined if empty). */
  value: unknown;
  /** Logs of every receipt, in execution order. */
  logs: string[];
  receipts: ReceiptSummary[];
  gasBurnt: bigint;
  failureMessage?: string;
  /** nearcore TxExecutionError JSON of the failure. */
  failure?: unknown;
  /** The full transaction outcome (receipt statuses, ids, blocks). */
  transaction: TransactionOutcome;
}

/** A call or view that failed: the failure message plus the logs emitted before it. */
export class CallError extends Error {
  constructor(
    message: string,
    readonly logs: string[],
    readonly outcome?: CallOutcome,
  ) {
    super(logs.length ? `${message}\nlogs:\n  ${logs.join('\n  ')}` : message);
    this.name = 'CallError';
  }
}

/** Account balances in yocto (near-workspaces `AccountBalance`). */
export interface AccountBalance {
  /** amount + locked */
  total: bigint;
  /** storage usage × 1e19 */
  stateStaked: bigint;
  /** locked */
  staked: bigint;
  /** total − max(staked, stateStaked) */
  available: bigint;
}

/** Contract storage as seen by `viewState`. Keys are utf-8/latin1 strings or bytes. */
export class ContractState {
  constructor(private readonly data: Map<string, Uint8Array>) {}

  /** Raw value of a key. */
  get(key: string | Uint8Array): Uint8Array | undefined {
    return this.data.get(toStateKey(key));
  }

  /** Value of a key parsed as JSON (near-sdk-js stores JSON). */
  getJson(key: string | Uint8Array): unknown {
    const v = this.get(key);
    return v === undefined ? undefined : JSON.parse(Buffer.from(v).toString('utf8'));
  }

  /** Whether a key exists. */
  has(key: string | Uint8Array): boolean {
    return this.data.has(toStateKey(key));
  }

  /** Number of records. */
  get size(): number {
    return this.data.size;
  }

  /** All records as [key bytes, value bytes]. */
  entries(): [Uint8Array, Uint8Array][] {
    return [...this.data].map(([k, v]) => [storageKeyBytes(k), v]);
  }
}

/** A utf-8 string or bytes → the chain's latin1 state key. */
function toStateKey(key: string | Uint8Array): string {
  return storageKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
}

/** Arguments → bytes: Uint8Array as is, string as utf-8, anything else as JSON. */
export function encodeArgs(args: unknown): Uint8Array {
  if (args instanceof Uint8Array) return args;
  if (typeof args === 'string') return new Uint8Array(Buffer.from(args, 'utf8'));
  return new Uint8Array(
    Buffer.from(JSON.stringify(args ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
  );
}

const toBigint = (a: Amount | undefined, fallback: bigint): bigint =>
  a === undefined ? fallback : BigInt(a);

/** Default gas of a call (near-workspaces). */
export const DEFAULT_CALL_GAS = 30n * TGAS;
/** Default initial balance of a new account (near-workspaces: 100 NEAR). */
export const DEFAULT_INITIAL_BALANCE = 100n * 10n ** 24n;

/** A handle on one account of a Localnet. */
export class Account {
  constructor(
    readonly net: Localnet,
    readonly accountId: string,
  ) {}

  /** Create `<name>.<this account>` with `initialBalance` (default 100 NEAR) and a full-access key. */
  async createSubAccount(
    name: string,
    options: { initialBalance?: Amount } = {},
  ): Promise<Account> {
    const id = `${name}.${this.accountId}`;
    const outcome = this.net.executeTransaction({
      signerId: this.accountId,
      receiverId: id,
      actions: [
        { type: 'CreateAccount' },
        { type: 'Transfer', deposit: toBigint(options.initialBalance, DEFAULT_INITIAL_BALANCE) },
        {
          type: 'AddKey',
          publicKey: this.net.keyPair(id).publicKey,
          accessKey: { nonce: 0n, permission: 'FullAccess' },
        },
      ],
    });
    throwOnFailure(outcome);
    return this.net.account(id);
  }

  /** Deploy a contract file to this account (.js → VM engine, .wasm → wasm engine). */
  async deploy(path: string): Promise<TransactionOutcome> {
    const code = this.net.readContract(path);
    const outcome = this.net.executeTransaction({
      signerId: this.accountId,
      receiverId: this.accountId,
      actions: [{ type: 'DeployContract', code }],
    });
    throwOnFailure(outcome);
    return outcome;
  }

  /** New sub-account with the contract deployed (and its init method called) in one batch. */
  async devDeploy(
    path: string,
    options: {
      initialBalance?: Amount;
      method?: string;
      args?: unknown;
      attachedDeposit?: Amount;
      gas?: Amount;
    } = {},
  ): Promise<Account> {
    const id = this.net.devAccountId(this.accountId);
    const actions: Action[] = [
      { type: 'CreateAccount' },
      { type: 'Transfer', deposit: toBigint(options.initialBalance, DEFAULT_INITIAL_BALANCE) },
      {
        type: 'AddKey',
        publicKey: this.net.keyPair(id).publicKey,
        accessKey: { nonce: 0n, permission: 'FullAccess' },
      },
      { type: 'DeployContract', code: this.net.readContract(path) },
    ];
    if (options.method) {
      actions.push({
        type: 'FunctionCall',
        methodName: options.method,
        args: encodeArgs(options.args),
        gas: toBigint(options.gas, DEFAULT_CALL_GAS),
        deposit: toBigint(options.attachedDeposit, 0n),
      });
    }
    const outcome = this.net.executeTransaction({
      signerId: this.accountId,
      receiverId: id,
      actions,
    });
    throwOnFailure(outcome);
    return this.net.account(id);
  }

  /** Call a method; returns the parsed return value, throws CallError on failure. */
  async call(
    contract: Account | string,
    method: string,
    args: unknown = {},
    options: CallOptions = {},
  ): Promise<unknown> {
    const outcome = await this.callRaw(contract, method, args, options);
    if (outcome.status === 'failure') {
      throw new CallError(outcome.failureMessage ?? 'call failed', outcome.logs, outcome);
    }
    return outcome.value;
  }

  /** Call a method and return the whole outcome (never throws for contract failures). */
  async callRaw(
    contract: Account | string,
    method: string,
    args: unknown = {},
    options: CallOptions = {},
  ): Promise<CallOutcome> {
    const receiverId = typeof contract === 'string' ? contract : contract.accountId;
    const tx = this.net.executeTransaction({
      signerId: this.accountId,
      receiverId,
      actions: [
        {
          type: 'FunctionCall',
          methodName: method,
          args: encodeArgs(args),
          gas: toBigint(options.gas, DEFAULT_CALL_GAS),
          deposit: toBigint(options.attachedDeposit, 0n),
        },
      ],
    });
    return toCallOutcome(tx);
  }

  /** View call on this account. */
  async view(method: string, args: unknown = {}): Promise<unknown> {
    return this.net.view(this.accountId, method, args);
  }

  /** All contract storage of this account. */
  async viewState(): Promise<ContractState> {
    return new ContractState(new Map(this.record().state));
  }

  /** Overwrite (or add) one storage record. Objects are stored as JSON. */
  async patchState(key: string | Uint8Array, value: unknown): Promise<void> {
    const record = this.record();
    const k = toStateKey(key);
    const bytes = encodeArgs(value);
    const old = record.state.get(k);
    record.stateBytes += old
      ? BigInt(bytes.length - old.length)
      : BigInt(storageKeyBytes(k).length + bytes.length) + 40n;
    record.state.set(k, bytes);
  }

  /** Balances in yocto. */
  async balance(): Promise<AccountBalance> {
    const record = this.record();
    const total = record.amount + record.locked;
    const stateStaked = storageUsage(record) * STORAGE_PRICE_PER_BYTE;
    const staked = record.locked;
    // biome-ignore lint/complexity/useMathMinMax: bigint operands
    const available = total - (staked > stateStaked ? staked : stateStaked);
    return { total, stateStaked, staked, available };
  }

  /** Send `amount` yocto to `receiverId`; throws CallError if the transfer fails. */
  async transfer(receiverId: Account | string, amount: Amount): Promise<CallOutcome> {
    const outcome = this.net.executeTransaction({
      signerId: this.accountId,
      receiverId: typeof receiverId === 'string' ? receiverId : receiverId.accountId,
      actions: [{ type: 'Transfer', deposit: BigInt(amount) }],
    });
    const result = toCallOutcome(outcome);
    if (result.status === 'failure') {
      throw new CallError(result.failureMessage ?? 'transfer failed', result.logs, result);
    }
    return result;
  }

  /** Stake `amount` (0 = unstake) with this account's key: it becomes a validator 2 epochs on. */
  async stake(
    amount: Amount,
    publicKey = this.net.keyPair(this.accountId).publicKey,
  ): Promise<CallOutcome> {
    const outcome = this.net.executeTransaction({
      signerId: this.accountId,
      receiverId: this.accountId,
      actions: [{ type: 'Stake', stake: BigInt(amount), publicKey }],
    });
    const result = toCallOutcome(outcome);
    if (result.status === 'failure') {
      throw new CallError(result.failureMessage ?? 'stake failed', result.logs, result);
    }
    return result;
  }

  /** Whether the account exists. */
  async exists(): Promise<boolean> {
    return this.net.chain.account(this.accountId) !== undefined;
  }

  /** Delete this account, sending its balance to `beneficiaryId`. */
  async delete(beneficiaryId: string): Promise<CallOutcome> {
    const outcome = this.net.executeTransaction({
      signerId: this.accountId,
      receiverId: this.accountId,
      actions: [{ type: 'DeleteAccount', beneficiaryId }],
    });
    return toCallOutcome(outcome);
  }

  private record() {
    const record = this.net.chain.account(this.accountId);
    if (!record) throw new Error(`E_UNKNOWN_ACCOUNT: account ${this.accountId} does not exist`);
    return record;
  }
}

function throwOnFailure(outcome: TransactionOutcome): void {
  if (outcome.status === 'failure') {
    throw new CallError(
      outcome.failureMessage ?? 'transaction failed',
      outcome.logs,
      toCallOutcome(outcome),
    );
  }
}

/** TransactionOutcome → the compact CallOutcome of the test API. */
export function toCallOutcome(tx: TransactionOutcome): CallOutcome {
  return {
    status: tx.status,
    value: tx.value,
    logs: tx.logs,
    receipts: tx.receipts.map((r) => ({
      receiptId: r.receiptId,
      executor: r.executorId,
      predecessor: r.predecessorId,
      status: r.status.type === 'Failure' ? 'failure' : 'success',
      logs: r.logs,
      gasBurnt: r.gasBurnt,
      failureMessage: r.status.type === 'Failure' ? r.status.message : undefined,
      isRefund: r.isRefund,
    })),
    gasBurnt: tx.gasBurnt,
    failureMessage: tx.failureMessage,
    failure: tx.failure,
    transaction: tx,
  };
}
