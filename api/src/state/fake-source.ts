import type { ContractStateView } from '@snear/amm-math';
import { snapshotFromView } from './snapshot';
import { type ChainSnapshot, SnapshotStore, type SourceStatus, type StateSource } from './source';

/** An in-memory state source for tests and benchmarks: set views, simulate outages. */
export class FakeStateSource implements StateSource {
  readonly description = 'fake state source';
  private readonly store = new SnapshotStore();

  constructor(
    view?: ContractStateView,
    private readonly now: () => number = Date.now,
    readonly contractId = 'metapool.test.near',
  ) {
    if (view) this.setView(view);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async refresh(): Promise<void> {}

  /** Answers of callView, by method (tests set them); a missing one fails like an RPC error. */
  readonly views = new Map<string, (args: Record<string, unknown>) => unknown>();

  async callView(method: string, args: Record<string, unknown>): Promise<unknown> {
    const answer = this.views.get(method);
    if (answer === undefined) throw new Error(`no view ${method} on the fake source`);
    return answer(args);
  }

  /** Publishes a new view as if a new block had been read. */
  setView(view: ContractStateView): ChainSnapshot {
    const snapshot = snapshotFromView(view, this.now());
    this.store.confirm(snapshot.readAtMs);
    this.store.publish(snapshot, true);
    return snapshot;
  }

  /** Simulates an RPC outage: the last snapshot is kept and ages. */
  fail(message: string): void {
    this.store.recordFailure(message);
  }

  /** Moves the confirmation time, to make the snapshot look older (staleness tests). */
  setConfirmedAt(ms: number): void {
    this.store.setConfirmedAt(ms);
  }

  status(): SourceStatus {
    return this.store.status();
  }

  subscribe(listener: (snapshot: ChainSnapshot) => void): () => void {
    return this.store.subscribe(listener);
  }
}
