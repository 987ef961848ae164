/**
 * host-test: localnet's own test contract. Each method exercises one group of NEAR host
 * functions the way near-sdk-js uses them, so localnet/test can check both engines (`.js` in a
 * node:vm realm, `.wasm` through the raw host ABI) against nearcore's semantics.
 *
 * No init is required (state is created on first call); `init` exists to test @initialize.
 * Arguments are JSON objects; u128 amounts and u64 gas travel as decimal strings; byte results
 * are lowercase hex. Methods (C: @call, CP: payable @call, PR: private @call, V: @view, I: init):
 *
 * State and storage
 *   I  init({ owner? })                      -> void; panics "Contract already initialized" if state exists
 *   C  increment({ by? })                    -> number, the counter after adding `by` (default 1); logs `count=<n>`
 *   V  get_count()                           -> number
 *   C  set_value({ key, value })             -> boolean, true if the key existed (raw storage_write under "kv:<key>")
 *   V  get_value({ key })                    -> string | null (storage_read)
 *   V  has_value({ key })                    -> boolean (storage_has_key)
 *   C  remove_value({ key })                 -> boolean, true if it existed (storage_remove)
 *   C  map_set({ key, value })               -> string | null, the previous value (UnorderedMap "m")
 *   V  map_get({ key })                      -> string | null
 *   C  map_remove({ key })                   -> string | null, the removed value
 *   V  map_len()                             -> number
 *   C  lookup_set({ key, value })            -> string | null, the previous value (LookupMap "l")
 *   V  lookup_get({ key })                   -> string | null
 *   V  lookup_has({ key })                   -> boolean
 *   C  store_bytes({ key, size })            -> string, storage_usage after writing `size` bytes under "kv:<key>"
 *   V  storage_used()                        -> string, storage_usage
 *
 * Logs, panics, deposits, gas
 *   C  write_logs({ messages })              -> number of logs written (one log per message)
 *   C  log_many({ count })                   -> number; more than 100 logs is a host error (the call fails)
 *   C  write_then_fail({ key, value, message, mode? }) -> never; writes "kv:<key>", bumps the counter,
 *                                                logs "about to fail", then fails: mode "throw" (default,
 *                                                a JS Error) or "panic_utf8" (near.panicUtf8)
 *   CP deposit_note()                        -> string, the attached deposit; adds it to `deposited`
 *   V  get_deposited()                       -> string, the sum of deposits seen by deposit_note
 *   C  burn_gas({ iterations })              -> number, a checksum of a loop of `iterations` steps
 *   V  hashes({ data })                      -> { sha256, keccak256, keccak512, ripemd160 } of utf-8 `data`, hex
 *
 * Context
 *   V  context_view({ validator_id? })       -> ContextView (strings): current_account_id, block_height,
 *                                                block_timestamp, epoch_height, account_balance,
 *                                                account_locked_balance, storage_usage, validator_total_stake,
 *                                                validator_stake (of validator_id, "0" when absent), random_seed
 *   CP context_call({ validator_id? })       -> ContextView plus predecessor_account_id, signer_account_id,
 *                                                signer_account_pk (hex), attached_deposit, prepaid_gas, used_gas
 *   V  view_predecessor()                    -> host error in a view (predecessor_account_id is prohibited)
 *   V  view_write()                          -> host error in a view (storage_write is prohibited)
 *
 * Promises (gas strings default to 30 Tgas per receipt)
 *   V  echo({ value })                       -> value (a callee that succeeds; also logs `echo`)
 *   C  fail_with({ message })                -> never (a callee that fails)
 *   C  call_other({ account_id, method, args?, deposit?, gas? })
 *                                           -> CallbackReport: function call then callback `on_results`
 *   C  call_pair({ a: Target, b: Target })   -> CallbackReport: a.and(b).then(on_results), two results
 *   C  forward_call({ account_id, method, args?, deposit?, gas? })
 *                                           -> the callee's value, forwarded by promise_return (no callback)
 *   C  return_joint({ a: Target, b: Target }) -> host error: returning a.and(b) is CannotReturnJointPromise
 *   C  transfer_to({ receiver_id, amount, report? }) -> void, or CallbackReport when `report` is true;
 *                                                a missing receiver makes the transfer fail (refund)
 *   C  do_stake({ amount, public_key })      -> void; a `stake` action on this account (public_key "ed25519:...")
 *
 * Engine parity (NEAR's QuickJS fork is the reference)
 *   V  register_len_of({ id })               -> string, env.register_len(BigInt(id)) (u64::MAX for an empty
 *                                                register), or "error: <message>" when the host rejects the id
 *   V  latin1_bytes({ text })                -> string, hex of env.latin1_string_to_uint8array(text)
 *   V  has_own({ key })                      -> [typeof Object.hasOwn, Object.hasOwn({ a: 1 }, key)]
 *   V  echo_length({ text })                 -> number, text.length (for large arguments)
 *   PR on_results({ label? })                -> CallbackReport { label, count, results: [{ status, value }] },
 *                                                status "successful" | "failed" | "not_ready"; value is
 *                                                the utf-8 result (successful) or null
 */
