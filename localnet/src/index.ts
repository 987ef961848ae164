// @snear/localnet: an in-process NEAR runtime for near-sdk-js contracts (see README.md).
export {
  Account,
  type AccountBalance,
  type Amount,
  CallError,
  type CallOptions,
  type CallOutcome,
  ContractState,
  DEFAULT_CALL_GAS,
  DEFAULT_INITIAL_BALANCE,
  type ReceiptSummary,
} from './account';
export {
  type AccountRecord,
  STORAGE_PRICE_PER_BYTE,
  storageUsage,
} from './chain/account';
export {
  type BlockInfo,
  Chain,
  type ChainConfig,
  type ChainSnapshot,
  DEFAULT_CHAIN_CONFIG,
  NEAR,
  type TransactionInput,
} from './chain/chain';
export {
  type ExecutionStatus,
  InvalidTxError,
  type ReceiptOutcome,
  type TransactionOutcome,
} from './chain/outcome';
export { ViewCallError, viewFunction } from './chain/runtime';
export { DEFAULT_REWARD_RATE, type Ratio } from './chain/staking';
export { loadWasmEngine, VmEngine, wasmEngineUnavailableReason } from './engine/index';
export { PrepareFailure, prepareContract } from './engine/prepare';
export { HOST_FUNCTION_NAMES } from './host/abi-names';
export * from './host/index';
export { type KeyPairStrings, keyPairFor } from './keys';
export { Localnet, type LocalnetOptions } from './localnet';
export * from './rpc/index';
