import { type ContractStateView, poolStateFromContractView } from '@snear/amm-math';
import type { ChainSnapshot } from './source';

/** Parses a `get_contract_state` view into a snapshot; throws when the view is malformed. */
export function snapshotFromView(view: ContractStateView, readAtMs: number): ChainSnapshot {
  const pool = poolStateFromContractView(view);
  const raw = view as unknown as { block_height?: unknown; block_timestamp_ms?: unknown };
  return {
    view,
    pool,
    blockHeight: Number(raw.block_height ?? 0),
    blockTimestampMs: Number(raw.block_timestamp_ms ?? 0),
    readAtMs,
  };
}
