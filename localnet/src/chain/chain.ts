// The chain: accounts, blocks (1 s apart), epochs, the receipt queue and transactions.
// Receipts created in block h run in block h+1; a callback runs once every dependency has a
// result; refunds are receipts from `system`. A transaction runs until all its receipts finish.
import { createHash } from 'node:crypto';
import type { Engines } from '../engine/index';
import { createEngines } from '../engine/index';
import { LIMITS } from '../engine/prepare';
import { GAS_PRICE, GAS_PURCHASE_PRICE, TGAS } from '../host/gas';
import { base58Encode, isValidAccountId, publicKeyToBytes } from '../host/keys';
import type { AccessKey, Action, PromiseResult } from '../host/types';
import {
  type AccountRecord,
  cloneAccount,
  newAccount,
  STORAGE_PRICE_PER_BYTE,
  storageStakeRequired,
  storageUsage,
} from './account';
import { type ExecutionStatus, InvalidTxError, type TransactionOutcome } from './outcome';
import { type Receipt, receiptFees, totalAttachedGas, totalDeposit } from './receipt';
import { applyReceipt } from './runtime';
import {
  applyEpochTransition,
  cloneStaking,
  DEFAULT_REWARD_RATE,
  genesisStaking,
  type Ratio,
  type StakingState,
  slash,
  stakeIn,
  totalStakeIn,
} from './staking';

export const NEAR = 10n ** 24n;

/** Chain parameters. */
export interface ChainConfig {
  /** Blocks per epoch (default 500, as a sandbox made by `neard init`). */
  epochLength: number;
  /** Per-transaction prepaid-gas cap (default 300 Tgas; 1 Pgas since protocol 83). */
  maxGasPerTx: bigint;
  rootAccountId: string;
  rootBalance: bigint;
  /** Genesis validator stake of the root account (locked at genesis). */
  rootStake: bigint;
  genesisTimestampNs: bigint;
  blockTimeNs: bigint;
  /** Storage bytes added to a .js contract: the QuickJS engine its wasm would carry. */
  jsCodeOverheadBytes: bigint;
  defaultRewardRate: Ratio;
  /** Optional wall-clock cap per VM call in ms (0 = none; JS ops are metered as gas). */
  vmTimeoutMs: number;
}

/** Defaults: see localnet/README.md. */
export const DEFAULT_CHAIN_CONFIG: ChainConfig = {
  epochLength: 500,
  maxGasPerTx: 300n * TGAS,
  rootAccountId: 'test.near',
  rootBalance: 1_000_000_000n * NEAR,
  rootStake: 50_000n * NEAR,
  genesisTimestampNs: 1_700_000_000_000_000_000n,
  blockTimeNs: 1_000_000_000n,
  jsCodeOverheadBytes: 480_000n,
  defaultRewardRate: DEFAULT_REWARD_RATE,
  vmTimeoutMs: 0,
};

/** A transaction to apply (already authorised; the RPC layer verifies signatures). */
export interface TransactionInput {
  signerId: string;
  receiverId: string;
  actions: Action[];
  /** The signing key (`ed25519:...`); when given, it must exist and allow the actions. */
  publicKey?: string;
  /** When given, must exceed the access key's nonce, which is then set to it. */
  nonce?: bigint;
  /** The transaction hash (the RPC layer computes it from the signed bytes). */
  hash?: string;
}

/** nearcore `BlockHeaderView` essentials. */
export interface BlockInfo {
  height: number;
  hash: string;
  prevHash: string;
  timestampNs: bigint;
  epochHeight: number;
  /** Hash of the epoch's first block (nearcore epoch_id is similar in spirit). */
  epochId: string;
  gasPrice: bigint;
}

/** Everything a snapshot copies. */
interface ChainState {
  accounts: Map<string, AccountRecord>;
  height: number;
  staking: StakingState;
  faults: Map<string, Set<string>>;
  counter: number;
  transactions: Map<string, TransactionOutcome>;
}

