/**
 * The core host: ONE implementation of NEAR's host functions, shared by both contract engines.
 *
 * A `HostContext` is created by the chain for each FunctionCall action (and each view call). It
 * holds registers, the call context (accounts, input, block, gas, deposit, balances, view mode),
 * a storage write-buffer (committed only if the whole receipt succeeds), logs, the return value,
 * new promises (receipts with actions) and the gas counter. The chain commits or discards it.
 *
 * ## Contract for engines (`engine/vm.ts`, `engine/wasm.ts`)
 * An engine implements `ContractEngine.run(code, method, host)`:
 * - Map every contract-visible host function onto the HostContext method of the same meaning.
 *   Methods take `Uint8Array` (bytes, incl. utf-8 strings such as account ids and method names),
 *   `bigint` (u64/u128 values, register ids, promise indices) and return `bigint`, `Uint8Array`
 *   or nothing. u128 results (balances, stakes) are returned as bigint: a wasm engine writes them
 *   as 16 little-endian bytes at the given pointer.
 * - Memory costs are charged by the host from argument lengths (as if read from wasm memory):
 *   engines must NOT charge read_memory/write_memory themselves. An engine may meter its own
 *   execution with `host.chargeGas(gas)` (wasm: regular_op_cost per instruction;
 *   the VM engine VM_GAS_PER_HOST_CALL per env.* call and VM_GAS_PER_OP per metered op).
 * - Host methods throw `HostError` for fatal errors (GasExceeded, ProhibitedInView, panics, ...).
 *   The context remembers the first one (`host.fatalError`) and rethrows it on every later call,
 *   so a contract cannot swallow it. Let it propagate out of `run`.
 * - Unknown export: `host.fail({ type: 'MethodNotFound' })`. A wasm trap or a JS exception that
 *   is not a HostError: call `host.panicUtf8(bytes)` (near-sdk-js's builder.c does this with
 *   `message + "\n" + stack`) or `host.fail({ type: 'WasmTrap', trap })`.
 *
 * ## Raw-ABI names → HostContext methods
 * Registers: read_register → readRegister(id) (returns the bytes; the engine copies them to ptr),
 *   register_len → registerLen(id) (2^64−1 when empty), write_register → writeRegister(id, data).
 * Context: current_account_id / signer_account_id / signer_account_pk / predecessor_account_id /
 *   input / random_seed → same name in camelCase (register id); block_index, block_timestamp,
 *   epoch_height, storage_usage, prepaid_gas → bigint; used_gas → usedGasNow();
 *   account_balance, account_locked_balance, attached_deposit, validator_total_stake → bigint
 *   (u128); validator_stake(accountIdBytes) → bigint (u128).
 * Crypto: sha256, keccak256, keccak512, ripemd160 (data, registerId); ecrecover and alt_bn128_*
 *   fail with an `Unsupported` host error ("not supported in localnet").
 * Output: value_return(value), panic(), panic_utf8(bytes), log_utf8(bytes), log_utf16(bytes).
 * Promises: promise_create(account, method, args, amount, gas), promise_then(index, ...),
 *   promise_and(indices[]) (a wasm engine reads the u64 array), promise_batch_create(account),
 *   promise_batch_then(index, account), promise_batch_action_{create_account, deploy_contract,
 *   function_call, function_call_weight, transfer, stake, add_key_with_full_access,
 *   add_key_with_function_call, delete_key, delete_account} → promiseBatchAction<Name>(...),
 *   promise_results_count(), promise_result(index, registerId) → 1 Successful / 2 Failed,
 *   promise_return(index).
 * Storage: storage_write(key, value, registerId), storage_read(key, registerId),
 *   storage_remove(key, registerId), storage_has_key(key) → 0n/1n; the old value goes into the
 *   register (near-sdk-js uses 2^64−2).
 */
import type { HostContext } from './context';

export { HostContext, storageKey, storageKeyBytes } from './context';
export * from './errors';
export * from './gas';
export * from './keys';
export * from './types';

/** Deployed code. `hash` is the base58 sha256 of `bytes` (NEAR's code_hash). */
export interface ContractCode {
  kind: 'js' | 'wasm';
  hash: string;
  bytes: Uint8Array;
}

/** A contract engine: runs one exported method with all effects going through `host`. */
export interface ContractEngine {
  run(code: ContractCode, method: string, host: HostContext): void;
}
