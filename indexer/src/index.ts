// @snear/indexer: follows finalized NEAR blocks over JSON-RPC into a Postgres history store.
export { type IndexerConfig, parseIndexerConfig } from './config';
export { type Db, type DbTarget, openDb, type Queryable } from './db';
export { type EventRow, eventsOfLogs, type ReceiptContext } from './events';
export { Indexer, type IndexerOptions, type Progress } from './indexer';
export { MIGRATIONS_DIR, migrate } from './migrations';
export { ChainRpc, DEFAULT_RETRY, type RetryPolicy } from './rpc';
export { type ServedStore, serveStore } from './serve';
export { type Cursor, type EpochSample, readCursor, writeBatch } from './store';