/** Opaque copy of the chain state (see `Chain.snapshot`). */
export interface ChainSnapshot {
  readonly state: ChainState;
}

const MAX_BLOCKS_PER_TX = 10_000;
/** Transaction outcomes kept for `transaction(hash)` lookups (oldest dropped first). */
const MAX_TX_HISTORY = 10_000;

/** The in-process NEAR chain. */
export class Chain {
  readonly config: ChainConfig;
  readonly engines: Engines;
  accounts = new Map<string, AccountRecord>();
  height = 0;
  staking: StakingState;
  /** accountId → methods that fail on call (fault injection). */
  faults = new Map<string, Set<string>>();
  private counter = 0;
  private queue: Receipt[] = [];
  private data = new Map<string, { result: PromiseResult; arrivedAt: number }>();
  private transactions = new Map<string, TransactionOutcome>();
  /** Height → hashes of kept transactions included (converted) or with a receipt run there. */
  private txsByHeight = new Map<number, string[]>();
  private currentTx: TransactionOutcome | undefined;

  constructor(config: Partial<ChainConfig> = {}, engines?: Engines) {
    // An option passed as undefined keeps its default (a plain spread would overwrite it).
    const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
    this.config = { ...DEFAULT_CHAIN_CONFIG, ...given };
    if (!Number.isInteger(this.config.epochLength) || this.config.epochLength < 1) {
      throw new Error(
        `E_BAD_CONFIG: epochLength must be a whole number of blocks >= 1, got ${this.config.epochLength}`,
      );
    }
    if (this.config.maxGasPerTx <= 0n) {
      throw new Error('E_BAD_CONFIG: maxGasPerTx must be positive (300 Tgas = 300000000000000n)');
    }
    this.engines = engines ?? createEngines({ timeoutMs: this.config.vmTimeoutMs });
    const root = newAccount(this.config.rootAccountId, this.config.rootBalance);
    root.locked = this.config.rootStake;
    this.accounts.set(root.id, root);
    const validators = new Map<string, bigint>();
    if (this.config.rootStake > 0n) validators.set(root.id, this.config.rootStake);
    this.staking = genesisStaking(validators, this.config.defaultRewardRate);
  }

  // ------------------------------------------------------------------ ids, blocks, epochs

  /** A fresh base58 32-byte id (receipt ids, data ids, tx hashes): chain salt + counter. */
  newId(_kind: string): string {
    this.counter++;
    const bytes = new Uint8Array(32);
    bytes.set(ID_SALT);
    new DataView(bytes.buffer).setBigUint64(24, BigInt(this.counter));
    return base58Encode(bytes);
  }

  /** Epoch height of a block height. */
  epochOf(height: number): number {
    return Math.floor(height / this.config.epochLength);
  }

  /** Current epoch height. */
  get epochHeight(): number {
    return this.epochOf(this.height);
  }

  /** Header data of a block (deterministic from its height). */
  block(height = this.height): BlockInfo {
    const epoch = this.epochOf(height);
    return {
      height,
      hash: blockHash(height),
      prevHash: height === 0 ? base58Encode(new Uint8Array(32)) : blockHash(height - 1),
      timestampNs: this.timestampOf(height),
      epochHeight: epoch,
      epochId: blockHash(epoch * this.config.epochLength),
      gasPrice: GAS_PRICE,
    };
  }

  /** Header of the block with this hash, if it is at most `maxDepth` blocks old. */
  blockByHash(hash: string, maxDepth = 86_400): BlockInfo | undefined {
    const known = heightByHash.get(hash);
    if (known !== undefined && known <= this.height) return this.block(known);
    for (let h = this.height; h >= 0 && h >= this.height - maxDepth; h--) {
      if (blockHash(h) === hash) return this.block(h);
    }
    return undefined;
  }

  /** Block timestamp (ns). */
  timestampOf(height: number): bigint {
    return this.config.genesisTimestampNs + BigInt(height) * this.config.blockTimeNs;
  }

