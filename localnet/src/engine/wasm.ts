// The wasm engine: runs a contract's .wasm (e.g. contracts/build/<name>.wasm, QuickJS plus the
// bundle's bytecode) with nearcore's RAW host ABI: pointers and lengths into wasm memory, u64 as
// BigInt, u128 as 16 little-endian bytes at a pointer, byte results through registers. Every
// function delegates to the core host (`../host`, HostContext), the same one the VM engine uses.
//
// It prepares and meters a contract as nearcore does at protocol 86 (prepare_v3 + finite-wasm,
// `vm_kind: Wasmtime`; see `prepare.ts`, `wasm-analysis.ts`, `wasm-gas.ts`), once per code hash:
// - Preparation errors fail every call with `CompilationError.PrepareError` and no gas
//   (nearcore's `compile_and_load` error path; it caches them as well).
// - A call: `MethodEmptyName` for "", the prepare error if any, contract loading
//   (`wasm_contract_loading_base` + per byte), `MethodNotFound` / `MethodInvalidSignature` (no gas,
//   nearcore's nop outcome), `LinkError` for an `env` import localnet does not provide, then a
//   fresh instance with a fresh `env.memory` (1,024 pages, growable to 2,048; the engine keeps it
//   to read and write arguments; a shared one, see SHARED_MEMORY), the start function if any, and
//   the method.
// - Gas: the instrumented code counts regular ops (822,756 gas each) at finite-wasm's charge
//   points; the engine converts them into gas at each host call and at the end, so the host's
//   counters and limits include them. Out of ops: GasExceeded (or GasLimitExceeded) with the fee
//   charged, as nearcore's `finite_wasm_gas`. Out of stack (262,144 bytes of frames and operand
//   stacks): `HostError::MemoryAccessViolation`, as `finite_wasm_stack_exhausted`.
// - Traps map to nearcore's `WasmTrap` names.
// Remaining difference: V8's own call stack may overflow before nearcore's 256 KiB budget for a
// recursion of very large frames (reported as WasmTrap StackOverflow).
import { createHash } from 'node:crypto';
import { HOST_FUNCTION_NAMES } from '../host/abi-names';
import type { HostContext } from '../host/context';
import { HostError } from '../host/errors';
import { EXT } from '../host/gas';
import type { ContractCode, ContractEngine } from '../host/index';
import { base58Encode } from '../host/keys';
import { PrepareFailure, prepareContract } from './prepare';
import { readCachedModule, writeCachedModule } from './wasm-cache';
import {
  GAS_GLOBAL_EXPORT,
  INITIAL_MEMORY_PAGES,
  INTERNAL_EXPORTS,
  instrument,
  MAX_MEMORY_PAGES,
  STACK_GLOBAL_EXPORT,
  START_EXPORT,
} from './wasm-gas';

/**
 * Whether each call's `env.memory` is a shared `WebAssembly.Memory` (and the module imports it as
 * shared): yes unless LOCALNET_WASM_MEMORY=unshared. Only speed differs. The contract cannot tell
 * (prepare rejects the atomics, the only instructions that would differ); V8 can: a non-shared
 * memory's 64 MiB buffer counts as young-generation external memory, so while it lives, and until
 * the next scavenge after the call, every ArrayBuffer the host allocates (each argument copied out
 * of wasm memory, each hash) forces a scavenge that also frees the earlier calls' memories. That
 * was 3-4 scavenges and 20-30 ms per call of NEAR's Rust staking pool; a shared memory is not
 * counted there and is freed by the ordinary collections instead (so more dead memories wait for
 * them: a higher peak RSS, e.g. 660 instead of 480 MB for a jest file of metapool campaigns).
 */
const SHARED_MEMORY = sharedMemoryFromEnv(process.env.LOCALNET_WASM_MEMORY);

function sharedMemoryFromEnv(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'shared') return true;
  if (value === 'unshared') return false;
  throw new Error(
    `E_LOCALNET_WASM_MEMORY: LOCALNET_WASM_MEMORY is "${value}"; use "shared" or "unshared"`,
  );
}

/** nearcore `wasm_regular_op_cost`: gas per regular op. */
export const REGULAR_OP_COST = EXT.regularOpCost;

type CompiledContract =
  | { ok: false; error: PrepareFailure | Error }
  | {
      ok: true;
      module: WebAssembly.Module;
      /** Exported functions: name → callable as a method (`() -> ()`). */
      methods: Map<string, boolean>;
      /** `env` imports that are not NEAR host functions: linking fails. */
      unknownImports: string[];
      hasStart: boolean;
    };

