import type { ContractStateView, PoolState } from '@snear/amm-math';

/** One reading of the metapool's `get_contract_state`, with the pool state parsed from it. */
export interface ChainSnapshot {
  view: ContractStateView;
  pool: PoolState;
  blockHeight: number;
  blockTimestampMs: number;
  /** Local clock (ms) when this view was read. */
  readAtMs: number;
}

/** What a source knows right now: the last snapshot and how recently the chain confirmed it. */
export interface SourceStatus {
  snapshot?: ChainSnapshot;
  /** Local clock (ms) of the last successful contact that confirmed `snapshot` is current. */
  confirmedAtMs?: number;
  /** The last RPC failure, cleared by the next success. */
  lastError?: string;
  rpcErrors: number;
  viewReads: number;
}

/** Where the API's chain state comes from: the chain through near-api-js, or a fake in tests. */
export interface StateSource {
  /** Human-readable origin, e.g. the RPC URL and contract id. */
  readonly description: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: ChainSnapshot) => void): () => void;
  /** Polls now instead of waiting for the next tick (tests and operators). */
  refresh(): Promise<void>;
}

/** Small listener set shared by the sources. */
export class SnapshotListeners {
  private readonly listeners = new Set<(snapshot: ChainSnapshot) => void>();

  /** Adds a listener; returns its removal. */
  add(listener: (snapshot: ChainSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers a snapshot to every listener; one failing listener does not stop the others. */
  emit(snapshot: ChainSnapshot): void {
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // a broken subscriber (e.g. a closed SSE socket) must not stop the poller
      }
    }
  }
}