  /** The 32-byte random seed of a block. */
  randomSeedOf(height: number): Uint8Array {
    return sha256(`localnet-random-seed:${height}`);
  }

  /** Produce one block: epoch transition if one starts here, then every ready receipt. */
  produceBlock(): void {
    this.height++;
    if (this.height % this.config.epochLength === 0) {
      applyEpochTransition(
        this.staking,
        this.epochOf(this.height),
        (id) => this.accounts.get(id),
        () => this.accounts.values(),
      );
    }
    if (this.queue.length === 0) return;
    const ready: Receipt[] = [];
    const waiting: Receipt[] = [];
    for (const r of this.queue) (this.isReady(r) ? ready : waiting).push(r);
    this.queue = waiting;
    for (const receipt of ready) this.execute(receipt);
  }

  /** Produce `blocks` blocks; empty stretches jump straight to the next epoch boundary. */
  fastForward(blocks: number): void {
    const target = this.height + blocks;
    while (this.height < target) {
      if (this.queue.length === 0) {
        const nextBoundary = (this.epochOf(this.height) + 1) * this.config.epochLength;
        if (nextBoundary - 1 > this.height) this.height = Math.min(target, nextBoundary - 1);
        if (this.height >= target) break;
      }
      this.produceBlock();
    }
  }

  /** Advance to the first block of the epoch `epochs` ahead. */
  fastForwardEpochs(epochs: number): void {
    const target = (this.epochHeight + epochs) * this.config.epochLength;
    this.fastForward(target - this.height);
  }

  private isReady(r: Receipt): boolean {
    if (r.readyAt > this.height) return false;
    for (const id of r.inputDataIds) {
      const d = this.data.get(id);
      if (!d || d.arrivedAt > this.height) return false;
    }
    return true;
  }

  // ------------------------------------------------------------------ receipts

  /** Queue a receipt (created in the current block: it runs in the next one). */
  enqueue(receipt: Receipt): void {
    this.queue.push(receipt);
  }

  /** Deliver a result to a waiting receipt (arrives in the next block). */
  deliverData(dataId: string, result: PromiseResult): void {
    this.data.set(dataId, { result, arrivedAt: this.height + 1 });
  }

  /** Results for a receipt's dependencies, in order (consumed). */
  takeInputData(receipt: Receipt): PromiseResult[] {
    return receipt.inputDataIds.map((id) => {
      const d = this.data.get(id);
      this.data.delete(id);
      return d ? d.result : { status: 'failed' as const };
    });
  }

  private execute(receipt: Receipt): void {
    const outcome = applyReceipt(this, receipt);
    if (this.currentTx && receipt.txHash === this.currentTx.hash) {
      this.currentTx.receipts.push(outcome);
    }
  }

  /** Validator stake of an account in the current epoch. */
  validatorStake(accountId: string): bigint {
    return stakeIn(this.staking, this.epochHeight, accountId);
  }

  /** Total validator stake of the current epoch. */
  validatorTotalStake(): bigint {
    return totalStakeIn(this.staking, this.epochHeight);
  }

  /** Current validators and stakes. */
  validators(): Map<string, bigint> {
    return new Map(this.staking.sets.get(this.epochHeight) ?? []);
  }

  // ------------------------------------------------------------------ transactions

