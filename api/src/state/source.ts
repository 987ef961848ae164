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
  /** Human-readable origin, e.g. the contract id and the RPC host (never a provider key). */
  readonly description: string;
  /** The metapool account the state is read from (quotes' call arguments name it). */
  readonly contractId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: ChainSnapshot) => void): () => void;
  /** Polls now instead of waiting for the next tick (tests and operators). */
  refresh(): Promise<void>;
  /** Calls one of the metapool's view methods at the final block (per-account answers). */
  callView(method: string, args: Record<string, unknown>): Promise<unknown>;
}

/**
 * The bookkeeping every source shares: the last snapshot, when the chain last confirmed it, the
 * last RPC failure, counters for /metrics, and the subscribers of new snapshots.
 */
export class SnapshotStore {
  private current?: ChainSnapshot;
  private confirmedAtMs?: number;
  private lastError?: string;
  private rpcErrors = 0;
  private viewReads = 0;
  private readonly listeners = new Set<(snapshot: ChainSnapshot) => void>();

  /** The last snapshot, if any. */
  get snapshot(): ChainSnapshot | undefined {
    return this.current;
  }

  /** The last RPC failure, cleared by the next success. */
  get error(): string | undefined {
    return this.lastError;
  }

  /** Records a view read; stores it and, when `notify`, delivers it to every subscriber. */
  publish(snapshot: ChainSnapshot, notify: boolean): void {
    this.viewReads += 1;
    this.current = snapshot;
    if (notify) this.emit(snapshot);
  }

  /** The chain answered at `atMs`: the snapshot is current and any failure is over. */
  confirm(atMs: number): void {
    this.confirmedAtMs = atMs;
    this.lastError = undefined;
  }

  /** Moves the confirmation time only (staleness tests). */
  setConfirmedAt(atMs: number): void {
    this.confirmedAtMs = atMs;
  }

  /** Counts a failed contact; the snapshot is kept and ages. */
  recordFailure(message: string): void {
    this.rpcErrors += 1;
    this.lastError = message;
  }

  status(): SourceStatus {
    return {
      snapshot: this.current,
      confirmedAtMs: this.confirmedAtMs,
      lastError: this.lastError,
      rpcErrors: this.rpcErrors,
      viewReads: this.viewReads,
    };
  }

  /** Adds a subscriber; returns its removal. */
  subscribe(listener: (snapshot: ChainSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers a snapshot to every subscriber; one failing subscriber does not stop the others. */
  private emit(snapshot: ChainSnapshot): void {
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // a broken subscriber (e.g. a closed SSE socket) must not stop the poller
      }
    }
  }
}
