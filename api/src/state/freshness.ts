import { ApiError } from '../errors';
import type { ChainSnapshot, StateSource } from './source';

/** The snapshot a request is answered from, with how old it is. */
export interface ServedState {
  snapshot: ChainSnapshot;
  /** ms since the chain last confirmed this snapshot is current. */
  ageMs: number;
  /** false while the RPC is failing and an older snapshot is served within the bound. */
  rpcOk: boolean;
}

/** Applies the staleness bound: serve the last snapshot while young enough, else a clear 503. */
export class Freshness {
  constructor(
    private readonly source: StateSource,
    private readonly maxStaleMs: number,
    private readonly now: () => number,
    /** Called when a request is served while an outage was announced (see OutageLog). */
    private readonly onServed?: () => void,
  ) {}

  /** Returns the servable state or throws a 503 ApiError saying why and what to do. */
  require(): ServedState {
    const status = this.source.status();
    const snapshot = status.snapshot;
    if (!snapshot) {
      const cause = status.lastError ? ` Last RPC error: ${status.lastError}.` : '';
      throw new ApiError(
        503,
        'STATE_UNAVAILABLE',
        `The metapool state has not been read yet from ${this.source.description}.${cause} Retry in a few seconds.`,
      );
    }
    const ageMs = Math.max(0, this.now() - (status.confirmedAtMs ?? snapshot.readAtMs));
    if (ageMs > this.maxStaleMs) {
      const cause = status.lastError ? ` Last RPC error: ${status.lastError}.` : '';
      throw new ApiError(
        503,
        'STATE_STALE',
        `The last metapool state (block ${snapshot.blockHeight}) is ${Math.round(ageMs / 1000)} s old, over the ${Math.round(this.maxStaleMs / 1000)} s bound: the chain is unreachable or slow.${cause} Retry later.`,
        { block_height: snapshot.blockHeight, age_ms: ageMs },
      );
    }
    if (this.onServed !== undefined && status.lastError === undefined) this.onServed();
    return { snapshot, ageMs, rpcOk: status.lastError === undefined };
  }
}