  /**
   * Apply a transaction: validate, buy gas, convert to a receipt, then produce blocks until all
   * its receipts and refunds have run. Throws `InvalidTxError` when it is rejected up front.
   */
  executeTransaction(tx: TransactionInput): TransactionOutcome {
    const signer = this.accounts.get(tx.signerId);
    if (!signer) {
      throw new InvalidTxError(
        { SignerDoesNotExist: { signer_id: tx.signerId } },
        `E_SIGNER_DOES_NOT_EXIST: signer ${tx.signerId} does not exist`,
      );
    }
    if (!isValidAccountId(tx.receiverId)) {
      throw new InvalidTxError(
        { InvalidReceiverId: { receiver_id: tx.receiverId } },
        `E_INVALID_RECEIVER: '${tx.receiverId}' is not a valid account id`,
      );
    }
    // nearcore `validate_actions`: each action (`validate_deploy_contract_action`), then total gas
    for (const action of tx.actions) {
      if (action.type === 'DeployContract' && action.code.length > LIMITS.maxContractSize) {
        throw new InvalidTxError(
          {
            ActionsValidation: {
              ContractSizeExceeded: { size: action.code.length, limit: LIMITS.maxContractSize },
            },
          },
          `E_CONTRACT_SIZE_EXCEEDED: ${action.code.length}-byte contract, the limit is ${LIMITS.maxContractSize}`,
        );
      }
    }
    const attachedGas = totalAttachedGas(tx.actions);
    if (attachedGas > this.config.maxGasPerTx) {
      throw new InvalidTxError(
        {
          ActionsValidation: {
            TotalPrepaidGasExceeded: {
              total_prepaid_gas: Number(attachedGas),
              limit: Number(this.config.maxGasPerTx),
            },
          },
        },
        `E_TOTAL_PREPAID_GAS_EXCEEDED: ${attachedGas} gas attached, the limit per transaction is ${this.config.maxGasPerTx}`,
      );
    }
    if (tx.publicKey !== undefined) this.checkAccessKey(signer, tx);
    const sir = tx.signerId === tx.receiverId;
    const fees = receiptFees(tx.actions, sir);
    const deposit = totalDeposit(tx.actions);
    const cost = deposit + fees.send * GAS_PRICE + (fees.exec + attachedGas) * GAS_PURCHASE_PRICE;
    if (signer.amount < cost) {
      throw new InvalidTxError(
        {
          NotEnoughBalance: {
            signer_id: tx.signerId,
            balance: signer.amount.toString(),
            cost: cost.toString(),
          },
        },
        `E_NOT_ENOUGH_BALANCE: ${tx.signerId} has ${signer.amount} yocto, the transaction costs ${cost}`,
      );
    }
    const required = storageStakeRequired(signer);
    if (signer.amount - cost + signer.locked < required) {
      throw new InvalidTxError(
        {
          LackBalanceForState: {
            signer_id: tx.signerId,
            amount: (required - (signer.amount - cost + signer.locked)).toString(),
          },
        },
        `E_LACK_BALANCE_FOR_STATE: ${tx.signerId} would not cover its storage after paying ${cost}`,
      );
    }
    signer.amount -= cost;
    if (tx.publicKey !== undefined && tx.nonce !== undefined) {
      const key = signer.accessKeys.get(tx.publicKey);
      if (key) key.nonce = tx.nonce;
    }
    if (tx.publicKey !== undefined) this.chargeAllowance(signer, tx.publicKey, cost - deposit);

    const hash = tx.hash ?? this.newId('tx');
    this.produceBlock();
    const conversionHeight = this.height;
    const receiptId = this.newId('receipt');
    const outcome: TransactionOutcome = {
      hash,
      signerId: tx.signerId,
      publicKey: tx.publicKey,
      nonce: tx.nonce,
      receiverId: tx.receiverId,
      actions: tx.actions,
      status: 'success',
      value: undefined,
      logs: [],
      receipts: [],
      gasBurnt: 0n,
      tokensBurnt: 0n,
      conversion: {
        receiptId,
        gasBurnt: fees.send,
        tokensBurnt: fees.send * GAS_PRICE,
        blockHeight: conversionHeight,
        blockHash: blockHash(conversionHeight),
      },
    };
    this.currentTx = outcome;
    try {
      this.enqueue({
        id: receiptId,
        predecessorId: tx.signerId,
        receiverId: tx.receiverId,
        signerId: tx.signerId,
        signerPk: publicKeyBytes(tx.publicKey ?? defaultKey(signer)),
        actions: tx.actions,
        inputDataIds: [],
        outputDataReceivers: [],
        // A local receipt (signer == receiver) runs in the block that includes the transaction.
        readyAt: sir ? this.height : this.height + 1,
        txHash: hash,
        isRefund: false,
      });
      if (sir) {
        const local = this.queue.pop()!;
        this.execute(local);
      }
      let blocks = 0;
      while (this.queue.some((r) => r.txHash === hash)) {
        if (++blocks > MAX_BLOCKS_PER_TX) {
          throw new Error(
            `E_TX_STUCK: transaction ${hash} still has receipts after ${MAX_BLOCKS_PER_TX} blocks`,
          );
        }
        this.produceBlock();
      }
    } catch (err) {
      // A localnet bug or a stuck transaction: drop its receipts so later transactions run clean.
      this.queue = this.queue.filter((r) => r.txHash !== hash);
      throw err;
    } finally {
      this.currentTx = undefined;
    }
    finishOutcome(outcome);
    this.transactions.set(hash, outcome);
    this.indexHeights(outcome, true);
    if (this.transactions.size > MAX_TX_HISTORY) {
      const oldest = this.transactions.keys().next().value!;
      this.indexHeights(this.transactions.get(oldest)!, false);
      this.transactions.delete(oldest);
    }
    return outcome;
  }

