// (Output columns are cast to text for exact bigint/numeric parsing, so ORDER BY names the table's
// columns qualified: an unqualified name would sort the text output.)
// Reads of the indexer's history store (indexer/migrations). The API never writes it. One read
// path for both backends: `pg` over a postgres:// URL, either the Postgres server the indexer
// writes (DATABASE_URL) or the indexer's embedded PGlite, which it serves over the Postgres wire
// protocol for this reason (PGlite is single-process; see indexer/src/serve.ts).
import pg from 'pg';

/** Where the indexer stands: its last stored block and the chain head it last saw. */
export interface IndexerCursorRow {
  lastBlock: number;
  chainHead: number;
  updatedAt: string;
}

/** One epoch sample (yocto strings). `rewardsNear`: rewards events from it to the next sample. */
export interface SampleRow {
  epoch: number;
  blockHeight: number;
  timestampNs: bigint;
  priceYocto: bigint;
  totalStakedNear: bigint;
  totalSnear: bigint;
  liquidityNear: bigint;
  lpUnstakingNear: bigint;
  poolSnear: bigint;
  lpShares: bigint;
  rewardsNear: bigint;
}

/** One stored event. */
export interface EventRecord {
  receiptId: string;
  logIndex: number;
  dataIndex: number;
  txHash: string;
  blockHeight: number;
  timestampNs: bigint;
  event: string;
  accountId: string | null;
  amount: bigint | null;
  feeNear: bigint | null;
  data: Record<string, unknown>;
}

/** Keyset position of a page: (block_height, receipt_id, log_index, data_index), newest first. */
export interface PageCursor {
  blockHeight: number;
  receiptId: string;
  logIndex: number;
  dataIndex: number;
}

/** What the history routes read (tests may implement it over a fixture). */
export interface HistoryStore {
  cursor(): Promise<IndexerCursorRow | undefined>;
  /** Samples with from <= epoch <= to (either bound optional), oldest first, at most `limit`. */
  samples(range: { from?: number; to?: number; limit: number }): Promise<SampleRow[]>;
  /** Events of these kinds, newest first, strictly older than `after`. */
  events(filter: {
    kinds?: string[];
    accountId?: string;
    after?: PageCursor;
    limit: number;
  }): Promise<EventRecord[]>;
  close(): Promise<void>;
}

const SAMPLE_SQL = `
SELECT epoch::text, block_height::text, block_timestamp_ns::text, price_yocto::text,
       total_staked_near::text, total_snear::text, liquidity_near::text, lp_unstaking_near::text,
       pool_snear::text, lp_shares::text,
       (SELECT coalesce(sum(e.amount), 0)::text FROM events e
         WHERE e.event = 'rewards' AND e.block_height >= s.block_height
           AND (s.next_height IS NULL OR e.block_height < s.next_height)) AS rewards_near
  FROM (SELECT *, lead(block_height) OVER (ORDER BY epoch) AS next_height FROM epoch_samples) s
 WHERE ($1::bigint IS NULL OR s.epoch >= $1) AND ($2::bigint IS NULL OR s.epoch <= $2)
 ORDER BY s.epoch DESC
 LIMIT $3`;

const EVENT_SQL = `
SELECT receipt_id, log_index, data_index, tx_hash, block_height::text, block_timestamp_ns::text,
       event, account_id, amount::text, fee_near::text, data
  FROM events e
 WHERE ($1::text[] IS NULL OR e.event = ANY($1::text[]))
   AND ($2::text IS NULL OR e.account_id = $2 OR e.data->>'new_owner_id' = $2
        OR e.data->>'receiver_id' = $2)
   AND ($3::bigint IS NULL
        OR (e.block_height, e.receipt_id, e.log_index, e.data_index) < ($3, $4::text, $5::int, $6::int))
 ORDER BY e.block_height DESC, e.receipt_id DESC, e.log_index DESC, e.data_index DESC
 LIMIT $7`;

const big = (v: unknown) => BigInt(String(v));
const maybeBig = (v: unknown) => (v === null || v === undefined ? null : BigInt(String(v)));

/** The store over `pg` (a Postgres server, or the indexer's PGlite served on the wire). */
export class PgHistoryStore implements HistoryStore {
  private readonly pool: pg.Pool;

  constructor(url: string, options: { max?: number; queryTimeoutMs?: number } = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 4,
      connectionTimeoutMillis: 2000,
      query_timeout: options.queryTimeoutMs ?? 5000,
    });
    // An idle client's error (the store restarted) must not crash the API.
    this.pool.on('error', () => undefined);
  }

  async cursor(): Promise<IndexerCursorRow | undefined> {
    const { rows } = await this.pool.query(
      'SELECT last_block::text, chain_head::text, updated_at FROM indexer_cursor WHERE id = 1',
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      lastBlock: Number(row.last_block),
      chainHead: Number(row.chain_head),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  async samples(range: { from?: number; to?: number; limit: number }): Promise<SampleRow[]> {
    const { rows } = await this.pool.query(SAMPLE_SQL, [
      range.from ?? null,
      range.to ?? null,
      range.limit,
    ]);
    return rows.reverse().map((r) => ({
      epoch: Number(r.epoch),
      blockHeight: Number(r.block_height),
      timestampNs: big(r.block_timestamp_ns),
      priceYocto: big(r.price_yocto),
      totalStakedNear: big(r.total_staked_near),
      totalSnear: big(r.total_snear),
      liquidityNear: big(r.liquidity_near),
      lpUnstakingNear: big(r.lp_unstaking_near),
      poolSnear: big(r.pool_snear),
      lpShares: big(r.lp_shares),
      rewardsNear: big(r.rewards_near),
    }));
  }

  async events(filter: {
    kinds?: string[];
    accountId?: string;
    after?: PageCursor;
    limit: number;
  }): Promise<EventRecord[]> {
    const a = filter.after;
    const { rows } = await this.pool.query(EVENT_SQL, [
      filter.kinds ?? null,
      filter.accountId ?? null,
      a?.blockHeight ?? null,
      a?.receiptId ?? null,
      a?.logIndex ?? null,
      a?.dataIndex ?? null,
      filter.limit,
    ]);
    return rows.map((r) => ({
      receiptId: r.receipt_id,
      logIndex: Number(r.log_index),
      dataIndex: Number(r.data_index),
      txHash: r.tx_hash,
      blockHeight: Number(r.block_height),
      timestampNs: big(r.block_timestamp_ns),
      event: r.event,
      accountId: r.account_id ?? null,
      amount: maybeBig(r.amount),
      feeNear: maybeBig(r.fee_near),
      data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    }));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
