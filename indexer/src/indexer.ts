// Follows finalized blocks over JSON-RPC and stores the metapool's events and per-epoch samples.
//
// How logs are found over plain RPC (works unchanged against nearcore and localnet):
//   block(height) → its chunk headers → chunk(chunk_hash) for each chunk new in this block with a
//   non-empty tx_root → every transaction → EXPERIMENTAL_tx_status(wait_until FINAL) → every
//   receipt outcome executed by the contract → its EVENT_JSON logs.
// Every receipt belongs to a transaction, and a transaction is in exactly one chunk of one block,
// so walking transactions block by block visits every receipt once (later-block receipts of a
// transaction are fetched with it and stored at their own block). The cursor moves only after a
// batch is stored, and each stored block's prev_hash must be the previous stored block's hash.
import type { Logger } from 'pino';
import type { Db } from './db';
import { type EventRow, eventsOfLogs } from './events';
import {
  type BlockView,
  ChainRpc,
  type ChunkTx,
  DEFAULT_RETRY,
  EMPTY_ROOT,
  type RetryPolicy,
} from './rpc';
import { type Cursor, type EpochSample, readCursor, writeBatch } from './store';

export interface IndexerOptions {
  rpcUrl: string;
  /** The metapool account whose events and state are stored. */
  contractId: string;
  db: Db;
  logger: Logger;
  /** First block when the store has no cursor yet (default: the chain's final head). */
  startBlock?: number;
  /** Blocks per stored batch (default 100). */
  batchBlocks?: number;
  /** RPC calls in flight at once (default 8). */
  concurrency?: number;
  /** Wait between polls once caught up, ms (default 1000). */
  pollMs?: number;
  /** Progress log interval, ms (default 5000; 0 logs after every batch). */
  progressMs?: number;
  retry?: RetryPolicy;
}

/** What `progress()` reports (and the progress log line says). */
export interface Progress {
  block: number;
  head: number;
  lagBlocks: number;
  blocks: number;
  events: number;
  blocksPerSecond: number;
  eventsPerSecond: number;
  rpcFailures: number;
}

/** get_contract_state() fields a sample reads. */
interface ContractStateView {
  epoch_height: number;
  block_height: string;
  block_timestamp_ms: string;
  total_staked_near: string;
  total_snear: string;
  liquidity: string;
  lp_unstaking_near: string;
  pool_snear: string;
  lp_shares: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class Indexer {
  readonly rpc: ChainRpc;
  private cursor: Cursor | undefined;
  private head = 0;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly startedAt = Date.now();
  private lastLogAt = 0;
  private totals = { blocks: 0, events: 0 };
  private readonly blockCache = new Map<string, BlockView>();
  private epochLength: number | undefined;

  constructor(private readonly opts: IndexerOptions) {
    this.rpc = new ChainRpc(
      opts.rpcUrl,
      opts.logger,
      opts.retry ?? DEFAULT_RETRY,
      () => this.stopped,
    );
  }

  /** Loads the cursor (the store must be migrated). Refuses a store made for another contract. */
  async init(): Promise<void> {
    this.cursor = await readCursor(this.opts.db);
    if (this.cursor && this.cursor.contractId !== this.opts.contractId) {
      throw new Error(
        `E_STORE_CONTRACT: this store indexes ${this.cursor.contractId}, not ${this.opts.contractId}; use another DATABASE_URL / data directory`,
      );
    }
    if (this.cursor) this.head = this.cursor.chainHead;
  }

  /** Where the indexer stands now. */
  progress(): Progress {
    const seconds = Math.max((Date.now() - this.startedAt) / 1000, 1e-3);
    const block = this.cursor?.lastBlock ?? 0;
    return {
      block,
      head: this.head,
      lagBlocks: Math.max(0, this.head - block),
      blocks: this.totals.blocks,
      events: this.totals.events,
      blocksPerSecond: this.totals.blocks / seconds,
      eventsPerSecond: this.totals.events / seconds,
      rpcFailures: this.rpc.failures,
    };
  }

  /** Indexes one batch up to the final head; returns the number of heights covered (0: caught up). */
  async step(): Promise<number> {
    const final = await this.rpc.finalBlock();
    this.head = final.header.height;
    const from = this.cursor ? this.cursor.lastBlock + 1 : (this.opts.startBlock ?? this.head);
    if (from > this.head) return 0;
    const to = Math.min(this.head, from + (this.opts.batchBlocks ?? 100) - 1);
    const heights = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const limit = this.opts.concurrency ?? 8;
    const blocks = await mapLimit(heights, limit, (h) => this.rpc.blockAt(h));

    let prevHash = this.cursor?.lastBlockHash;
    let epochId = this.cursor?.lastEpochId ?? '';
    const samples: EpochSample[] = [];
    const txs: Array<{ tx: ChunkTx }> = [];
    let last: BlockView | undefined;
    for (const block of blocks) {
      if (!block) continue;
      const { header } = block;
      if (prevHash !== undefined && header.prev_hash !== prevHash) {
        throw new Error(
          `E_CHAIN_GAP: block ${header.height} follows ${header.prev_hash}, not the last stored block ${prevHash}; the RPC node may be missing blocks (retrying)`,
        );
      }
      this.remember(block);
      if (header.epoch_id !== epochId) {
        const sample = await this.sample(block);
        if (sample) samples.push(sample);
        epochId = header.epoch_id;
      }
      for (const chunk of block.chunks) {
        if (chunk.height_included !== header.height || chunk.tx_root === EMPTY_ROOT) continue;
        for (const tx of await this.rpc.chunkTransactions(chunk.chunk_hash)) txs.push({ tx });
      }
      prevHash = header.hash;
      last = block;
    }

    const perTx = await mapLimit(txs, limit, ({ tx }) => this.eventsOfTx(tx));
    const events = perTx.flat();
    const cursor: Cursor = {
      contractId: this.opts.contractId,
      lastBlock: to,
      lastBlockHash: last?.header.hash ?? (this.cursor?.lastBlockHash as string),
      lastEpochId: epochId,
      chainHead: this.head,
    };
    if (cursor.lastBlockHash === undefined) {
      throw new Error(
        `E_NO_BLOCKS: the RPC has no block at heights ${from}..${to}; it may have pruned them: give an archival RPC or a later --start-block`,
      );
    }
    const written = await writeBatch(this.opts.db, events, samples, cursor);
    this.cursor = cursor;
    this.totals.blocks += heights.length;
    this.totals.events += written.events;
    this.logProgress();
    return heights.length;
  }

  /** Runs `step` until the final head is reached. */
  async catchUp(): Promise<void> {
    while ((await this.step()) > 0) {
      if (this.stopped) return;
    }
  }

  /** Follows the chain until `stop()`: errors (RPC or store) are logged and retried with backoff. */
  start(): void {
    if (this.running) return;
    this.running = (async () => {
      let failures = 0;
      while (!this.stopped) {
        try {
          const n = await this.step();
          failures = 0;
          if (n === 0) await sleep(this.opts.pollMs ?? 1000);
        } catch (err) {
          if (this.stopped) break;
          failures++;
          const retry = this.opts.retry ?? DEFAULT_RETRY;
          const delay = Math.floor(
            Math.random() * Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(failures, 20)),
          );
          this.opts.logger.error(
            { err: (err as Error).message, retry_in_ms: delay },
            'indexing failed; retrying from the last stored block',
          );
          await sleep(delay);
        }
      }
    })();
  }

