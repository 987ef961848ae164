// Types of mainnet-wasm.js (plain CommonJS so Node scripts can require it without a build).
import type { Account, CallOutcome, TransactionOutcome } from '@snear/localnet';
import type { Fee } from './protocol';

/** Where the real contracts are (NEAR_MAINNET_WASM_DIR, default ../shared/near-wasm from the repo root). */
export declare const MAINNET_WASM_DIR: string;

/** Why the real contracts cannot be used at all (no directory), else undefined. */
export declare function mainnetWasmUnavailableReason(): string | undefined;

/** Path of a real contract after checking its sha256 against mainnet-wasm.sha256 (E_MAINNET_WASM otherwise). */
export declare function realWasmPath(file: string): string;

/** Creates `<name>.<root>` (default `lockup-whitelist`) with the real whitelist. */
export declare function deployRealWhitelist(
  root: Account,
  foundation: Account,
  options?: { name?: string },
): Promise<Account>;

/** Creates `<name>.<root>` with NEAR's Rust staking pool (no owner fee by default). */
export declare function deployRealStakingPool(
  root: Account,
  name: string,
  owner: Account,
  options?: { fee?: Fee; initialBalance?: bigint },
): Promise<Account>;

/** Vesting schedule of the real lockup (u64 nanosecond timestamps as strings). */
export interface VestingSchedule {
  start_timestamp: string;
  cliff_timestamp: string;
  end_timestamp: string;
}

/** Creates `<name>.<parent>` holding `balance` (default 1,000 NEAR) with the real lockup. */
export declare function deployRealLockup(
  parent: Account,
  name: string,
  options: {
    owner: Account;
    whitelist: Account;
    balance?: bigint;
    vestingSchedule?: VestingSchedule;
    foundation?: Account;
  },
): Promise<Account>;

/** One function-call receipt with the gas attached to it (its FunctionCall actions' gas). */
export interface FunctionCallReceipt {
  receiptId: string;
  predecessor: string;
  receiver: string;
  /** The called method (several joined by `+` for a batch). */
  method: string;
  /** Gas attached to the receipt: the sum over its FunctionCall actions. */
  attachedGas: bigint;
  /** Each FunctionCall action of the receipt (a batch has several). */
  calls: { method: string; gas: bigint }[];
  gasBurnt: bigint;
  ok: boolean;
}

/** Every function-call receipt of an outcome (refunds and transfers left out). */
export declare function functionCallReceipts(
  outcome: CallOutcome | TransactionOutcome,
): FunctionCallReceipt[];