  private checkAccessKey(signer: AccountRecord, tx: TransactionInput): void {
    const publicKey = tx.publicKey!;
    const key = signer.accessKeys.get(publicKey);
    if (!key) {
      throw new InvalidTxError(
        {
          InvalidAccessKeyError: {
            AccessKeyNotFound: { account_id: signer.id, public_key: publicKey },
          },
        },
        `E_ACCESS_KEY_NOT_FOUND: ${signer.id} has no access key ${publicKey}`,
      );
    }
    if (tx.nonce !== undefined && tx.nonce <= key.nonce) {
      throw new InvalidTxError(
        { InvalidNonce: { ak_nonce: Number(key.nonce), tx_nonce: Number(tx.nonce) } },
        `E_INVALID_NONCE: nonce ${tx.nonce} must exceed the access key's nonce ${key.nonce}`,
      );
    }
    if (key.permission === 'FullAccess') return;
    const p = key.permission.FunctionCall;
    const call = tx.actions[0];
    if (tx.actions.length !== 1 || call.type !== 'FunctionCall') {
      throw new InvalidTxError(
        { InvalidAccessKeyError: 'RequiresFullAccess' },
        'E_REQUIRES_FULL_ACCESS: a function-call key can only sign one FunctionCall action',
      );
    }
    if (tx.receiverId !== p.receiverId) {
      throw new InvalidTxError(
        {
          InvalidAccessKeyError: {
            ReceiverMismatch: { tx_receiver: tx.receiverId, ak_receiver: p.receiverId },
          },
        },
        `E_RECEIVER_MISMATCH: this key may only call ${p.receiverId}`,
      );
    }
    if (p.methodNames.length > 0 && !p.methodNames.includes(call.methodName)) {
      throw new InvalidTxError(
        { InvalidAccessKeyError: { MethodNameMismatch: { method_name: call.methodName } } },
        `E_METHOD_NAME_MISMATCH: this key may not call ${call.methodName}`,
      );
    }
    if (call.deposit > 0n) {
      throw new InvalidTxError(
        { InvalidAccessKeyError: 'DepositWithFunctionCall' },
        'E_DEPOSIT_WITH_FUNCTION_CALL: a function-call key cannot attach a deposit',
      );
    }
  }

  private chargeAllowance(signer: AccountRecord, publicKey: string, gasCost: bigint): void {
    const key = signer.accessKeys.get(publicKey);
    if (!key || key.permission === 'FullAccess') return;
    const p = key.permission.FunctionCall;
    if (p.allowance === null) return;
    if (p.allowance < gasCost) {
      signer.amount += gasCost;
      throw new InvalidTxError(
        {
          InvalidAccessKeyError: {
            NotEnoughAllowance: {
              account_id: signer.id,
              public_key: publicKey,
              allowance: p.allowance.toString(),
              cost: gasCost.toString(),
            },
          },
        },
        `E_NOT_ENOUGH_ALLOWANCE: key allowance ${p.allowance} is below the gas cost ${gasCost}`,
      );
    }
    p.allowance -= gasCost;
  }