  /** Stops following (after the batch in progress) and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private logProgress(force = false): void {
    const every = this.opts.progressMs ?? 5000;
    const now = Date.now();
    if (!force && now - this.lastLogAt < every) return;
    this.lastLogAt = now;
    const p = this.progress();
    this.opts.logger.info(
      {
        block: p.block,
        head: p.head,
        lag_blocks: p.lagBlocks,
        blocks_per_s: Number(p.blocksPerSecond.toFixed(1)),
        events_per_s: Number(p.eventsPerSecond.toFixed(2)),
        events: p.events,
        rpc_failures: p.rpcFailures,
      },
      `indexed to block ${p.block} (head ${p.head}, ${p.lagBlocks} behind)`,
    );
  }

  private remember(block: BlockView): void {
    this.blockCache.set(block.header.hash, block);
    if (this.blockCache.size > 2_000) {
      this.blockCache.delete(this.blockCache.keys().next().value as string);
    }
  }

  private async blockByHash(hash: string): Promise<BlockView> {
    const known = this.blockCache.get(hash);
    if (known) return known;
    const block = await this.rpc.blockByHash(hash);
    this.remember(block);
    return block;
  }

  /** The contract's events in every receipt of one transaction. */
  private async eventsOfTx(tx: ChunkTx): Promise<EventRow[]> {
    const outcomes = await this.rpc.receiptOutcomes(tx.hash, tx.signer_id);
    const rows: EventRow[] = [];
    for (const o of outcomes) {
      if (o.outcome.executor_id !== this.opts.contractId) continue;
      if (!o.outcome.logs.some((l) => l.startsWith('EVENT_JSON:'))) continue;
      const block = await this.blockByHash(o.block_hash);
      rows.push(
        ...eventsOfLogs(o.outcome.logs, {
          receiptId: o.id,
          txHash: tx.hash,
          contractId: this.opts.contractId,
          blockHeight: block.header.height,
          blockHash: block.header.hash,
          blockTimestampNs: BigInt(block.header.timestamp_nanosec),
          epochId: block.header.epoch_id,
        }),
      );
    }
    return rows;
  }

  /** The metapool's share price and liquidity read at `block` (undefined: not deployed yet). */
  private async sample(block: BlockView): Promise<EpochSample | undefined> {
    const { contractId } = this.opts;
    const state = await this.rpc.view<ContractStateView>(
      contractId,
      'get_contract_state',
      block.header.hash,
    );
    const price = await this.rpc.view<string>(contractId, 'ft_price', block.header.hash);
    if (!state || price === undefined) return undefined;
    // A nearcore node answers from the block asked. A node without that state (localnet keeps
    // none) answers from a later block: still this epoch's state if no epoch boundary lies
    // between (this block starts its epoch, so: before height + epoch_length); else no sample.
    const height = Number(state.block_height);
    this.epochLength ??= await this.rpc.epochLength();
    if (height !== block.header.height) {
      const sameEpoch =
        height > block.header.height && height < block.header.height + this.epochLength;
      const where = { block: block.header.height, state_block: height };
      if (sameEpoch) {
        this.opts.logger.debug(
          where,
          'view answered from a later block of the same epoch: sampled it',
        );
      } else {
        this.opts.logger.warn(
          where,
          'the RPC answered the view from another epoch (a node without that state): no sample for this epoch',
        );
      }
      if (!sameEpoch) return undefined;
    }
    return {
      epoch: state.epoch_height,
      blockHeight: height,
      blockHash: height === block.header.height ? block.header.hash : null,
      blockTimestampNs: BigInt(state.block_timestamp_ms) * 1_000_000n,
      priceYocto: BigInt(price),
      totalStakedNear: BigInt(state.total_staked_near),
      totalSnear: BigInt(state.total_snear),
      liquidityNear: BigInt(state.liquidity),
      lpUnstakingNear: BigInt(state.lp_unstaking_near),
      poolSnear: BigInt(state.pool_snear),
      lpShares: BigInt(state.lp_shares),
    };
  }
}
