import type { Metrics } from './metrics';
import type { QuoteCache } from './quotes';
import type { Freshness } from './state/freshness';
import type { StateSource } from './state/source';

/** What every route plugin receives: the state, its freshness policy, caches and counters. */
export interface AppContext {
  source: StateSource;
  /** The metapool account quotes' call arguments name. */
  contractId: string;
  freshness: Freshness;
  /** Serialised quote bodies (without the state stamp) of the current block. */
  quoteCache: QuoteCache<string>;
  metrics: Metrics;
  now: () => number;
  /** Typical epoch duration, for "ready by" estimates of a delayed unstake. */
  epochDurationMs: number;
  /** SSE keep-alive comment interval. */
  sseHeartbeatMs: number;
  /** Live streams one client address may hold open. */
  maxStreamsPerClient: number;
}

/** Options shared by every route plugin. */
export interface RouteOptions {
  ctx: AppContext;
}