import {
  call,
  decode,
  encode,
  initialize,
  LookupMap,
  NearBindgen,
  NearPromise,
  near,
  PublicKey,
  UnorderedMap,
  view,
} from 'near-sdk-js';

/** The raw host object near-sdk-js calls (provided by the runtime as a global). */
declare const env: {
  register_len(registerId: number | bigint): bigint;
  latin1_string_to_uint8array(text: string): Uint8Array;
  promise_result(resultIdx: number | bigint, registerId: number | bigint): bigint;
  read_register(registerId: number | bigint): Uint8Array | undefined;
  promise_results_count(): bigint;
};

const TGAS = 1_000_000_000_000n;
const DEFAULT_GAS = 30n * TGAS;
const KV_PREFIX = 'kv:';

/** One side of a joint promise. */
interface Target {
  account_id: string;
  method: string;
  args?: unknown;
  deposit?: string;
  gas?: string;
}

interface CallbackReport {
  label: string;
  count: number;
  results: { status: 'successful' | 'failed' | 'not_ready'; value: string | null }[];
}

interface ContextView {
  current_account_id: string;
  block_height: string;
  block_timestamp: string;
  epoch_height: string;
  account_balance: string;
  account_locked_balance: string;
  storage_usage: string;
  validator_total_stake: string;
  validator_stake: string;
  random_seed: string;
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return out;
}

function gasOf(gas: string | undefined): bigint {
  return gas === undefined ? DEFAULT_GAS : BigInt(gas);
}

function functionCall(t: Target): NearPromise {
  return NearPromise.new(t.account_id).functionCall(
    t.method,
    JSON.stringify(t.args ?? {}),
    BigInt(t.deposit ?? '0'),
    gasOf(t.gas),
  );
}

function callback(label: string): NearPromise {
  return NearPromise.new(near.currentAccountId()).functionCall(
    'on_results',
    JSON.stringify({ label }),
    0n,
    DEFAULT_GAS,
  );
}

function contextView(validatorId: string | undefined): ContextView {
  return {
    current_account_id: near.currentAccountId(),
    block_height: near.blockHeight().toString(),
    block_timestamp: near.blockTimestamp().toString(),
    epoch_height: near.epochHeight().toString(),
    account_balance: near.accountBalance().toString(),
    account_locked_balance: near.accountLockedBalance().toString(),
    storage_usage: near.storageUsage().toString(),
    validator_total_stake: near.validatorTotalStake().toString(),
    validator_stake: validatorId === undefined ? '0' : near.validatorStake(validatorId).toString(),
    random_seed: toHex(near.randomSeed()),
  };
}

