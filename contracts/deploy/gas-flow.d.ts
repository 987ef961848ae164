// Types of gas-flow.js (plain CommonJS so Node scripts can require it without a build).
import type { Localnet } from '@snear/localnet';

/** Gas a lockup attaches to a balance view. */
export declare const VIEW_GAS: bigint;

export interface GasRow {
  /** Account that executed the receipt (the metapool or host-test). */
  contract: string;
  /** Method of the receipt. */
  label: string;
  gasBurnt: bigint;
}

/** Runs the fixed flow on `net` (either engine); one row per metapool / host-test receipt. */
export declare function gasFlow(net: Localnet): Promise<GasRow[]>;
