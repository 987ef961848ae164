// The VM engine: runs a near-sdk-js rollup bundle (an ES module ending in `export { ... }`) in a
// fresh node:vm realm per call, with the `env` object near-sdk-js's builder.c gives QuickJS,
// adapted onto the core HostContext.
import * as vm from 'node:vm';
import type { HostContext } from '../host/context';
import { HostError } from '../host/errors';
import { VM_GAS_PER_HOST_CALL, VM_GAS_PER_OP } from '../host/gas';
import type { ContractCode, ContractEngine } from '../host/index';
import { instrumentSourceCached, METER } from './meter';

interface CompiledBundle {
  /** Evaluates to a factory: each call instantiates the module afresh and returns its exports. */
  factory: vm.Script;
  methods: Set<string>;
}

/** A realm kept for one code hash, with the module factory evaluated in it. */
interface PooledRealm {
  context: vm.Context;
  factory: unknown;
  intrinsics: RealmIntrinsics;
  measure: () => string;
  fingerprint: string;
}

const FACTORY_GLOBAL = '__snear_factory';
const METHOD_GLOBAL = '__snear_method';
const EXPORT_LIST_RE = /export\s*\{([^}]*)\}\s*;?\s*(\/\/#\s*sourceMappingURL=\S*\s*)?$/;

/**
 * Realm prelude: what QuickJS on chain has and has not. No Intl, no WebAssembly; Date has no
 * clock (WASI clock stubs return 0) and Math.random is a fixed-seed generator, reset per call.
 */
const PRELUDE = new vm.Script(
  `(() => {
  const RealDate = Date;
  function LocalnetDate(...args) {
    if (!new.target) return new RealDate(0).toString();
    return args.length ? new RealDate(...args) : new RealDate(0);
  }
  LocalnetDate.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: LocalnetDate });
  LocalnetDate.now = () => 0;
  LocalnetDate.UTC = RealDate.UTC;
  LocalnetDate.parse = RealDate.parse;
  globalThis.Date = LocalnetDate;
  let seed = 0;
  Math.random = () => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  Object.defineProperty(globalThis, '__snear_reset', {
    value: () => { seed = 0x2545f491; },
    enumerable: false,
  });
  delete globalThis.Intl;
  delete globalThis.WebAssembly;
  delete globalThis.SharedArrayBuffer;
  delete globalThis.Atomics;
})();`,
  { filename: 'localnet-prelude.js' },
);
const CALL = new vm.Script(`__snear_reset(); ${FACTORY_GLOBAL}(${METER})[${METHOD_GLOBAL}]();`, {
  filename: 'localnet-call.js',
});
/** A function counting own keys of the global object and common prototypes, to detect leaks. */
const FINGERPRINT = new vm.Script(
  `(() => {
    const watched = [globalThis, Object.prototype, Array.prototype, Function.prototype,
      String.prototype, Map.prototype, Uint8Array.prototype, JSON, Math];
    const ownKeys = Reflect.ownKeys;
    return () => {
      let fingerprint = '';
      for (let i = 0; i < watched.length; i++) fingerprint += ownKeys(watched[i]).length + ',';
      return fingerprint;
    };
  })()`,
  { filename: 'localnet-fingerprint.js' },
);
/** Globals the engine itself sets per call (not leaks). */
const ENGINE_GLOBALS = ['env', METHOD_GLOBAL, METER];

/** Turn the ES module text into a function body that returns the module's exports. */
export function bundleToScript(source: string): { text: string; methods: string[] } {
  const match = EXPORT_LIST_RE.exec(source.trimEnd());
  if (!match) {
    throw new Error(
      'E_BUNDLE_FORMAT: a near-sdk-js bundle must end with `export { method1, ... }` (rollup ES output)',
    );
  }
  const entries = match[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const [local, exported] = spec.split(/\s+as\s+/);
      return { local: local.trim(), exported: (exported ?? local).trim() };
    });
  const body = source.trimEnd().slice(0, match.index);
  if (/^\s*import\s/m.test(body)) {
    throw new Error('E_BUNDLE_FORMAT: the bundle imports modules; bundle it self-contained');
  }
  const assign = entries.map((e) => `${JSON.stringify(e.exported)}: ${e.local}`).join(', ');
  return {
    text: `(function (${METER}) {\n"use strict";\n${body}\nreturn { ${assign} };\n})`,
    methods: entries.map((e) => e.exported),
  };
}