@NearBindgen({})
export class HostTest {
  count = 0;
  owner = '';
  deposited = '0';
  items: UnorderedMap<string> = new UnorderedMap<string>('m');
  lookup: LookupMap<string> = new LookupMap<string>('l');

  static schema = {
    count: 'number',
    owner: 'string',
    deposited: 'string',
    items: { class: UnorderedMap, value: 'string' },
    lookup: { class: LookupMap, value: 'string' },
  };

  @initialize({})
  init({ owner }: { owner?: string }): void {
    this.owner = owner ?? near.predecessorAccountId();
  }

  // ---- state and storage ----

  @call({})
  increment({ by }: { by?: number }): number {
    this.count += by ?? 1;
    near.log(`count=${this.count}`);
    return this.count;
  }

  @view({})
  get_count(): number {
    return this.count;
  }

  @call({})
  set_value({ key, value }: { key: string; value: string }): boolean {
    return near.storageWrite(KV_PREFIX + key, value);
  }

  @view({})
  get_value({ key }: { key: string }): string | null {
    return near.storageRead(KV_PREFIX + key);
  }

  @view({})
  has_value({ key }: { key: string }): boolean {
    return near.storageHasKey(KV_PREFIX + key);
  }

  @call({})
  remove_value({ key }: { key: string }): boolean {
    return near.storageRemove(KV_PREFIX + key);
  }

  @call({})
  map_set({ key, value }: { key: string; value: string }): string | null {
    return this.items.set(key, value);
  }

  @view({})
  map_get({ key }: { key: string }): string | null {
    return this.items.get(key);
  }

  @call({})
  map_remove({ key }: { key: string }): string | null {
    return this.items.remove(key);
  }

  @view({})
  map_len(): number {
    return this.items.length;
  }

  @call({})
  lookup_set({ key, value }: { key: string; value: string }): string | null {
    return this.lookup.set(key, value);
  }

  @view({})
  lookup_get({ key }: { key: string }): string | null {
    return this.lookup.get(key);
  }

  @view({})
  lookup_has({ key }: { key: string }): boolean {
    return this.lookup.containsKey(key);
  }

  @call({})
  store_bytes({ key, size }: { key: string; size: number }): string {
    near.storageWrite(KV_PREFIX + key, 'x'.repeat(size));
    return near.storageUsage().toString();
  }

  @view({})
  storage_used(): string {
    return near.storageUsage().toString();
  }

  // ---- logs, panics, deposits, gas ----

  @call({})
  write_logs({ messages }: { messages: string[] }): number {
    for (const m of messages) near.log(m);
    return messages.length;
  }

  @call({})
  log_many({ count }: { count: number }): number {
    for (let i = 0; i < count; i++) near.log(`log ${i}`);
    return count;
  }

  @call({})
  write_then_fail({
    key,
    value,
    message,
    mode,
  }: {
    key: string;
    value: string;
    message: string;
    mode?: 'throw' | 'panic_utf8';
  }): void {
    near.storageWrite(KV_PREFIX + key, value);
    this.count += 1;
    near.log('about to fail');
    if (mode === 'panic_utf8') near.panicUtf8(encode(message));
    throw new Error(message);
  }

  @call({ payableFunction: true })
  deposit_note(): string {
    const amount = near.attachedDeposit();
    this.deposited = (BigInt(this.deposited) + amount).toString();
    return amount.toString();
  }

  @view({})
  get_deposited(): string {
    return this.deposited;
  }

  @call({})
  burn_gas({ iterations }: { iterations: number }): number {
    let x = 7;
    for (let i = 0; i < iterations; i++) x = (x * 31 + i) % 1000003;
    return x;
  }

  @view({})
  hashes({ data }: { data: string }): {
    sha256: string;
    keccak256: string;
    keccak512: string;
    ripemd160: string;
  } {
    const bytes = encode(data);
    return {
      sha256: toHex(near.sha256(bytes)),
      keccak256: toHex(near.keccak256(bytes)),
      keccak512: toHex(near.keccak512(bytes)),
      ripemd160: toHex(near.ripemd160(bytes)),
    };
  }