/** Compiled modules by code hash, shared by every engine instance (code is immutable). */
const compiledByHash = new Map<string, CompiledContract>();

type HostFn = (...args: bigint[]) => unknown;

/** Options of the wasm engine. */
export interface WasmEngineOptions {
  /** Gas per regular op (default nearcore's REGULAR_OP_COST; the linear base stays 32 ops). */
  regularOpCost?: bigint;
}

/**
 * Prepare and compile once per code hash; the result (or the error) is cached, and the
 * instrumented bytes of large code on disk too, for the next process (`wasm-cache.ts`).
 */
export function compileContract(code: ContractCode): CompiledContract {
  let compiled = compiledByHash.get(code.hash);
  if (!compiled) {
    try {
      let instrumented = readCachedModule(code.bytes, SHARED_MEMORY);
      if (!instrumented) {
        instrumented = instrument(prepareContract(code.bytes), SHARED_MEMORY);
        writeCachedModule(code.bytes, SHARED_MEMORY, instrumented);
      }
      compiled = {
        ok: true,
        module: new WebAssembly.Module(instrumented.bytes),
        methods: instrumented.methods,
        unknownImports: instrumented.imports.filter((name) => !HOST_FUNCTION_NAMES.has(name)),
        hasStart: instrumented.hasStart,
      };
    } catch (err) {
      compiled = { ok: false, error: err as Error };
    }
    compiledByHash.set(code.hash, compiled);
  }
  return compiled;
}

/** The code hash the chain gives `bytes` (base58 sha256, NEAR's code_hash). */
function codeHash(bytes: Uint8Array): string {
  return base58Encode(new Uint8Array(createHash('sha256').update(bytes).digest()));
}

/** Runs `.wasm` contracts (see the top of this file). */
export class WasmEngine implements ContractEngine {
  private readonly opCost: bigint;
  /**
   * Pages of the memory when the last call ended (tests check that a pre-initialised contract's
   * allocator grew past page 1024, nearcore's initial memory, instead of inside its snapshot).
   */
  lastCallMemoryPages = 0;

  constructor(options: WasmEngineOptions = {}) {
    this.opCost = options.regularOpCost ?? REGULAR_OP_COST;
    if (this.opCost <= 0n) throw new RangeError('E_WASM_OP_COST: regularOpCost must be positive');
  }

  /** Compile (prepare, instrument) once per code hash; throws the PrepareFailure if any. */
  compile(code: ContractCode): CompiledContract & { ok: true } {
    const compiled = compileContract(code);
    if (!compiled.ok) throw compiled.error;
    return compiled;
  }

  /**
   * What calls of this code would fail with before running (a DeployContract of it succeeds, as in
   * nearcore): undefined when it prepares and compiles, else the error (a `PrepareFailure` names
   * the PrepareError). Warms the compile cache the chain uses.
   */
  check(bytes: Uint8Array): Error | undefined {
    const compiled = compileContract({ kind: 'wasm', hash: codeHash(bytes), bytes });
    return compiled.ok ? undefined : compiled.error;
  }

  /** Prepare and compile on deploy (nearcore's precompile); errors are kept for the calls. */
  precompile(code: ContractCode): void {
    compileContract(code);
  }