/** Options of the VM engine. */
export interface VmEngineOptions {
  /** Wall-clock cap per call in ms (ops are metered, so loops run out of gas anyway). 0 = none. */
  timeoutMs?: number;
  /**
   * 'module-per-call' (default): one realm per code hash, the module instantiated afresh on every
   * call (module-level state never survives); a call that adds globals or builtin properties
   * gets its realm discarded. 'realm-per-call': a brand-new realm each call (slower, strictest).
   */
  isolation?: 'module-per-call' | 'realm-per-call';
}

/** Compiled bundles by code hash, shared by every engine instance (code is immutable). */
const compiledByHash = new Map<string, CompiledBundle>();

/** The near-sdk-js JS engine (node:vm). Compiled bundles are cached per code hash. */
export class VmEngine implements ContractEngine {
  private readonly timeoutMs: number;
  private readonly isolation: 'module-per-call' | 'realm-per-call';
  private readonly realms = new Map<string, PooledRealm>();
  /** Realms discarded because a call leaked globals (diagnostics). */
  discardedRealms = 0;

  constructor(options: VmEngineOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 0;
    this.isolation = options.isolation ?? 'module-per-call';
  }

  /** Compile (once per code hash) and list the bundle's methods. */
  compile(code: ContractCode): CompiledBundle {
    let compiled = compiledByHash.get(code.hash);
    if (!compiled) {
      const { text, methods } = bundleToScript(Buffer.from(code.bytes).toString('utf8'));
      compiled = {
        factory: new vm.Script(instrumentSourceCached(text), { filename: 'contract.js' }),
        methods: new Set(methods),
      };
      compiledByHash.set(code.hash, compiled);
    }
    return compiled;
  }

  private newRealm(compiled: CompiledBundle): PooledRealm {
    const context = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
    PRELUDE.runInContext(context);
    const intrinsics = vm.runInContext('({ Uint8Array, TypeError })', context) as RealmIntrinsics;
    const factory = compiled.factory.runInContext(context);
    const global = context as Record<string, unknown>;
    for (const name of ENGINE_GLOBALS) global[name] = undefined;
    Object.defineProperty(global, FACTORY_GLOBAL, { value: factory, enumerable: false });
    const measure = FINGERPRINT.runInContext(context) as () => string;
    return { context, factory, intrinsics, measure, fingerprint: measure() };
  }

  /** Run one exported method on a fresh module instance; all effects go through `host`. */
  run(code: ContractCode, method: string, host: HostContext): void {
    let compiled: CompiledBundle;
    try {
      compiled = this.compile(code);
    } catch (err) {
      host.fail({ type: 'WasmTrap', trap: `CompilationError: ${(err as Error).message}` });
    }
    if (!compiled.methods.has(method)) host.fail({ type: 'MethodNotFound' });

    const pooled = this.isolation === 'module-per-call';
    let realm = pooled ? this.realms.get(code.hash) : undefined;
    if (!realm) {
      realm = this.newRealm(compiled);
      if (pooled) this.realms.set(code.hash, realm);
    }
    const global = realm.context as Record<string, unknown>;
    const options = this.timeoutMs > 0 ? { timeout: this.timeoutMs } : {};
    const meter = new OpMeter(host);
    try {
      global.env = makeEnv(host, realm.intrinsics, meter);
      global[METHOD_GLOBAL] = method;
      global[METER] = meter;
      CALL.runInContext(realm.context, options);
      meter.flush();
    } catch (err) {
      this.afterCall(code.hash, realm);
      if (!host.fatalError) {
        try {
          meter.flush();
        } catch {
          // the fatal error is recorded on the host
        }
      }
      if (host.fatalError) throw host.fatalError;
      if (err instanceof HostError) throw err;
      if ((err as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        host.chargeGas(host.context.prepaidGas + 1n);
      }
      // As builder.c: an uncaught exception panics with `message + "\n" + stack`.
      const e = err as { message?: unknown; stack?: unknown } | null | undefined;
      const message = String(e?.message);
      host.panicUtf8(Buffer.from(`${message}\n${quickJsStack(e?.stack)}`));
    }
    this.afterCall(code.hash, realm);
    if (host.fatalError) throw host.fatalError;
  }

  /** Detach the host and drop the realm if the call left anything behind in it. */
  private afterCall(hash: string, realm: PooledRealm): void {
    const global = realm.context as Record<string, unknown>;
    global.env = undefined;
    global[METER] = undefined;
    if (this.realms.get(hash) !== realm) return;
    if (realm.measure() !== realm.fingerprint) {
      this.realms.delete(hash);
      this.discardedRealms++;
    }
  }
}

/** Node's stack without its "Error: message" header, like QuickJS's `stack` property. */
function quickJsStack(stack: unknown): string {
  if (typeof stack !== 'string') return String(stack);
  const frames = stack.split('\n').filter((line) => line.includes('(contract.js:'));
  return frames.length ? `${frames.join('\n')}\n` : '';
}

interface RealmIntrinsics {
  Uint8Array: Uint8ArrayConstructor;
  TypeError: TypeErrorConstructor;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Counts the ops of instrumented code (`++n`, compared with `limit` inline) and turns them into
 * gas at every host call and at the end of the call. `limit` is where the remaining gas runs out.
 */
export class OpMeter {
  n = 0;
  limit = 0;
  private flushed = 0;