  // ---- context ----

  @view({})
  context_view({ validator_id }: { validator_id?: string }): ContextView {
    return contextView(validator_id);
  }

  @call({ payableFunction: true })
  context_call({ validator_id }: { validator_id?: string }): ContextView & {
    predecessor_account_id: string;
    signer_account_id: string;
    signer_account_pk: string;
    attached_deposit: string;
    prepaid_gas: string;
    used_gas: string;
  } {
    return {
      ...contextView(validator_id),
      predecessor_account_id: near.predecessorAccountId(),
      signer_account_id: near.signerAccountId(),
      signer_account_pk: toHex(near.signerAccountPk()),
      attached_deposit: near.attachedDeposit().toString(),
      prepaid_gas: near.prepaidGas().toString(),
      used_gas: near.usedGas().toString(),
    };
  }

  @view({})
  view_predecessor(): string {
    return near.predecessorAccountId();
  }

  @view({})
  view_write(): boolean {
    return near.storageWrite(`${KV_PREFIX}view`, 'not allowed');
  }

  // ---- promises ----

  @view({})
  echo({ value }: { value: unknown }): unknown {
    near.log('echo');
    return value;
  }

  @call({})
  fail_with({ message }: { message: string }): void {
    throw new Error(message);
  }

  @call({})
  call_other(target: Target): NearPromise {
    return functionCall(target).then(callback('call_other'));
  }

  @call({})
  call_pair({ a, b }: { a: Target; b: Target }): NearPromise {
    return functionCall(a).and(functionCall(b)).then(callback('call_pair'));
  }

  @call({})
  forward_call(target: Target): NearPromise {
    return functionCall(target);
  }

  @call({})
  return_joint({ a, b }: { a: Target; b: Target }): NearPromise {
    return functionCall(a).and(functionCall(b));
  }

  @call({})
  transfer_to({
    receiver_id,
    amount,
    report,
  }: {
    receiver_id: string;
    amount: string;
    report?: boolean;
  }): NearPromise | undefined {
    const transfer = NearPromise.new(receiver_id).transfer(BigInt(amount));
    if (report) return transfer.then(callback('transfer_to'));
    transfer.build();
    return undefined;
  }

  @call({})
  do_stake({ amount, public_key }: { amount: string; public_key: string }): void {
    NearPromise.new(near.currentAccountId())
      .stake(BigInt(amount), PublicKey.fromString(public_key))
      .build();
  }

  @view({})
  register_len_of({ id }: { id: string }): string {
    try {
      return env.register_len(BigInt(id)).toString();
    } catch (err) {
      return `error: ${(err as Error).message}`;
    }
  }

  @view({})
  latin1_bytes({ text }: { text: string }): string {
    return toHex(env.latin1_string_to_uint8array(text));
  }

  @view({})
  has_own({ key }: { key: string }): [string, boolean] {
    const hasOwn = (Object as unknown as { hasOwn: (o: object, k: string) => boolean }).hasOwn;
    return [typeof hasOwn, hasOwn({ a: 1 }, key)];
  }

  @view({})
  echo_length({ text }: { text: string }): number {
    return text.length;
  }

  @call({ privateFunction: true })
  on_results({ label }: { label?: string }): CallbackReport {
    const count = Number(env.promise_results_count());
    const results: CallbackReport['results'] = [];
    for (let i = 0; i < count; i++) {
      const status = Number(env.promise_result(i, 0));
      if (status === 1) {
        const bytes = env.read_register(0);
        results.push({ status: 'successful', value: bytes ? decode(bytes) : '' });
      } else {
        results.push({ status: status === 2 ? 'failed' : 'not_ready', value: null });
      }
    }
    return { label: label ?? '', count, results };
  }
}
