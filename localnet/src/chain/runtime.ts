// Applying one receipt: its actions run on a working copy of the receiver account that is
// committed only if every action succeeds and storage staking holds afterwards.

import { createHash } from 'node:crypto';
import { HostContext } from '../host/context';
import {
  type FunctionCallErrorKind,
  functionCallErrorJson,
  functionCallErrorMessage,
  HostError,
} from '../host/errors';
import { BURNT_GAS_REWARD, GAS_PRICE, GAS_PURCHASE_PRICE } from '../host/gas';
import type { ContractCode, ContractEngine } from '../host/index';
import { base58Encode, isValidAccountId } from '../host/keys';
import type {
  Action,
  CallContext,
  ChainView,
  NewPromise,
  PromiseResult,
  ReturnData,
} from '../host/types';
import {
  type AccountRecord,
  cloneAccessKey,
  cloneAccount,
  newAccount,
  storageStakeRequired,
  storageUsage,
} from './account';
import type { Chain } from './chain';
import type { ExecutionStatus, ReceiptOutcome } from './outcome';
import { type Receipt, receiptFees, totalDeposit } from './receipt';

const SYSTEM = 'system';

/** An action failure: nearcore `ActionError` JSON plus a readable message. */
class ActionFailure extends Error {
  constructor(
    readonly index: number | null,
    readonly kind: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** Mutable per-receipt working state. */
interface Working {
  account: AccountRecord | undefined;
  /** The account was created by a CreateAccount action of this receipt. */
  created: boolean;
  deleted: boolean;
  /** Storage writes of successful function calls, not yet committed. */
  writes: Map<string, Uint8Array | null>;
  logs: string[];
  burnt: bigint;
  /** Gas burnt inside function calls (the contract reward's base). */
  functionCallBurnt: bigint;
  /** Attached gas not used by function calls (refunded). */
  unusedGas: bigint;
  hosts: HostContext[];
  returnData: ReturnData;
  lastHost: HostContext | undefined;
  beneficiaryRefund?: { beneficiaryId: string; amount: bigint };
}

/** Execute a receipt on the chain and return its outcome. */
export function applyReceipt(chain: Chain, receipt: Receipt): ReceiptOutcome {
  const block = chain.block();
  const outcome: ReceiptOutcome = {
    receiptId: receipt.id,
    predecessorId: receipt.predecessorId,
    executorId: receipt.receiverId,
    signerId: receipt.signerId,
    actions: receipt.actions,
    blockHeight: block.height,
    blockHash: block.hash,
    logs: [],
    gasBurnt: 0n,
    tokensBurnt: 0n,
    status: { type: 'SuccessValue', value: new Uint8Array() },
    receiptIds: [],
    isRefund: receipt.isRefund,
  };
  if (receipt.isRefund) {
    const account = chain.accounts.get(receipt.receiverId);
    if (account) account.amount += totalDeposit(receipt.actions);
    return outcome;
  }

  const existing = chain.accounts.get(receipt.receiverId);
  const sir = receipt.predecessorId === receipt.receiverId;
  const w: Working = {
    account: existing ? cloneAccount(existing, false) : undefined,
    created: false,
    deleted: false,
    writes: new Map(),
    logs: [],
    burnt: receiptFees(receipt.actions, sir).exec,
    functionCallBurnt: 0n,
    unusedGas: 0n,
    hosts: [],
    returnData: { kind: 'none' },
    lastHost: undefined,
  };
  const promiseResults = chain.takeInputData(receipt);
  let failure: ActionFailure | undefined;
  let index = 0;
  try {
    for (; index < receipt.actions.length; index++) {
      applyAction(chain, receipt, receipt.actions[index], index, w, promiseResults);
    }
    if (w.account && !w.deleted) checkStorageStake(w.account);
  } catch (err) {
    if (!(err instanceof ActionFailure)) throw err;
    failure = err;
    for (let i = index + 1; i < receipt.actions.length; i++) {
      const a = receipt.actions[i];
      if (a.type === 'FunctionCall') w.unusedGas += a.gas;
    }
  }

  outcome.logs = w.logs;
  outcome.gasBurnt = w.burnt;
  outcome.tokensBurnt = w.burnt * GAS_PRICE;
  const children: Receipt[] = [];
  if (failure) {
    outcome.status = {
      type: 'Failure',
      error: { ActionError: { index: failure.index, kind: failure.kind } },
      message: failure.message,
    };
    for (const r of receipt.outputDataReceivers) chain.deliverData(r.dataId, { status: 'failed' });
    const deposit = totalDeposit(receipt.actions);
    if (deposit > 0n && receipt.predecessorId !== SYSTEM) {
      children.push(refundReceipt(chain, receipt, receipt.predecessorId, deposit));
    }
  } else {
    commit(chain, receipt, w);
    const created = createReceipts(chain, receipt, w);
    children.push(...created.receipts);
    outcome.status = created.status;
    if (w.beneficiaryRefund) {
      const { beneficiaryId, amount } = w.beneficiaryRefund;
      if (amount > 0n) children.push(refundReceipt(chain, receipt, beneficiaryId, amount));
    }
  }
  // Contract reward: 30% of function-call gas, paid even when the call failed.
  const reward = (w.functionCallBurnt * GAS_PRICE * BURNT_GAS_REWARD.num) / BURNT_GAS_REWARD.den;
  const rewarded = chain.accounts.get(receipt.receiverId);
  if (reward > 0n && rewarded) rewarded.amount += reward;
  // Gas was bought at the purchase price: refund what was not used, and the price difference
  // on what was burnt (so the signer pays gas burnt × GAS_PRICE in the end).
  const gasRefund = w.unusedGas * GAS_PURCHASE_PRICE + w.burnt * (GAS_PURCHASE_PRICE - GAS_PRICE);
  if (gasRefund > 0n) {
    children.push(refundReceipt(chain, receipt, receipt.signerId, gasRefund));
  }
  for (const child of children) chain.enqueue(child);
  outcome.receiptIds = children.map((c) => c.id);
  return outcome;
}

function refundReceipt(chain: Chain, parent: Receipt, to: string, amount: bigint): Receipt {
  return {
    id: chain.newId('receipt'),
    predecessorId: SYSTEM,
    receiverId: to,
    signerId: SYSTEM,
    signerPk: new Uint8Array(33),
    actions: [{ type: 'Transfer', deposit: amount }],
    inputDataIds: [],
    outputDataReceivers: [],
    readyAt: chain.height + 1,
    txHash: parent.txHash,
    isRefund: true,
  };
}

function checkStorageStake(account: AccountRecord): void {
  const usage = storageUsage(account);
  const required = storageStakeRequired(account, usage);
  const available = account.amount + account.locked;
  if (available < required) {
    const shortfall = required - available;
    throw new ActionFailure(
      null,
      { LackBalanceForState: { account_id: account.id, amount: shortfall.toString() } },
      `LackBalanceForState: ${account.id} needs ${shortfall} more yocto to cover the storage of ${usage} bytes`,
    );
  }
}

function fail(index: number, kind: unknown, message: string): never {
  throw new ActionFailure(index, kind, message);
}

function requireAccount(w: Working, receipt: Receipt, index: number): AccountRecord {
  if (!w.account || w.deleted) {
    fail(
      index,
      { AccountDoesNotExist: { account_id: receipt.receiverId } },
      `AccountDoesNotExist: account ${receipt.receiverId} does not exist`,
    );
  }
  return w.account;
}

function requireActor(w: Working, receipt: Receipt, index: number): void {
  const actor = w.created ? receipt.receiverId : receipt.predecessorId;
  if (actor !== receipt.receiverId) {
    fail(
      index,
      { ActorNoPermission: { account_id: receipt.receiverId, actor_id: actor } },
      `ActorNoPermission: ${actor} may not act on behalf of ${receipt.receiverId}`,
    );
  }
}

function applyAction(
  chain: Chain,
  receipt: Receipt,
  action: Action,
  index: number,
  w: Working,
  promiseResults: PromiseResult[],
): void {
  switch (action.type) {
    case 'CreateAccount': {
      const id = receipt.receiverId;
      if (w.account && !w.deleted) {
        fail(
          index,
          { AccountAlreadyExists: { account_id: id } },
          `AccountAlreadyExists: ${id} already exists`,
        );
      }
      const root = chain.config.rootAccountId;
      const dot = id.indexOf('.');
      if (dot < 0) {
        if (receipt.predecessorId !== root) {
          fail(
            index,
            {
              CreateAccountOnlyByRegistrar: {
                account_id: id,
                registrar_account_id: root,
                predecessor_account_id: receipt.predecessorId,
              },
            },
            `CreateAccountOnlyByRegistrar: only ${root} may create the top-level account ${id}`,
          );
        }
      } else if (id.slice(dot + 1) !== receipt.predecessorId) {
        fail(
          index,
          { CreateAccountNotAllowed: { account_id: id, predecessor_id: receipt.predecessorId } },
          `CreateAccountNotAllowed: ${receipt.predecessorId} may only create its own sub-accounts, not ${id}`,
        );
      }
      w.account = newAccount(id);
      w.created = true;
      w.deleted = false;
      return;
    }
    case 'Transfer': {
      requireAccount(w, receipt, index).amount += action.deposit;
      return;
    }
    case 'DeployContract': {
      const account = requireAccount(w, receipt, index);
      requireActor(w, receipt, index);
      const isWasm = action.code.length >= 4 && action.code[0] === 0 && action.code[1] === 0x61;
      account.code = {
        kind: isWasm ? 'wasm' : 'js',
        hash: base58Encode(new Uint8Array(createHash('sha256').update(action.code).digest())),
        bytes: action.code,
      };
      account.codeBytes =
        BigInt(action.code.length) + (isWasm ? 0n : chain.config.jsCodeOverheadBytes);
      // nearcore prepares (precompiles) the code on deploy and keeps the result for calls; a
      // PrepareError does not fail the deploy, every call then fails with it (engine/prepare.ts).
      if (isWasm) precompile(chain, account.code);
      return;
    }
    case 'FunctionCall':
      runFunctionCall(chain, receipt, action, index, w, promiseResults);
      return;
    case 'Stake': {
      const account = requireAccount(w, receipt, index);
      requireActor(w, receipt, index);
      if (!action.publicKey.startsWith('ed25519:')) {
        fail(
          index,
          { UnsuitableStakingKey: { public_key: action.publicKey } },
          `UnsuitableStakingKey: ${action.publicKey} is not an ed25519 key`,
        );
      }
      if (action.stake > account.locked) {
        const needed = action.stake - account.locked;
        if (account.amount < needed) {
          fail(
            index,
            {
              TriesToStake: {
                account_id: account.id,
                stake: action.stake.toString(),
                locked: account.locked.toString(),
                balance: account.amount.toString(),
              },
            },
            `TriesToStake: ${account.id} tries to stake ${action.stake} with ${account.amount} liquid and ${account.locked} locked`,
          );
        }
        account.amount -= needed;
        account.locked = action.stake;
      } else if (action.stake === 0n && account.locked === 0n) {
        fail(
          index,
          { TriesToUnstake: { account_id: account.id } },
          `TriesToUnstake: ${account.id} has nothing staked`,
        );
      }
      // The proposal takes effect when the receipt commits (see commit()).
      return;
    }
    case 'AddKey': {
      const account = requireAccount(w, receipt, index);
      requireActor(w, receipt, index);
      if (account.accessKeys.has(action.publicKey)) {
        fail(
          index,
          { AddKeyAlreadyExists: { account_id: account.id, public_key: action.publicKey } },
          `AddKeyAlreadyExists: ${account.id} already has key ${action.publicKey}`,
        );
      }
      // AccessKeyNonceRange: new keys start at (height − 1) × 1e6.
      const nonce = BigInt(Math.max(chain.height - 1, 0)) * 1_000_000n;
      account.accessKeys.set(action.publicKey, { ...cloneAccessKey(action.accessKey), nonce });
      return;
    }
    case 'DeleteKey': {
      const account = requireAccount(w, receipt, index);
      requireActor(w, receipt, index);
      if (!account.accessKeys.delete(action.publicKey)) {
        fail(
          index,
          { DeleteKeyDoesNotExist: { account_id: account.id, public_key: action.publicKey } },
          `DeleteKeyDoesNotExist: ${account.id} has no key ${action.publicKey}`,
        );
      }
      return;
    }
    case 'DeleteAccount': {
      const account = requireAccount(w, receipt, index);
      requireActor(w, receipt, index);
      if (account.locked > 0n) {
        fail(
          index,
          { DeleteAccountStaking: { account_id: account.id } },
          `DeleteAccountStaking: ${account.id} still has ${account.locked} staked`,
        );
      }
      if (!isValidAccountId(action.beneficiaryId)) {
        fail(
          index,
          { InvalidReceiverId: { receiver_id: action.beneficiaryId } },
          `invalid beneficiary ${action.beneficiaryId}`,
        );
      }
      w.beneficiaryRefund = { beneficiaryId: action.beneficiaryId, amount: account.amount };
      w.deleted = true;
      return;
    }
  }
}

function runFunctionCall(
  chain: Chain,
  receipt: Receipt,
  action: Action & { type: 'FunctionCall' },
  index: number,
  w: Working,
  promiseResults: PromiseResult[],
): void {
  const account = requireAccount(w, receipt, index);
  account.amount += action.deposit;
  const block = chain.block();
  const context: CallContext = {
    currentAccountId: account.id,
    signerAccountId: receipt.signerId,
    signerAccountPk: receipt.signerPk,
    predecessorAccountId: receipt.predecessorId,
    input: action.args,
    blockHeight: BigInt(block.height),
    blockTimestamp: block.timestampNs,
    epochHeight: BigInt(block.epochHeight),
    prepaidGas: action.gas,
    attachedDeposit: action.deposit,
    randomSeed: chain.randomSeedOf(block.height),
    isView: false,
    promiseResults,
    maxGasBurnt: chain.config.maxGasPerTx,
  };
  const startUsage = storageUsage(account);
  const view: ChainView = {
    storageGet: (key) => {
      const pending = w.writes.get(key);
      if (pending !== undefined) return pending ?? undefined;
      return account.state.get(key);
    },
    accountBalance: account.amount,
    accountLockedBalance: account.locked,
    storageUsage: startUsage,
    validatorStake: (id) => chain.validatorStake(id),
    validatorTotalStake: () => chain.validatorTotalStake(),
  };
  const host = new HostContext(context, view);
  const error = runInEngine(chain, account, action.methodName, host);
  w.logs.push(...host.logs);
  w.burnt += host.burntGas;
  w.functionCallBurnt += host.burntGas;
  if (error) {
    w.unusedGas += action.gas - host.burntGas;
    throw new ActionFailure(
      index,
      { FunctionCallError: functionCallErrorJson(error) },
      functionCallErrorMessage(error),
    );
  }
  distributeWeightedGas(host);
  w.unusedGas += action.gas - host.usedGas;
  for (const [k, v] of host.writes) w.writes.set(k, v);
  account.stateBytes += host.storageUsageBytes - startUsage;
  account.amount = host.balance;
  w.hosts.push(host);
  w.returnData = host.returnData;
  w.lastHost = host;
}

/** Run a method; returns the function-call error, or undefined on success. */
function runInEngine(
  chain: Chain,
  account: AccountRecord,
  method: string,
  host: HostContext,
): FunctionCallErrorKind | undefined {
  const faults = chain.faults.get(account.id);
  if (faults?.has(method)) {
    return {
      type: 'GuestPanic',
      panicMsg: `E_FAULT_INJECTED: localnet failMethod(${account.id}, ${method}) is active`,
    };
  }
  if (!account.code) return { type: 'CodeDoesNotExist', accountId: account.id };
  const engine = account.code.kind === 'js' ? chain.engines.js : chain.engines.wasm();
  if (!engine) {
    return {
      type: 'WasmTrap',
      trap: 'E_WASM_ENGINE_MISSING: this account has wasm code and localnet has no wasm engine (engine/wasm.ts)',
    };
  }
  try {
    engine.run(account.code, method, host);
  } catch (err) {
    if (host.fatalError) return host.fatalError.kind;
    if (err instanceof HostError) return err.kind;
    return { type: 'WasmTrap', trap: String((err as Error)?.message ?? err) };
  }
  return host.fatalError?.kind;
}

/** Prepare and compile wasm code once, as nearcore's deploy does (errors wait for the calls). */
function precompile(chain: Chain, code: ContractCode): void {
  const engine = chain.engines.wasm() as
    | (ContractEngine & { precompile?(c: ContractCode): void })
    | undefined;
  engine?.precompile?.(code);
}

/** NEP-264: hand the caller's unused gas to weighted function calls, by weight. */
function distributeWeightedGas(host: HostContext): void {
  const weighted: (Action & { type: 'FunctionCall' })[] = [];
  let totalWeight = 0n;
  for (const p of host.promises) {
    if (p.kind !== 'receipt') continue;
    for (const a of p.actions) {
      if (a.type === 'FunctionCall' && (a.gasWeight ?? 0n) > 0n) {
        weighted.push(a);
        totalWeight += a.gasWeight!;
      }
    }
  }
  const unused = host.context.prepaidGas - host.usedGas;
  if (totalWeight === 0n || unused <= 0n) return;
  let given = 0n;
  weighted.forEach((a, i) => {
    const share =
      i === weighted.length - 1 ? unused - given : (unused * a.gasWeight!) / totalWeight;
    a.gas += share;
    given += share;
  });
  host.usedGas += given;
}

/** Apply the working copy to the chain. */
function commit(chain: Chain, receipt: Receipt, w: Working): void {
  if (!w.account) return;
  if (w.deleted) {
    chain.accounts.delete(w.account.id);
    return;
  }
  const account = w.account;
  // The working copy shares its state map with the committed record (snapshots copy maps).
  for (const [k, v] of w.writes) {
    if (v === null) account.state.delete(k);
    else account.state.set(k, v);
  }
  chain.accounts.set(account.id, account);
  for (const action of receipt.actions) {
    if (action.type === 'Stake') chain.staking.targets.set(account.id, action.stake);
  }
}

/** Turn the promises of the receipt's function calls into receipts; resolve the receipt status. */
function createReceipts(
  chain: Chain,
  receipt: Receipt,
  w: Working,
): { receipts: Receipt[]; status: ExecutionStatus } {
  const receipts: Receipt[] = [];
  let status: ExecutionStatus = { type: 'SuccessValue', value: new Uint8Array() };
  for (const host of w.hosts) {
    const byIndex = new Map<number, Receipt>();
    host.promises.forEach((p: NewPromise, i) => {
      if (p.kind !== 'receipt') return;
      const r: Receipt = {
        id: chain.newId('receipt'),
        predecessorId: receipt.receiverId,
        receiverId: p.receiverId,
        signerId: receipt.signerId,
        signerPk: receipt.signerPk,
        actions: p.actions,
        inputDataIds: [],
        outputDataReceivers: [],
        readyAt: chain.height + 1,
        txHash: receipt.txHash,
        isRefund: false,
      };
      for (const dep of p.dependsOn) {
        const parent = byIndex.get(dep)!;
        const dataId = chain.newId('data');
        parent.outputDataReceivers.push({ dataId, receiptId: r.id });
        r.inputDataIds.push(dataId);
      }
      byIndex.set(i, r);
      receipts.push(r);
    });
    if (host === w.lastHost && host.returnData.kind === 'promise') {
      const returned = byIndex.get(host.returnData.index)!;
      returned.outputDataReceivers.push(...receipt.outputDataReceivers);
      status = { type: 'SuccessReceiptId', receiptId: returned.id };
    }
  }
  if (status.type !== 'SuccessReceiptId') {
    const value = w.returnData.kind === 'value' ? w.returnData.value : new Uint8Array();
    status = { type: 'SuccessValue', value };
    for (const r of receipt.outputDataReceivers) {
      chain.deliverData(r.dataId, { status: 'successful', value });
    }
  }
  return { receipts, status };
}

/** A failed view call: the function-call error and the logs up to the failure. */
export class ViewCallError extends Error {
  constructor(
    readonly kind: FunctionCallErrorKind,
    readonly logs: string[],
  ) {
    super(functionCallErrorMessage(kind));
    this.name = 'ViewCallError';
  }
}

/** Run a view call against the current block; nothing is committed. */
export function viewFunction(
  chain: Chain,
  accountId: string,
  method: string,
  args: Uint8Array,
): { value: Uint8Array; logs: string[] } {
  const account = chain.accounts.get(accountId);
  if (!account) {
    throw new Error(`E_UNKNOWN_ACCOUNT: account ${accountId} does not exist`);
  }
  const block = chain.block();
  const context: CallContext = {
    currentAccountId: accountId,
    signerAccountId: '',
    signerAccountPk: new Uint8Array(),
    predecessorAccountId: '',
    input: args,
    blockHeight: BigInt(block.height),
    blockTimestamp: block.timestampNs,
    epochHeight: BigInt(block.epochHeight),
    prepaidGas: chain.config.maxGasPerTx,
    attachedDeposit: 0n,
    randomSeed: chain.randomSeedOf(block.height),
    isView: true,
    promiseResults: [],
    maxGasBurnt: chain.config.maxGasPerTx,
  };
  const host = new HostContext(context, {
    storageGet: (key) => account.state.get(key),
    accountBalance: account.amount,
    accountLockedBalance: account.locked,
    storageUsage: storageUsage(account),
    validatorStake: (id) => chain.validatorStake(id),
    validatorTotalStake: () => chain.validatorTotalStake(),
  });
  const error = runInEngine(chain, account, method, host);
  if (error) throw new ViewCallError(error, host.logs);
  const value = host.returnData.kind === 'value' ? host.returnData.value : new Uint8Array();
  return { value, logs: host.logs };
}