  constructor(private readonly host: HostContext) {
    this.rebudget();
  }

  /** Charge the ops counted since the last flush; throws the host's GasExceeded when over. */
  flush(): void {
    const ops = this.n - this.flushed;
    this.flushed = this.n;
    if (ops > 0) this.host.chargeGas(BigInt(ops) * VM_GAS_PER_OP);
    this.rebudget();
  }

  /** Called by instrumented code when `n` passes `limit`. */
  exceeded = (): void => {
    this.flush();
  };

  private rebudget(): void {
    const { prepaidGas, maxGasBurnt } = this.host.context;
    const byPrepaid = prepaidGas - this.host.usedGas;
    const byBurnt = maxGasBurnt - this.host.burntGas;
    // biome-ignore lint/complexity/useMathMinMax: bigint operands
    const left = byPrepaid < byBurnt ? byPrepaid : byBurnt;
    this.limit = this.n + Number(left / VM_GAS_PER_OP) + 1;
  }
}

/** Build the QuickJS-level `env` object of near-sdk-js 2.0.0 over a HostContext. */
export function makeEnv(
  host: HostContext,
  realm: RealmIntrinsics,
  meter?: OpMeter,
): Record<string, Fn> {
  const typeError = (msg: string): never => {
    throw new realm.TypeError(msg);
  };
  const u64 = (v: unknown, what: string): bigint => {
    if (typeof v === 'bigint') {
      return v >= 0n && v < 1n << 64n ? v : typeError(`Expect Uint64 for ${what}`);
    }
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) return typeError(`Expect Uint64 for ${what}`);
    return BigInt(Math.trunc(n));
  };
  const u128 = (v: unknown, what: string): bigint => {
    if (typeof v === 'bigint') {
      return v >= 0n && v < 1n << 128n ? v : typeError(`Expect Uint128 for ${what}`);
    }
    return u64(v, what);
  };
  const bytes = (v: unknown, what: string): Uint8Array => {
    if (ArrayBuffer.isView(v) && (v as Uint8Array).BYTES_PER_ELEMENT === 1) {
      const view = v as Uint8Array;
      return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    }
    return typeError(`Expect Uint8Array for ${what}`);
  };
  const cstr = (v: unknown): Uint8Array => Buffer.from(String(v), 'utf8');
  // NEAR's QuickJS fork (JS_ToCStringLenRaw): a string's 8-bit code units as bytes, and no bytes
  // at all (no error) when any character is above U+00FF.
  const latin1 = (v: unknown): Uint8Array => {
    const s = String(v);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) return new Uint8Array(0);
      out[i] = c;
    }
    return out;
  };
  const toRealm = (data: Uint8Array): Uint8Array => new realm.Uint8Array(data);
  // Every env.* call that reaches the host costs the QuickJS marshalling surcharge.
  const call = <T>(f: () => T): T => {
    meter?.flush();
    host.chargeGas(VM_GAS_PER_HOST_CALL);
    return f();
  };

  return {
    read_register: (id) =>
      call(() => {
        const reg = u64(id, 'register_id');
        return host.registerLen(reg) === (1n << 64n) - 1n
          ? undefined
          : toRealm(host.readRegister(reg));
      }),
    register_len: (id) => call(() => host.registerLen(u64(id, 'register_id'))),
    write_register: (id, data) =>
      call(() => host.writeRegister(u64(id, 'register_id'), bytes(data, 'data'))),
    current_account_id: (r) => call(() => host.currentAccountId(u64(r, 'register_id'))),
    signer_account_id: (r) => call(() => host.signerAccountId(u64(r, 'register_id'))),
    signer_account_pk: (r) => call(() => host.signerAccountPk(u64(r, 'register_id'))),
    predecessor_account_id: (r) => call(() => host.predecessorAccountId(u64(r, 'register_id'))),
    input: (r) => call(() => host.input(u64(r, 'register_id'))),
    block_index: () => call(() => host.blockIndex()),
    block_timestamp: () => call(() => host.blockTimestamp()),
    epoch_height: () => call(() => host.epochHeight()),
    storage_usage: () => call(() => host.storageUsage()),
    account_balance: () => call(() => host.accountBalance()),
    account_locked_balance: () => call(() => host.accountLockedBalance()),
    attached_deposit: () => call(() => host.attachedDeposit()),
    prepaid_gas: () => call(() => host.prepaidGas()),
    used_gas: () => call(() => host.usedGasNow()),
    random_seed: (r) => call(() => host.randomSeed(u64(r, 'register_id'))),
    sha256: (d, r) => call(() => host.sha256(bytes(d, 'data'), u64(r, 'register_id'))),
    keccak256: (d, r) => call(() => host.keccak256(bytes(d, 'data'), u64(r, 'register_id'))),
    keccak512: (d, r) => call(() => host.keccak512(bytes(d, 'data'), u64(r, 'register_id'))),
    ripemd160: (d, r) => call(() => host.ripemd160(bytes(d, 'data'), u64(r, 'register_id'))),
    ecrecover: (hash, sig, flag, v, r) =>
      call(() =>
        host.ecrecover(
          bytes(hash, 'hash'),
          bytes(sig, 'sig'),
          u64(v, 'v'),
          u64(flag, 'malleability_flag'),
          u64(r, 'register_id'),
        ),
      ),
    value_return: (v) => call(() => host.valueReturn(bytes(v, 'value'))),
    panic: (...args) =>
      call(() => (args.length >= 1 ? host.panicUtf8(cstr(args[0])) : host.panic())),
    panic_utf8: (m) => call(() => host.panicUtf8(bytes(m, 'message'))),
    log: (m) => call(() => host.logUtf8(cstr(m))),
    log_utf8: (m) => call(() => host.logUtf8(bytes(m, 'message'))),
    log_utf16: (m) => call(() => host.logUtf16(bytes(m, 'message'))),
    promise_create: (account, method, args, amount, gas) =>
      call(() =>
        host.promiseCreate(
          cstr(account),
          cstr(method),
          bytes(args, 'arguments'),
          u128(amount, 'amount'),
          u64(gas, 'gas'),
        ),
      ),
    promise_then: (index, account, method, args, amount, gas) =>
      call(() =>
        host.promiseThen(
          u64(index, 'promise_index'),
          cstr(account),
          cstr(method),
          bytes(args, 'arguments'),
          u128(amount, 'amount'),
          u64(gas, 'gas'),
        ),
      ),
    promise_and: (...indices) =>
      call(() => host.promiseAnd(indices.map((i) => u64(i, 'promise_id')))),
    promise_batch_create: (account) => call(() => host.promiseBatchCreate(cstr(account))),
    promise_batch_then: (index, account) =>
      call(() => host.promiseBatchThen(u64(index, 'promise_index'), cstr(account))),
    promise_batch_action_create_account: (index) =>
      call(() => host.promiseBatchActionCreateAccount(u64(index, 'promise_index'))),
    promise_batch_action_deploy_contract: (index, code) =>
      call(() =>
        host.promiseBatchActionDeployContract(u64(index, 'promise_index'), bytes(code, 'code')),
      ),
    promise_batch_action_function_call: (index, method, args, amount, gas) =>
      call(() =>
        host.promiseBatchActionFunctionCall(
          u64(index, 'promise_index'),
          cstr(method),
          bytes(args, 'arguments'),
          u128(amount, 'amount'),
          u64(gas, 'gas'),
        ),
      ),
    // builder.c reads the arguments with JS_ToCStringLenRaw (a string), as near-sdk-js 2.0.0 does.
    promise_batch_action_function_call_weight: (index, method, args, amount, gas, weight) =>
      call(() =>
        host.promiseBatchActionFunctionCallWeight(
          u64(index, 'promise_index'),
          cstr(method),
          latin1(args),
          u128(amount, 'amount'),
          u64(gas, 'gas'),
          u64(weight, 'weight'),
        ),
      ),
    promise_batch_action_transfer: (index, amount) =>
      call(() =>
        host.promiseBatchActionTransfer(u64(index, 'promise_index'), u128(amount, 'amount')),
      ),
    promise_batch_action_stake: (index, amount, key) =>
      call(() =>
        host.promiseBatchActionStake(
          u64(index, 'promise_index'),
          u128(amount, 'amount'),
          bytes(key, 'public key'),
        ),
      ),
    promise_batch_action_add_key_with_full_access: (index, key, nonce) =>
      call(() =>
        host.promiseBatchActionAddKeyWithFullAccess(
          u64(index, 'promise_index'),
          bytes(key, 'public key'),
          u64(nonce, 'nonce'),
        ),
      ),
    promise_batch_action_add_key_with_function_call: (index, key, nonce, allowance, recv, names) =>
      call(() =>
        host.promiseBatchActionAddKeyWithFunctionCall(
          u64(index, 'promise_index'),
          bytes(key, 'public key'),
          u64(nonce, 'nonce'),
          u128(allowance, 'allowance'),
          cstr(recv),
          cstr(names),
        ),
      ),
    promise_batch_action_delete_key: (index, key) =>
      call(() =>
        host.promiseBatchActionDeleteKey(u64(index, 'promise_index'), bytes(key, 'public key')),
      ),
    promise_batch_action_delete_account: (index, beneficiary) =>
      call(() =>
        host.promiseBatchActionDeleteAccount(u64(index, 'promise_index'), cstr(beneficiary)),
      ),
    promise_results_count: () => call(() => host.promiseResultsCount()),
    promise_result: (index, r) =>
      call(() => host.promiseResult(u64(index, 'result_idx'), u64(r, 'register_id'))),
    promise_return: (index) => call(() => host.promiseReturn(u64(index, 'promise_idx'))),
    storage_write: (k, v, r) =>
      call(() => host.storageWrite(bytes(k, 'key'), bytes(v, 'value'), u64(r, 'register_id'))),
    storage_read: (k, r) => call(() => host.storageRead(bytes(k, 'key'), u64(r, 'register_id'))),
    storage_remove: (k, r) =>
      call(() => host.storageRemove(bytes(k, 'key'), u64(r, 'register_id'))),
    storage_has_key: (k) => call(() => host.storageHasKey(bytes(k, 'key'))),
    validator_stake: (account) => call(() => host.validatorStake(cstr(account))),
    validator_total_stake: () => call(() => host.validatorTotalStake()),
    alt_bn128_g1_multiexp: (d, r) =>
      call(() => host.altBn128G1Multiexp(bytes(d, 'data'), u64(r, 'register_id'))),
    alt_bn128_g1_sum: (d, r) =>
      call(() => host.altBn128G1Sum(bytes(d, 'data'), u64(r, 'register_id'))),
    alt_bn128_pairing_check: (d) => call(() => host.altBn128PairingCheck(bytes(d, 'data'))),
    // Helpers (QuickJS-side conversions, not host calls).
    utf8_string_to_uint8array: (s) => toRealm(cstr(s)),
    latin1_string_to_uint8array: (s) => toRealm(latin1(s)),
    uint8array_to_latin1_string: (a) => Buffer.from(bytes(a, 'data')).toString('latin1'),
    uint8array_to_utf8_string: (a) => Buffer.from(bytes(a, 'data')).toString('utf8'),
  };
}
