// Writes of the indexer: a batch of blocks (events, epoch samples, the cursor) lands in ONE SQL
// statement, so it is atomic on both backends without an explicit transaction, and a reader on
// PGlite's socket (which shares the one embedded connection) never sees half a batch. Inserts are
// ON CONFLICT DO NOTHING on the chain's own keys: writing a batch twice changes nothing.
import type { Queryable } from './db';
import type { EventRow } from './events';

/** Where the indexer stands. */
export interface Cursor {
  contractId: string;
  lastBlock: number;
  lastBlockHash: string;
  lastEpochId: string;
  chainHead: number;
}

/** The metapool's state at the first block seen of an epoch (yocto amounts). */
export interface EpochSample {
  epoch: number;
  blockHeight: number;
  /** null when the RPC answered from another block than the one asked (see the migration). */
  blockHash: string | null;
  blockTimestampNs: bigint;
  priceYocto: bigint;
  totalStakedNear: bigint;
  totalSnear: bigint;
  liquidityNear: bigint;
  lpUnstakingNear: bigint;
  poolSnear: bigint;
  lpShares: bigint;
}

/** The stored cursor, or undefined before the first batch. */
export async function readCursor(db: Queryable): Promise<Cursor | undefined> {
  const [row] = await db.query<Record<string, unknown>>(
    'SELECT contract_id, last_block::text AS last_block, last_block_hash, last_epoch_id, chain_head::text AS chain_head FROM indexer_cursor WHERE id = 1',
  );
  if (!row) return undefined;
  return {
    contractId: String(row.contract_id),
    lastBlock: Number(row.last_block),
    lastBlockHash: String(row.last_block_hash),
    lastEpochId: String(row.last_epoch_id),
    chainHead: Number(row.chain_head),
  };
}

const text = (v: bigint | number | null) => (v === null ? null : v.toString());

const WRITE_BATCH = `
WITH new_events AS (
  INSERT INTO events
  SELECT * FROM json_populate_recordset(NULL::events, $1::json)
  ON CONFLICT DO NOTHING
  RETURNING 1
), new_samples AS (
  INSERT INTO epoch_samples
  SELECT * FROM json_populate_recordset(NULL::epoch_samples, $2::json)
  ON CONFLICT DO NOTHING
  RETURNING 1
)
INSERT INTO indexer_cursor (id, contract_id, last_block, last_block_hash, last_epoch_id, chain_head, updated_at)
VALUES (1, $3, $4, $5, $6, $7, now())
ON CONFLICT (id) DO UPDATE SET
  contract_id = EXCLUDED.contract_id, last_block = EXCLUDED.last_block,
  last_block_hash = EXCLUDED.last_block_hash, last_epoch_id = EXCLUDED.last_epoch_id,
  chain_head = EXCLUDED.chain_head, updated_at = EXCLUDED.updated_at
RETURNING (SELECT count(*) FROM new_events)::int AS events, (SELECT count(*) FROM new_samples)::int AS samples`;

/** Stores a processed batch and moves the cursor, all or nothing; returns the rows inserted. */
export async function writeBatch(
  db: Queryable,
  events: EventRow[],
  samples: EpochSample[],
  cursor: Cursor,
): Promise<{ events: number; samples: number }> {
  const eventJson = events.map((e) => ({
    receipt_id: e.receiptId,
    log_index: e.logIndex,
    data_index: e.dataIndex,
    tx_hash: e.txHash,
    block_height: e.blockHeight,
    block_hash: e.blockHash,
    block_timestamp_ns: text(e.blockTimestampNs),
    epoch_id: e.epochId,
    contract_id: e.contractId,
    standard: e.standard,
    version: e.version,
    event: e.event,
    account_id: e.accountId,
    amount: text(e.amount),
    fee_near: text(e.feeNear),
    data: e.data,
  }));
  const sampleJson = samples.map((s) => ({
    epoch: s.epoch,
    block_height: s.blockHeight,
    block_hash: s.blockHash,
    block_timestamp_ns: text(s.blockTimestampNs),
    price_yocto: text(s.priceYocto),
    total_staked_near: text(s.totalStakedNear),
    total_snear: text(s.totalSnear),
    liquidity_near: text(s.liquidityNear),
    lp_unstaking_near: text(s.lpUnstakingNear),
    pool_snear: text(s.poolSnear),
    lp_shares: text(s.lpShares),
  }));
  const [row] = await db.query<{ events: number; samples: number }>(WRITE_BATCH, [
    JSON.stringify(eventJson),
    JSON.stringify(sampleJson),
    cursor.contractId,
    cursor.lastBlock,
    cursor.lastBlockHash,
    cursor.lastEpochId,
    cursor.chainHead,
  ]);
  return { events: Number(row?.events ?? 0), samples: Number(row?.samples ?? 0) };
}