  /** Run one exported method; all effects go through `host`. */
  run(code: ContractCode, method: string, host: HostContext): void {
    if (method === '') host.fail({ type: 'MethodEmptyName' });
    const compiled = compileContract(code);
    if (!compiled.ok) {
      const err = compiled.error;
      if (err instanceof PrepareFailure) {
        host.fail({ type: 'PrepareError', error: err.error, detail: err.detail });
      }
      host.fail({ type: 'WasmCompileError', msg: err.message });
    }
    const callable = INTERNAL_EXPORTS.has(method) ? undefined : compiled.methods.get(method);
    if (callable === undefined) host.fail({ type: 'MethodNotFound' });
    if (!callable) host.fail({ type: 'MethodInvalidSignature' });
    host.chargeGas(EXT.contractLoadingBase + EXT.contractLoadingBytes * BigInt(code.bytes.length));
    if (compiled.unknownImports.length > 0) {
      const name = compiled.unknownImports[0];
      host.fail({
        type: 'LinkError',
        msg: `unknown import: \`env::${name}\` has not been defined`,
      });
    }

    const memory = new WebAssembly.Memory({
      initial: INITIAL_MEMORY_PAGES,
      maximum: MAX_MEMORY_PAGES,
      shared: SHARED_MEMORY,
    });
    const state: CallState = {
      host,
      memory,
      gas: undefined,
      stack: undefined,
      budget: 0n,
      opCost: this.opCost,
    };
    const env: Record<string, unknown> = { ...makeRawEnv(state), memory };
    this.lastCallMemoryPages = INITIAL_MEMORY_PAGES;
    try {
      const instance = new WebAssembly.Instance(compiled.module, {
        env: env as WebAssembly.ModuleImports,
      });
      const exports = instance.exports;
      state.gas = exports[GAS_GLOBAL_EXPORT] as WebAssembly.Global;
      state.stack = exports[STACK_GLOBAL_EXPORT] as WebAssembly.Global;
      resetBudget(state);
      if (compiled.hasStart) (exports[START_EXPORT] as () => void)();
      (exports[method] as () => void)();
      this.lastCallMemoryPages = memory.buffer.byteLength / 65_536;
      syncGas(state);
    } catch (err) {
      if (host.fatalError) throw host.fatalError;
      if (err instanceof HostError) throw err;
      if (state.gas && (state.gas.value as bigint) < 0n) syncGas(state); // throws GasExceeded
      if (state.stack && (state.stack.value as bigint) < 0n) {
        syncGas(state);
        host.fail({ type: 'MemoryAccessViolation' });
      }
      syncGas(state);
      host.fail({ type: 'WasmTrap', trap: trapName(err) });
    }
    if (host.fatalError) throw host.fatalError;
  }
}

/** The engine Localnet creates (engine/index.ts also accepts `new WasmEngine()`). */
export function createWasmEngine(options: WasmEngineOptions = {}): WasmEngine {
  return new WasmEngine(options);
}

interface CallState {
  host: HostContext;
  memory: WebAssembly.Memory;
  gas: WebAssembly.Global | undefined;
  stack: WebAssembly.Global | undefined;
  /** Ops the counter was last set to. */
  budget: bigint;
  /** Gas per regular op. */
  opCost: bigint;
}

/** Gas the host can still burn or use, whichever is smaller. */
function gasLeft(host: HostContext): bigint {
  const byPrepaid = host.context.prepaidGas - host.usedGas;
  const byBurnt = host.context.maxGasBurnt - host.burntGas;
  // biome-ignore lint/complexity/useMathMinMax: bigint operands (Math.min takes numbers)
  const left = byPrepaid < byBurnt ? byPrepaid : byBurnt;
  return left > 0n ? left : 0n;
}

/** Set the op counter to what the gas left pays for (a charge of k ops fails iff k × cost > left). */
function resetBudget(state: CallState): void {
  if (!state.gas) return;
  state.budget = gasLeft(state.host) / state.opCost;
  state.gas.value = state.budget;
}

/** Charge the ops counted since the last reset (throws when gas runs out). */
function syncGas(state: CallState): void {
  if (!state.gas) return;
  const executed = state.budget - (state.gas.value as bigint);
  state.budget = state.gas.value as bigint;
  if (executed > 0n) state.host.chargeGas(executed * state.opCost);
}

/** nearcore's WasmTrap names for V8's trap messages (Wasmtime's traps as nearcore maps them). */
function trapName(err: unknown): string {
  const message = String((err as Error)?.message ?? err);
  if (err instanceof RangeError && /call stack/i.test(message)) return 'StackOverflow';
  if (/unreachable/i.test(message)) return 'Unreachable';
  if (/divide by zero|remainder by zero|integer overflow|float unrepresentable/i.test(message)) {
    return 'IllegalArithmetic';
  }
  if (/signature mismatch/i.test(message)) return 'IncorrectCallIndirectSignature';
  if (/null function/i.test(message)) return 'IndirectCallToNull';
  // memory, table (call_indirect index, table.get/set) and segment bounds
  if (/out of bounds/i.test(message)) return 'MemoryOutOfBounds';
  return `GenericTrap: ${message}`;
}

// ------------------------------------------------------------------ the raw host ABI