  /** A past transaction's outcome by hash. */
  transaction(hash: string): TransactionOutcome | undefined {
    return this.transactions.get(hash);
  }

  /**
   * Kept transactions that touch block `height`: included there (conversion) or with a receipt
   * executed there, in execution order. What the RPC's `chunk` shows of a block.
   */
  transactionsAt(height: number): TransactionOutcome[] {
    const hashes = this.txsByHeight.get(height) ?? [];
    return hashes.flatMap((h) => {
      const tx = this.transactions.get(h);
      return tx ? [tx] : [];
    });
  }

  private indexHeights(tx: TransactionOutcome, add: boolean): void {
    const heights = new Set([tx.conversion.blockHeight, ...tx.receipts.map((r) => r.blockHeight)]);
    for (const height of heights) {
      const list = this.txsByHeight.get(height) ?? [];
      const next = add ? [...list, tx.hash] : list.filter((h) => h !== tx.hash);
      if (next.length > 0) this.txsByHeight.set(height, next);
      else this.txsByHeight.delete(height);
    }
  }

  // ------------------------------------------------------------------ queries

  /** Account record (live; do not mutate outside the chain). */
  account(accountId: string): AccountRecord | undefined {
    return this.accounts.get(accountId);
  }

  /** nearcore `view_account` fields. */
  accountView(
    accountId: string,
  ): { amount: bigint; locked: bigint; codeHash: string; storageUsage: bigint } | undefined {
    const a = this.accounts.get(accountId);
    if (!a) return undefined;
    return {
      amount: a.amount,
      locked: a.locked,
      codeHash: a.code?.hash ?? base58Encode(new Uint8Array(32)),
      storageUsage: storageUsage(a),
    };
  }

  /** An access key of an account. */
  accessKey(accountId: string, publicKey: string): AccessKey | undefined {
    return this.accounts.get(accountId)?.accessKeys.get(publicKey);
  }

  /** All access keys of an account. */
  accessKeys(accountId: string): Map<string, AccessKey> {
    return new Map(this.accounts.get(accountId)?.accessKeys ?? []);
  }

  /** Balance that storage staking keeps on an account. */
  storageStaked(accountId: string): bigint {
    const a = this.accounts.get(accountId);
    return a ? storageUsage(a) * STORAGE_PRICE_PER_BYTE : 0n;
  }

  // ------------------------------------------------------------------ faults and validators

  /** Make calls to `method` on `accountId` fail (null clears all faults of the account). */
  failMethod(accountId: string, method: string | null): void {
    if (method === null) {
      this.faults.delete(accountId);
      return;
    }
    const set = this.faults.get(accountId) ?? new Set<string>();
    set.add(method);
    this.faults.set(accountId, set);
  }

  /** Offline validators earn no rewards. */
  setValidatorOnline(accountId: string, online: boolean): void {
    if (online) this.staking.offline.delete(accountId);
    else this.staking.offline.add(accountId);
  }

  /** Reward per epoch of one validator. */
  setRewardRate(accountId: string, rate: Ratio): void {
    if (rate.den <= 0n || rate.num < 0n) {
      throw new Error('E_BAD_RATE: a reward rate needs num >= 0 and den > 0');
    }
    this.staking.rewardRates.set(accountId, rate);
  }

