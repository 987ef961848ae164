export { APP_DEFAULTS, type AppOptions, buildApp } from './app';
export { ApiError } from './errors';
export { loadNearApi } from './near';
export { computeQuote, QUOTE_KINDS, type QuoteKind } from './quotes';
export { demoView } from './state/demo-view';
export { FakeStateSource } from './state/fake-source';
export { type NearSourceOptions, NearStateSource } from './state/near-source';
export type { ChainSnapshot, SourceStatus, StateSource } from './state/source';