/** `env` for one instance: nearcore's signatures, each delegating to the HostContext. */
export function makeRawEnv(state: CallState): Record<string, HostFn> {
  const { host } = state;
  const bytes = (): Uint8Array => new Uint8Array(state.memory.buffer);
  const range = (ptr: bigint, len: bigint): [number, number] => {
    const size = BigInt(bytes().length);
    if (ptr < 0n || len < 0n || ptr + len > size) {
      host.fail({ type: 'MemoryAccessViolation' });
    }
    return [Number(ptr), Number(ptr + len)];
  };
  /** A copy of wasm memory [ptr, ptr+len). */
  const read = (len: bigint, ptr: bigint): Uint8Array => {
    const [from, to] = range(ptr, len);
    return bytes().slice(from, to);
  };
  const write = (ptr: bigint, data: Uint8Array): void => {
    const [from] = range(ptr, BigInt(data.length));
    bytes().set(data, from);
  };
  const readU128 = (ptr: bigint): bigint => {
    const b = read(16n, ptr);
    const view = new DataView(b.buffer, b.byteOffset, 16);
    return view.getBigUint64(0, true) | (view.getBigUint64(8, true) << 64n);
  };
  const writeU128 = (ptr: bigint, value: bigint): void => {
    const b = new Uint8Array(16);
    const view = new DataView(b.buffer);
    view.setBigUint64(0, value & 0xffff_ffff_ffff_ffffn, true);
    view.setBigUint64(8, value >> 64n, true);
    write(ptr, b);
  };
  const readU64s = (ptr: bigint, count: bigint): bigint[] => {
    const b = read(count * 8n, ptr);
    const view = new DataView(b.buffer, b.byteOffset, b.length);
    return Array.from({ length: Number(count) }, (_, i) => view.getBigUint64(i * 8, true));
  };
  // Wasm instructions run so far are charged before each host call (the host's gas counters
  // and limits then include them), and the counter is refilled after it.
  const wrap =
    (f: HostFn): HostFn =>
    (...args) => {
      syncGas(state);
      const result = f(...args);
      resetBudget(state);
      return result;
    };

  const fns: Record<string, HostFn> = {
    // registers
    read_register: (id, ptr) => write(ptr, host.readRegister(id)),
    register_len: (id) => host.registerLen(id),
    write_register: (id, len, ptr) => host.writeRegister(id, read(len, ptr)),
    // context
    current_account_id: (r) => host.currentAccountId(r),
    signer_account_id: (r) => host.signerAccountId(r),
    signer_account_pk: (r) => host.signerAccountPk(r),
    predecessor_account_id: (r) => host.predecessorAccountId(r),
    input: (r) => host.input(r),
    block_index: () => host.blockIndex(),
    block_timestamp: () => host.blockTimestamp(),
    epoch_height: () => host.epochHeight(),
    storage_usage: () => host.storageUsage(),
    // economics
    account_balance: (ptr) => writeU128(ptr, host.accountBalance()),
    account_locked_balance: (ptr) => writeU128(ptr, host.accountLockedBalance()),
    attached_deposit: (ptr) => writeU128(ptr, host.attachedDeposit()),
    prepaid_gas: () => host.prepaidGas(),
    used_gas: () => host.usedGasNow(),
    // math
    random_seed: (r) => host.randomSeed(r),
    sha256: (len, ptr, r) => host.sha256(read(len, ptr), r),
    keccak256: (len, ptr, r) => host.keccak256(read(len, ptr), r),
    keccak512: (len, ptr, r) => host.keccak512(read(len, ptr), r),
    ripemd160: (len, ptr, r) => host.ripemd160(read(len, ptr), r),
    ecrecover: (hashLen, hashPtr, sigLen, sigPtr, v, flag, r) =>
      host.ecrecover(read(hashLen, hashPtr), read(sigLen, sigPtr), v, flag, r),
    // miscellaneous
    value_return: (len, ptr) => host.valueReturn(read(len, ptr)),
    panic: () => host.panic(),
    panic_utf8: (len, ptr) => host.panicUtf8(read(len, ptr)),
    log_utf8: (len, ptr) => host.logUtf8(read(len, ptr)),
    log_utf16: (len, ptr) => host.logUtf16(read(len, ptr)),
    // AssemblyScript's abort(msg, file, line, col): u32 pointers to length-prefixed utf-16.
    // Its parameters are i32, so they arrive as numbers.
    abort: (msgPtr, filePtr, line, col) => {
      const asString = (p: bigint): string => {
        if (p < 4n) return '';
        const len = new DataView(read(4n, p - 4n).buffer).getUint32(0, true);
        return Buffer.from(read(BigInt(len), p)).toString('utf16le');
      };
      const msg = asString(BigInt(msgPtr));
      const file = asString(BigInt(filePtr));
      const text = `${msg}, filename: "${file}" line: ${line} col: ${col}`;
      return host.panicUtf8(Buffer.from(`abort with message: ${text}`, 'utf8'));
    },
    // promises
    promise_create: (aLen, aPtr, mLen, mPtr, argLen, argPtr, amountPtr, gas) =>
      host.promiseCreate(
        read(aLen, aPtr),
        read(mLen, mPtr),
        read(argLen, argPtr),
        readU128(amountPtr),
        gas,
      ),
    promise_then: (index, aLen, aPtr, mLen, mPtr, argLen, argPtr, amountPtr, gas) =>
      host.promiseThen(
        index,
        read(aLen, aPtr),
        read(mLen, mPtr),
        read(argLen, argPtr),
        readU128(amountPtr),
        gas,
      ),
    promise_and: (idsPtr, count) => host.promiseAnd(readU64s(idsPtr, count)),
    promise_batch_create: (len, ptr) => host.promiseBatchCreate(read(len, ptr)),
    promise_batch_then: (index, len, ptr) => host.promiseBatchThen(index, read(len, ptr)),
    promise_batch_action_create_account: (index) => host.promiseBatchActionCreateAccount(index),
    promise_batch_action_deploy_contract: (index, len, ptr) =>
      host.promiseBatchActionDeployContract(index, read(len, ptr)),
    promise_batch_action_function_call: (index, mLen, mPtr, argLen, argPtr, amountPtr, gas) =>
      host.promiseBatchActionFunctionCall(
        index,
        read(mLen, mPtr),
        read(argLen, argPtr),
        readU128(amountPtr),
        gas,
      ),
    promise_batch_action_function_call_weight: (
      index,
      mLen,
      mPtr,
      argLen,
      argPtr,
      amountPtr,
      gas,
      weight,
    ) =>
      host.promiseBatchActionFunctionCallWeight(
        index,
        read(mLen, mPtr),
        read(argLen, argPtr),
        readU128(amountPtr),
        gas,
        weight,
      ),
    promise_batch_action_transfer: (index, amountPtr) =>
      host.promiseBatchActionTransfer(index, readU128(amountPtr)),
    promise_batch_action_stake: (index, amountPtr, keyLen, keyPtr) =>
      host.promiseBatchActionStake(index, readU128(amountPtr), read(keyLen, keyPtr)),
    promise_batch_action_add_key_with_full_access: (index, keyLen, keyPtr, nonce) =>
      host.promiseBatchActionAddKeyWithFullAccess(index, read(keyLen, keyPtr), nonce),
    promise_batch_action_add_key_with_function_call: (
      index,
      keyLen,
      keyPtr,
      nonce,
      allowancePtr,
      rLen,
      rPtr,
      namesLen,
      namesPtr,
    ) =>
      host.promiseBatchActionAddKeyWithFunctionCall(
        index,
        read(keyLen, keyPtr),
        nonce,
        readU128(allowancePtr),
        read(rLen, rPtr),
        read(namesLen, namesPtr),
      ),
    promise_batch_action_delete_key: (index, keyLen, keyPtr) =>
      host.promiseBatchActionDeleteKey(index, read(keyLen, keyPtr)),
    promise_batch_action_delete_account: (index, len, ptr) =>
      host.promiseBatchActionDeleteAccount(index, read(len, ptr)),
    promise_results_count: () => host.promiseResultsCount(),
    promise_result: (index, r) => host.promiseResult(index, r),
    promise_return: (index) => host.promiseReturn(index),
    // storage
    storage_write: (kLen, kPtr, vLen, vPtr, r) =>
      host.storageWrite(read(kLen, kPtr), read(vLen, vPtr), r),
    storage_read: (kLen, kPtr, r) => host.storageRead(read(kLen, kPtr), r),
    storage_remove: (kLen, kPtr, r) => host.storageRemove(read(kLen, kPtr), r),
    storage_has_key: (kLen, kPtr) => host.storageHasKey(read(kLen, kPtr)),
    // validators
    validator_stake: (len, ptr, stakePtr) =>
      writeU128(stakePtr, host.validatorStake(read(len, ptr))),
    validator_total_stake: (stakePtr) => writeU128(stakePtr, host.validatorTotalStake()),
    // alt_bn128 (the host reports them unsupported)
    alt_bn128_g1_multiexp: (len, ptr, r) => host.altBn128G1Multiexp(read(len, ptr), r),
    alt_bn128_g1_sum: (len, ptr, r) => host.altBn128G1Sum(read(len, ptr), r),
    alt_bn128_pairing_check: (len, ptr) => host.altBn128PairingCheck(read(len, ptr)),
  };
  const env: Record<string, HostFn> = {};
  for (const [name, f] of Object.entries(fns)) env[name] = wrap(f);
  return env;
}