  /** Burn a fraction of a validator's locked balance and stakes; returns the amount taken. */
  slash(accountId: string, fraction: Ratio): bigint {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`E_UNKNOWN_ACCOUNT: ${accountId} does not exist`);
    if (fraction.den <= 0n || fraction.num < 0n || fraction.num > fraction.den) {
      throw new Error('E_BAD_FRACTION: a slash fraction needs 0 <= num <= den and den > 0');
    }
    return slash(this.staking, account, fraction);
  }

  // ------------------------------------------------------------------ snapshots

  /** Deep copy of the chain state (accounts, storage, blocks, validators, faults). */
  snapshot(): ChainSnapshot {
    if (this.queue.length > 0) throw new Error('E_SNAPSHOT_BUSY: receipts are still in flight');
    return { state: this.copyState() };
  }

  /** Return to a snapshot (it can be restored again later). */
  restore(snapshot: ChainSnapshot): void {
    const s = snapshot.state;
    this.accounts = new Map([...s.accounts].map(([id, a]) => [id, cloneAccount(a, true)]));
    this.height = s.height;
    this.staking = cloneStaking(s.staking);
    this.faults = new Map([...s.faults].map(([id, m]) => [id, new Set(m)]));
    this.counter = s.counter;
    this.transactions = new Map(s.transactions);
    this.txsByHeight.clear();
    for (const tx of this.transactions.values()) this.indexHeights(tx, true);
    this.queue = [];
    this.data.clear();
  }

  private copyState(): ChainState {
    return {
      accounts: new Map([...this.accounts].map(([id, a]) => [id, cloneAccount(a, true)])),
      height: this.height,
      staking: cloneStaking(this.staking),
      faults: new Map([...this.faults].map(([id, m]) => [id, new Set(m)])),
      counter: this.counter,
      transactions: new Map(this.transactions),
    };
  }
}

const publicKeyCache = new Map<string, Uint8Array>();

/** borsh bytes of a public key (memoised: every transaction needs its signer's). */
function publicKeyBytes(key: string): Uint8Array {
  let bytes = publicKeyCache.get(key);
  if (!bytes) {
    if (publicKeyCache.size > 10_000) publicKeyCache.clear();
    bytes = publicKeyToBytes(key);
    publicKeyCache.set(key, bytes);
  }
  return bytes;
}

/** The key a transaction without an explicit key is signed with: the signer's first key. */
function defaultKey(signer: AccountRecord): string {
  const first = signer.accessKeys.keys().next();
  return first.done ? 'ed25519:11111111111111111111111111111111' : first.value;
}

function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text).digest());
}

const ID_SALT = sha256('localnet-ids').subarray(0, 24);
const blockHashes = new Map<number, string>();
const heightByHash = new Map<string, number>();

/** Deterministic hash of a block height (memoised both ways). */
function blockHash(height: number): string {
  let hash = blockHashes.get(height);
  if (!hash) {
    if (blockHashes.size > 200_000) {
      blockHashes.clear();
      heightByHash.clear();
    }
    hash = base58Encode(sha256(`localnet-block:${height}`));
    blockHashes.set(height, hash);
    heightByHash.set(hash, height);
  }
  return hash;
}

/** Fill the transaction-level fields from its receipts (nearcore's final-status rule). */
function finishOutcome(outcome: TransactionOutcome): void {
  const byId = new Map(outcome.receipts.map((r) => [r.receiptId, r]));
  outcome.logs = outcome.receipts.flatMap((r) => r.logs);
  outcome.gasBurnt = outcome.receipts.reduce((g, r) => g + r.gasBurnt, outcome.conversion.gasBurnt);
  outcome.tokensBurnt = outcome.gasBurnt * GAS_PRICE;
  let current = byId.get(outcome.conversion.receiptId);
  let status: ExecutionStatus | undefined;
  while (current) {
    status = current.status;
    if (status.type !== 'SuccessReceiptId') break;
    current = byId.get(status.receiptId);
  }
  if (!status || status.type === 'SuccessReceiptId') {
    outcome.status = 'failure';
    outcome.failureMessage = 'E_TX_INCOMPLETE: the transaction did not reach a final status';
    return;
  }
  if (status.type === 'Failure') {
    outcome.status = 'failure';
    outcome.failure = status.error;
    outcome.failureMessage = status.message;
    return;
  }
  outcome.status = 'success';
  outcome.rawValue = status.value;
  outcome.value = parseValue(status.value);
}

function parseValue(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
