// HostContext: one method execution's view of NEAR (registers, context, storage write-buffer, logs,
// promises, gas). Raw-ABI-shaped: bytes in, bytes/bigint out, registers for variable-size output.
// See index.ts for the contract engines must follow.
import { keccak256, keccak512, ripemd160, sha256 } from './crypto';
import { type FunctionCallErrorKind, HostError } from './errors';
import { EXT, FEES, type Fee, LIMITS, TRIE_NODES_PER_OP } from './gas';
import { isValidAccountId, publicKeyFromBytes } from './keys';
import type {
  AccessKey,
  Action,
  CallContext,
  ChainView,
  NewPromise,
  PromiseResult,
  ReturnData,
} from './types';

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
/** Bytes a storage record costs beyond its key and value. */
const STORAGE_EXTRA_BYTES_PER_RECORD = 40n;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf16Decoder = new TextDecoder('utf-16le', { fatal: true });

/** Storage key bytes → the string key used in the state maps (one char per byte). */
export const storageKey = (key: Uint8Array): string => Buffer.from(key).toString('latin1');
/** State-map string key → bytes. */
export const storageKeyBytes = (key: string): Uint8Array =>
  new Uint8Array(Buffer.from(key, 'latin1'));

/** One method execution. Create one per FunctionCall action (or view call). */
export class HostContext {
  /** Logs in order; kept even when the method fails. */
  readonly logs: string[] = [];
  /** Promises created so far; indices are promise ids. */
  readonly promises: NewPromise[] = [];
  /** Storage writes not yet committed: value, or null for removed. Discarded on failure. */
  readonly writes = new Map<string, Uint8Array | null>();
  returnData: ReturnData = { kind: 'none' };
  /** Gas burnt by this execution (host calls, VM, send fees of new receipts). */
  burntGas = 0n;
  /** burntGas plus gas prepaid for new receipts (attached gas and their execution fees). */
  usedGas = 0n;
  /** Current balance: starts at the account's (deposit included), minus deposits sent. */
  balance: bigint;
  storageUsageBytes: bigint;
  /** Number of host calls made (the VM engine charges a surcharge per call). */
  hostCalls = 0;
  private readonly registers = new Map<bigint, Uint8Array>();
  private totalLogLength = 0;
  private fatal: HostError | undefined;

  constructor(
    readonly context: CallContext,
    private readonly chain: ChainView,
  ) {
    this.balance = chain.accountBalance;
    this.storageUsageBytes = chain.storageUsage;
  }

  /** The fatal host error raised during execution, if any (even if the contract caught it). */
  get fatalError(): HostError | undefined {
    return this.fatal;
  }

  /** Abort with a host error; every later host call throws it again. */
  fail(kind: FunctionCallErrorKind): never {
    this.fatal ??= new HostError(kind);
    throw this.fatal;
  }

  // ---------------------------------------------------------------- gas

  /** Burn gas (engine metering, VM base). Fails with GasExceeded / GasLimitExceeded. */
  chargeGas(gas: bigint): void {
    if (this.fatal) throw this.fatal;
    const burnt = this.burntGas + gas;
    const used = this.usedGas + gas;
    if (burnt > this.context.maxGasBurnt) this.outOfGas('GasLimitExceeded');
    if (used > this.context.prepaidGas) this.outOfGas('GasExceeded');
    this.burntGas = burnt;
    this.usedGas = used;
  }

  /** Reserve gas for a new receipt (used, not burnt). */
  private prepayGas(gas: bigint): void {
    if (this.usedGas + gas > this.context.prepaidGas) this.outOfGas('GasExceeded');
    this.usedGas += gas;
  }

  /** Running out burns everything the counter could still burn, as in nearcore. */
  private outOfGas(type: 'GasExceeded' | 'GasLimitExceeded'): never {
    const { prepaidGas, maxGasBurnt } = this.context;
    // biome-ignore lint/complexity/useMathMinMax: bigint operands
    this.burntGas = prepaidGas < maxGasBurnt ? prepaidGas : maxGasBurnt;
    this.usedGas = this.burntGas;
    return this.fail({ type });
  }

