import type { ContractStateView } from '@snear/amm-math';
import { snapshotFromView } from './snapshot';
import {
  type ChainSnapshot,
  SnapshotListeners,
  type SourceStatus,
  type StateSource,
} from './source';

/** An in-memory state source for tests and benchmarks: set views, simulate outages. */
export class FakeStateSource implements StateSource {
  readonly description = 'fake state source';
  private current?: ChainSnapshot;
  private confirmedAtMs?: number;
  private lastError?: string;
  private rpcErrors = 0;
  private viewReads = 0;
  private readonly listeners = new SnapshotListeners();

  constructor(
    view?: ContractStateView,
    private readonly now: () => number = Date.now,
  ) {
    if (view) this.setView(view);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async refresh(): Promise<void> {}

  /** Publishes a new view as if a new block had been read. */
  setView(view: ContractStateView): ChainSnapshot {
    const snapshot = snapshotFromView(view, this.now());
    this.viewReads += 1;
    this.current = snapshot;
    this.confirmedAtMs = snapshot.readAtMs;
    this.lastError = undefined;
    this.listeners.emit(snapshot);
    return snapshot;
  }

  /** Simulates an RPC outage: the last snapshot is kept and ages. */
  fail(message: string): void {
    this.rpcErrors += 1;
    this.lastError = message;
  }

  /** Moves the confirmation time, to make the snapshot look older (staleness tests). */
  setConfirmedAt(ms: number): void {
    this.confirmedAtMs = ms;
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

  subscribe(listener: (snapshot: ChainSnapshot) => void): () => void {
    return this.listeners.add(listener);
  }
}