  /** Every host function: guard against a previous fatal error, count, and charge `base`. */
  private enter(prohibitedInViewAs?: string): void {
    if (this.fatal) throw this.fatal;
    this.hostCalls++;
    this.chargeGas(EXT.base);
    if (prohibitedInViewAs && this.context.isView) {
      this.fail({ type: 'ProhibitedInView', methodName: prohibitedInViewAs });
    }
  }

  private readMemory(len: number): void {
    this.chargeGas(EXT.readMemoryBase + EXT.readMemoryByte * BigInt(len));
  }

  private writeMemory(len: number): void {
    this.chargeGas(EXT.writeMemoryBase + EXT.writeMemoryByte * BigInt(len));
  }

  private utf8(bytes: Uint8Array): string {
    this.readMemory(bytes.length);
    this.chargeGas(EXT.utf8DecodingBase + EXT.utf8DecodingByte * BigInt(bytes.length));
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      return this.fail({ type: 'BadUTF8' });
    }
  }

  private accountId(bytes: Uint8Array): string {
    const id = this.utf8(bytes);
    if (!isValidAccountId(id)) this.fail({ type: 'InvalidAccountId' });
    return id;
  }

  private publicKey(bytes: Uint8Array): string {
    this.readMemory(bytes.length);
    return publicKeyFromBytes(bytes) ?? this.fail({ type: 'InvalidPublicKey' });
  }

  private setRegister(registerId: bigint, data: Uint8Array): void {
    this.chargeGas(EXT.writeRegisterBase + EXT.writeRegisterByte * BigInt(data.length));
    this.registers.set(registerId, data);
  }

  // ---------------------------------------------------------------- registers

  /** Contents of a register (a copy is not made: treat as read-only). */
  readRegister(registerId: bigint): Uint8Array {
    this.enter();
    const data = this.registers.get(registerId);
    if (!data) return this.fail({ type: 'InvalidRegisterId', registerId });
    this.chargeGas(EXT.readRegisterBase + EXT.readRegisterByte * BigInt(data.length));
    this.writeMemory(data.length);
    return data;
  }

  /** Length of a register, or 2^64−1 when it is empty. */
  registerLen(registerId: bigint): bigint {
    this.enter();
    const data = this.registers.get(registerId);
    return data ? BigInt(data.length) : U64_MAX;
  }

  /** Write bytes into a register. */
  writeRegister(registerId: bigint, data: Uint8Array): void {
    this.enter();
    this.readMemory(data.length);
    this.setRegister(registerId, Uint8Array.from(data));
  }

  // ---------------------------------------------------------------- context

  /** Current account id (utf-8) into a register. */
  currentAccountId(registerId: bigint): void {
    this.enter();
    this.setRegister(registerId, Buffer.from(this.context.currentAccountId));
  }

  /** Signer account id into a register. Prohibited in views. */
  signerAccountId(registerId: bigint): void {
    this.enter('signer_account_id');
    this.setRegister(registerId, Buffer.from(this.context.signerAccountId));
  }

  /** Signer public key (borsh bytes) into a register. Prohibited in views. */
  signerAccountPk(registerId: bigint): void {
    this.enter('signer_account_pk');
    this.setRegister(registerId, this.context.signerAccountPk);
  }

  /** Predecessor account id into a register. Prohibited in views. */
  predecessorAccountId(registerId: bigint): void {
    this.enter('predecessor_account_id');
    this.setRegister(registerId, Buffer.from(this.context.predecessorAccountId));
  }

  /** Method arguments into a register. */
  input(registerId: bigint): void {
    this.enter();
    this.setRegister(registerId, this.context.input);
  }

  /** Block height. */
  blockIndex(): bigint {
    this.enter();
    return this.context.blockHeight;
  }

  /** Block timestamp in nanoseconds. */
  blockTimestamp(): bigint {
    this.enter();
    return this.context.blockTimestamp;
  }

  /** Epoch height. */
  epochHeight(): bigint {
    this.enter();
    return this.context.epochHeight;
  }

  /** Storage used by the account in bytes, including this execution's writes. */
  storageUsage(): bigint {
    this.enter();
    return this.storageUsageBytes;
  }

  /** Liquid balance (attached deposit included, deposits of new promises deducted). */
  accountBalance(): bigint {
    this.enter();
    this.writeMemory(16);
    return this.balance;
  }

  /** Locked (staked) balance. */
  accountLockedBalance(): bigint {
    this.enter();
    this.writeMemory(16);
    return this.chain.accountLockedBalance;
  }

  /** Deposit attached to this call. Prohibited in views. */
  attachedDeposit(): bigint {
    this.enter('attached_deposit');
    this.writeMemory(16);
    return this.context.attachedDeposit;
  }

  /** Gas attached to this call. Prohibited in views. */
  prepaidGas(): bigint {
    this.enter('prepaid_gas');
    return this.context.prepaidGas;
  }

  /** Gas used so far. Prohibited in views. */
  usedGasNow(): bigint {
    this.enter('used_gas');
    return this.usedGas;
  }

  /** 32-byte random seed of the block into a register. */
  randomSeed(registerId: bigint): void {
    this.enter();
    this.setRegister(registerId, this.context.randomSeed);
  }

  /** Stake of `accountId` (utf-8 bytes) in the current epoch's validator set, 0 if none. */
  validatorStake(accountId: Uint8Array): bigint {
    this.enter();
    const id = this.utf8(accountId);
    this.chargeGas(EXT.validatorStakeBase);
    this.writeMemory(16);
    return this.chain.validatorStake(id);
  }

  /** Sum of the current epoch's validator stakes. */
  validatorTotalStake(): bigint {
    this.enter();
    this.chargeGas(EXT.validatorTotalStakeBase);
    this.writeMemory(16);
    return this.chain.validatorTotalStake();
  }

  // ---------------------------------------------------------------- crypto

  /** SHA-256 of data into a register. */
  sha256(data: Uint8Array, registerId: bigint): void {
    this.hashInto(data, registerId, EXT.sha256Base + EXT.sha256Byte * BigInt(data.length), sha256);
  }

  /** Keccak-256 of data into a register. */
  keccak256(data: Uint8Array, registerId: bigint): void {
    const cost = EXT.keccak256Base + EXT.keccak256Byte * BigInt(data.length);
    this.hashInto(data, registerId, cost, keccak256);
  }

  /** Keccak-512 of data into a register. */
  keccak512(data: Uint8Array, registerId: bigint): void {
    const cost = EXT.keccak512Base + EXT.keccak512Byte * BigInt(data.length);
    this.hashInto(data, registerId, cost, keccak512);
  }

  /** RIPEMD-160 of data into a register. */
  ripemd160(data: Uint8Array, registerId: bigint): void {
    const blocks = BigInt(Math.floor((data.length + 9 + 63) / 64));
    this.hashInto(data, registerId, EXT.ripemd160Base + EXT.ripemd160Block * blocks, ripemd160);
  }

  /** The shape every hash host function shares: read the input, charge its cost, set a register. */
  private hashInto(
    data: Uint8Array,
    registerId: bigint,
    cost: bigint,
    hash: (bytes: Uint8Array) => Uint8Array,
  ): void {
    this.enter();
    this.readMemory(data.length);
    this.chargeGas(cost);
    this.setRegister(registerId, hash(data));
  }

  /** Not supported in localnet: fails with a clear host error. */
  ecrecover(
    _hash: Uint8Array,
    _sig: Uint8Array,
    _v: bigint,
    _malleabilityFlag: bigint,
    _registerId: bigint,
  ): bigint {
    this.enter();
    return this.fail({ type: 'Unsupported', hostFunction: 'ecrecover' });
  }

  /** Not supported in localnet. */
  altBn128G1Multiexp(_data: Uint8Array, _registerId: bigint): void {
    this.enter();
    this.fail({ type: 'Unsupported', hostFunction: 'alt_bn128_g1_multiexp' });
  }

  /** Not supported in localnet. */
  altBn128G1Sum(_data: Uint8Array, _registerId: bigint): void {
    this.enter();
    this.fail({ type: 'Unsupported', hostFunction: 'alt_bn128_g1_sum' });
  }

  /** Not supported in localnet. */
  altBn128PairingCheck(_data: Uint8Array): bigint {
    this.enter();
    return this.fail({ type: 'Unsupported', hostFunction: 'alt_bn128_pairing_check' });
  }

  // ---------------------------------------------------------------- output

  /** Set the method's return value. */
  valueReturn(value: Uint8Array): void {
    this.enter();
    this.readMemory(value.length);
    if (value.length > LIMITS.maxLengthReturnedData) {
      this.fail({ type: 'WasmTrap', trap: 'ReturnedValueLengthExceeded' });
    }
    this.returnData = { kind: 'value', value: Uint8Array.from(value) };
  }

  /** Abort with "explicit guest panic". */
  panic(): never {
    this.enter();
    return this.fail({ type: 'GuestPanic', panicMsg: 'explicit guest panic' });
  }

  /** Abort with a utf-8 message. */
  panicUtf8(message: Uint8Array): never {
    this.enter();
    const text = this.utf8(message);
    return this.fail({ type: 'GuestPanic', panicMsg: text });
  }

  /** Append a utf-8 log line. */
  logUtf8(message: Uint8Array): void {
    this.enter();
    this.pushLog(this.utf8(message), message.length);
  }

  /** Append a utf-16le log line. */
  logUtf16(message: Uint8Array): void {
    this.enter();
    this.readMemory(message.length);
    this.chargeGas(EXT.utf16DecodingBase + EXT.utf16DecodingByte * BigInt(message.length));
    if (message.length % 2 !== 0) this.fail({ type: 'BadUTF16' });
    let text = '';
    try {
      text = utf16Decoder.decode(message);
    } catch {
      this.fail({ type: 'BadUTF16' });
    }
    this.pushLog(text, message.length);
  }

  private pushLog(text: string, byteLength: number): void {
    this.chargeGas(EXT.logBase + EXT.logByte * BigInt(byteLength));
    if (this.logs.length >= LIMITS.maxNumberLogs) {
      this.fail({ type: 'NumberOfLogsExceeded', limit: LIMITS.maxNumberLogs });
    }
    this.totalLogLength += byteLength;
    if (this.totalLogLength > LIMITS.maxTotalLogLength) {
      this.fail({
        type: 'TotalLogLengthExceeded',
        length: this.totalLogLength,
        limit: LIMITS.maxTotalLogLength,
      });
    }
    this.logs.push(text);
  }

  // ---------------------------------------------------------------- promises

  private receiptPromise(index: bigint): NewPromise & { kind: 'receipt' } {
    const promise = this.promises[Number(index)];
    if (index >= BigInt(this.promises.length) || !promise) {
      return this.fail({ type: 'InvalidPromiseIndex', promiseIdx: index });
    }
    if (promise.kind !== 'receipt') return this.fail({ type: 'CannotAppendActionToJointPromise' });
    return promise;
  }

  private sendFee(fee: Fee, receiverId: string, extra = 0n): void {
    const sir = receiverId === this.context.currentAccountId;
    this.chargeGas((sir ? fee.sendSir : fee.sendNotSir) + extra);
  }

  private newReceipt(receiverId: string, dependsOn: number[]): bigint {
    if (this.promises.length >= LIMITS.maxPromisesPerFunctionCallAction) {
      this.fail({
        type: 'NumberPromisesExceeded',
        numberOfPromises: this.promises.length + 1,
        limit: LIMITS.maxPromisesPerFunctionCallAction,
      });
    }
    this.sendFee(FEES.actionReceiptCreation, receiverId);
    this.prepayGas(FEES.actionReceiptCreation.execution);
    for (const _ of dependsOn) {
      this.sendFee(FEES.dataReceiptCreationBase, receiverId);
      this.prepayGas(FEES.dataReceiptCreationBase.execution);
    }
    this.promises.push({ kind: 'receipt', receiverId, actions: [], dependsOn });
    return BigInt(this.promises.length - 1);
  }

  private dependencies(index: bigint): number[] {
    const promise = this.promises[Number(index)];
    if (index >= BigInt(this.promises.length) || !promise) {
      return this.fail({ type: 'InvalidPromiseIndex', promiseIdx: index });
    }
    return promise.kind === 'joint' ? [...promise.members] : [Number(index)];
  }

  private addAction(index: bigint, action: Action, fee: Fee, feeBytes = 0n): void {
    const promise = this.receiptPromise(index);
    const byteFee = (f: Fee): Fee => ({
      sendSir: f.sendSir * feeBytes,
      sendNotSir: f.sendNotSir * feeBytes,
      execution: f.execution * feeBytes,
    });
    const perByte =
      action.type === 'FunctionCall'
        ? byteFee(FEES.functionCallByte)
        : action.type === 'DeployContract'
          ? byteFee(FEES.deployContractByte)
          : action.type === 'AddKey'
            ? byteFee(FEES.addKeyFunctionCallByte)
            : { sendSir: 0n, sendNotSir: 0n, execution: 0n };
    this.sendFee(fee, promise.receiverId);
    this.sendFee(perByte, promise.receiverId);
    this.prepayGas(fee.execution + perByte.execution);
    const deposit =
      action.type === 'FunctionCall' || action.type === 'Transfer' ? action.deposit : 0n;
    if (deposit > this.balance) this.fail({ type: 'BalanceExceeded' });
    this.balance -= deposit;
    promise.actions.push(action);
  }

  private amount(value: bigint): bigint {
    if (value < 0n || value > U128_MAX) this.fail({ type: 'IntegerOverflow' });
    return value;
  }

  /** New receipt with one function call. Returns the promise index. */
  promiseCreate(
    accountId: Uint8Array,
    methodName: Uint8Array,
    args: Uint8Array,
    amount: bigint,
    gas: bigint,
  ): bigint {
    this.enter('promise_create');
    const index = this.newReceipt(this.accountId(accountId), []);
    this.functionCallAction(index, methodName, args, amount, gas, 0n);
    return index;
  }

  /** New receipt with one function call, run after promise `index` has a result. */
  promiseThen(
    index: bigint,
    accountId: Uint8Array,
    methodName: Uint8Array,
    args: Uint8Array,
    amount: bigint,
    gas: bigint,
  ): bigint {
    this.enter('promise_then');
    const receiver = this.accountId(accountId);
    const created = this.newReceipt(receiver, this.dependencies(index));
    this.functionCallAction(created, methodName, args, amount, gas, 0n);
    return created;
  }

  /** Joint promise of several promises. */
  promiseAnd(indices: bigint[]): bigint {
    this.enter('promise_and');
    this.readMemory(indices.length * 8);
    this.chargeGas(EXT.promiseAndBase + EXT.promiseAndPerPromise * BigInt(indices.length));
    const members = indices.flatMap((i) => this.dependencies(i));
    this.promises.push({ kind: 'joint', members });
    return BigInt(this.promises.length - 1);
  }

  /** New empty receipt to `accountId`. */
  promiseBatchCreate(accountId: Uint8Array): bigint {
    this.enter('promise_batch_create');
    return this.newReceipt(this.accountId(accountId), []);
  }

  /** New empty receipt to `accountId`, run after promise `index`. */
  promiseBatchThen(index: bigint, accountId: Uint8Array): bigint {
    this.enter('promise_batch_then');
    const receiver = this.accountId(accountId);
    return this.newReceipt(receiver, this.dependencies(index));
  }

  /** Append CreateAccount. */
  promiseBatchActionCreateAccount(index: bigint): void {
    this.enter('promise_batch_action_create_account');
    this.addAction(index, { type: 'CreateAccount' }, FEES.createAccount);
  }

  /** Append DeployContract. */
  promiseBatchActionDeployContract(index: bigint, code: Uint8Array): void {
    this.enter('promise_batch_action_deploy_contract');
    this.readMemory(code.length);
    const action: Action = { type: 'DeployContract', code: Uint8Array.from(code) };
    this.addAction(index, action, FEES.deployContractBase, BigInt(code.length));
  }

  /** Append FunctionCall. */
  promiseBatchActionFunctionCall(
    index: bigint,
    methodName: Uint8Array,
    args: Uint8Array,
    amount: bigint,
    gas: bigint,
  ): void {
    this.enter('promise_batch_action_function_call');
    this.functionCallAction(index, methodName, args, amount, gas, 0n);
  }

  /** Append FunctionCall that also receives a share (by weight) of unused gas. */
  promiseBatchActionFunctionCallWeight(
    index: bigint,
    methodName: Uint8Array,
    args: Uint8Array,
    amount: bigint,
    gas: bigint,
    weight: bigint,
  ): void {
    this.enter('promise_batch_action_function_call_weight');
    this.functionCallAction(index, methodName, args, amount, gas, weight);
  }

  private functionCallAction(
    index: bigint,
    methodName: Uint8Array,
    args: Uint8Array,
    amount: bigint,
    gas: bigint,
    weight: bigint,
  ): void {
    const name = this.utf8(methodName);
    this.readMemory(args.length);
    const action: Action = {
      type: 'FunctionCall',
      methodName: name,
      args: Uint8Array.from(args),
      gas,
      deposit: this.amount(amount),
      gasWeight: weight,
    };
    this.addAction(index, action, FEES.functionCallBase, BigInt(methodName.length + args.length));
    this.prepayGas(gas);
  }

  /** Append Transfer. */
  promiseBatchActionTransfer(index: bigint, amount: bigint): void {
    this.enter('promise_batch_action_transfer');
    this.readMemory(16);
    this.addAction(index, { type: 'Transfer', deposit: this.amount(amount) }, FEES.transfer);
  }

  /** Append Stake. */
  promiseBatchActionStake(index: bigint, amount: bigint, publicKey: Uint8Array): void {
    this.enter('promise_batch_action_stake');
    this.readMemory(16);
    const key = this.publicKey(publicKey);
    this.addAction(
      index,
      { type: 'Stake', stake: this.amount(amount), publicKey: key },
      FEES.stake,
    );
  }

  /** Append AddKey (full access). */
  promiseBatchActionAddKeyWithFullAccess(
    index: bigint,
    publicKey: Uint8Array,
    nonce: bigint,
  ): void {
    this.enter('promise_batch_action_add_key_with_full_access');
    const accessKey: AccessKey = { nonce, permission: 'FullAccess' };
    const action: Action = { type: 'AddKey', publicKey: this.publicKey(publicKey), accessKey };
    this.addAction(index, action, FEES.addKeyFullAccess);
  }

  /** Append AddKey (function-call key). `methodNames` is comma-separated utf-8; allowance 0 = unlimited. */
  promiseBatchActionAddKeyWithFunctionCall(
    index: bigint,
    publicKey: Uint8Array,
    nonce: bigint,
    allowance: bigint,
    receiverId: Uint8Array,
    methodNames: Uint8Array,
  ): void {
    this.enter('promise_batch_action_add_key_with_function_call');
    const key = this.publicKey(publicKey);
    const receiver = this.accountId(receiverId);
    const names = this.utf8(methodNames);
    const methods = names.length ? names.split(',') : [];
    const accessKey: AccessKey = {
      nonce,
      permission: {
        FunctionCall: {
          allowance: allowance === 0n ? null : this.amount(allowance),
          receiverId: receiver,
          methodNames: methods,
        },
      },
    };
    const bytes = BigInt(methods.reduce((n, m) => n + m.length + 1, 0));
    this.addAction(
      index,
      { type: 'AddKey', publicKey: key, accessKey },
      FEES.addKeyFunctionCallBase,
      bytes,
    );
  }

  /** Append DeleteKey. */
  promiseBatchActionDeleteKey(index: bigint, publicKey: Uint8Array): void {
    this.enter('promise_batch_action_delete_key');
    const action: Action = { type: 'DeleteKey', publicKey: this.publicKey(publicKey) };
    this.addAction(index, action, FEES.deleteKey);
  }

  /** Append DeleteAccount. */
  promiseBatchActionDeleteAccount(index: bigint, beneficiaryId: Uint8Array): void {
    this.enter('promise_batch_action_delete_account');
    const action: Action = { type: 'DeleteAccount', beneficiaryId: this.accountId(beneficiaryId) };
    this.addAction(index, action, FEES.deleteAccount);
  }

  /** Number of results this callback receives. Prohibited in views. */
  promiseResultsCount(): bigint {
    this.enter('promise_results_count');
    return BigInt(this.context.promiseResults.length);
  }

  /** 1 Successful (value into register), 2 Failed. Prohibited in views. */
  promiseResult(resultIndex: bigint, registerId: bigint): bigint {
    this.enter('promise_result');
    const result: PromiseResult | undefined = this.context.promiseResults[Number(resultIndex)];
    if (resultIndex >= BigInt(this.context.promiseResults.length) || !result) {
      return this.fail({ type: 'InvalidPromiseResultIndex', resultIdx: resultIndex });
    }
    if (result.status === 'failed') return 2n;
    this.setRegister(registerId, result.value);
    return 1n;
  }

  /** Make the method's result the result of promise `index` (not a joint). */
  promiseReturn(index: bigint): void {
    this.enter('promise_return');
    this.chargeGas(EXT.promiseReturn);
    const promise = this.promises[Number(index)];
    if (index >= BigInt(this.promises.length) || !promise) {
      this.fail({ type: 'InvalidPromiseIndex', promiseIdx: index });
    }
    if (promise.kind === 'joint') this.fail({ type: 'CannotReturnJointPromise' });
    this.returnData = { kind: 'promise', index: Number(index) };
  }

  // ---------------------------------------------------------------- storage

  private lookup(key: string): Uint8Array | undefined {
    const pending = this.writes.get(key);
    if (pending !== undefined) return pending ?? undefined;
    return this.chain.storageGet(key);
  }

  private checkKey(key: Uint8Array): void {
    if (key.length > LIMITS.maxLengthStorageKey) {
      this.fail({
        type: 'KeyLengthExceeded',
        length: key.length,
        limit: LIMITS.maxLengthStorageKey,
      });
    }
  }

  /** Write a value; 1 if a value was replaced (old value into the register), else 0. */
  storageWrite(key: Uint8Array, value: Uint8Array, registerId: bigint): bigint {
    this.enter('storage_write');
    this.checkKey(key);
    if (value.length > LIMITS.maxLengthStorageValue) {
      this.fail({
        type: 'ValueLengthExceeded',
        length: value.length,
        limit: LIMITS.maxLengthStorageValue,
      });
    }
    this.readMemory(key.length);
    this.readMemory(value.length);
    const k = storageKey(key);
    const old = this.lookup(k);
    this.chargeGas(
      EXT.storageWriteBase +
        EXT.storageWriteKeyByte * BigInt(key.length) +
        EXT.storageWriteValueByte * BigInt(value.length) +
        EXT.touchingTrieNode * TRIE_NODES_PER_OP +
        (old ? EXT.storageWriteEvictedByte * BigInt(old.length) : 0n),
    );
    this.writes.set(k, Uint8Array.from(value));
    if (old) {
      this.storageUsageBytes += BigInt(value.length - old.length);
      this.setRegister(registerId, old);
      return 1n;
    }
    this.storageUsageBytes += BigInt(key.length + value.length) + STORAGE_EXTRA_BYTES_PER_RECORD;
    return 0n;
  }

  /** Read a value into the register; 1 if present, else 0. */
  storageRead(key: Uint8Array, registerId: bigint): bigint {
    this.enter();
    this.checkKey(key);
    this.readMemory(key.length);
    const value = this.lookup(storageKey(key));
    this.chargeGas(
      EXT.storageReadBase +
        EXT.storageReadKeyByte * BigInt(key.length) +
        EXT.touchingTrieNode * TRIE_NODES_PER_OP +
        (value ? EXT.storageReadValueByte * BigInt(value.length) : 0n),
    );
    if (!value) return 0n;
    this.setRegister(registerId, value);
    return 1n;
  }

  /** Remove a key; 1 if it existed (old value into the register), else 0. */
  storageRemove(key: Uint8Array, registerId: bigint): bigint {
    this.enter('storage_remove');
    this.checkKey(key);
    this.readMemory(key.length);
    const k = storageKey(key);
    const old = this.lookup(k);
    this.chargeGas(
      EXT.storageRemoveBase +
        EXT.storageRemoveKeyByte * BigInt(key.length) +
        EXT.touchingTrieNode * TRIE_NODES_PER_OP +
        (old ? EXT.storageRemoveRetValueByte * BigInt(old.length) : 0n),
    );
    if (!old) return 0n;
    this.writes.set(k, null);
    this.storageUsageBytes -= BigInt(key.length + old.length) + STORAGE_EXTRA_BYTES_PER_RECORD;
    this.setRegister(registerId, old);
    return 1n;
  }

  /** 1 if the key exists, else 0. */
  storageHasKey(key: Uint8Array): bigint {
    this.enter();
    this.checkKey(key);
    this.readMemory(key.length);
    this.chargeGas(
      EXT.storageHasKeyBase +
        EXT.storageHasKeyByte * BigInt(key.length) +
        EXT.touchingTrieNode * TRIE_NODES_PER_OP,
    );
    return this.lookup(storageKey(key)) ? 1n : 0n;
  }
}
