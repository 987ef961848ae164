// The indexer's JSON-RPC reads, through near-api-js's JsonRpcProvider exactly as against a real
// node. near-api-js's own retries are off (one attempt); every read here retries until it succeeds
// with exponential backoff and full jitter (an outage stalls the indexer, never skips a block).
import type { Logger } from 'pino';
import { type NearApi, nearApi } from './near-api';

/** Backoff of failed RPC calls: delay = random(0, min(maxMs, baseMs * 2^attempt)). */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 200, maxMs: 30_000 };

/** nearcore's BlockHeaderView fields the indexer reads. */
export interface BlockHeader {
  height: number;
  hash: string;
  prev_hash: string;
  epoch_id: string;
  timestamp_nanosec: string;
}

/** nearcore's ChunkHeaderView fields the indexer reads. */
export interface ChunkHeader {
  chunk_hash: string;
  height_included: number;
  tx_root: string;
}

export interface BlockView {
  header: BlockHeader;
  chunks: ChunkHeader[];
}

export interface ChunkTx {
  hash: string;
  signer_id: string;
  receiver_id: string;
}

/** One receipt outcome of EXPERIMENTAL_tx_status's `receipts_outcome`. */
export interface ReceiptOutcomeView {
  id: string;
  block_hash: string;
  outcome: { logs: string[]; executor_id: string; status: unknown };
}

/** nearcore's CryptoHash::default(): the tx_root of a chunk with no transaction. */
export const EMPTY_ROOT = '11111111111111111111111111111111';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An error that says the node has no block at that height (nearcore's UNKNOWN_BLOCK, which
 * near-api-js words "Block either has never been observed on the node or has been garbage
 * collected"): a skipped height, or one the node lacks; the prev_hash check tells them apart.
 */
export function isUnknownBlock(err: unknown): boolean {
  const e = err as { type?: string; message?: string; name?: string } | undefined;
  const text = `${e?.type ?? ''} ${e?.name ?? ''} ${e?.message ?? String(err)}`;
  return /UNKNOWN_BLOCK|DB Not Found Error: BLOCK HEIGHT|never been observed on the node/i.test(
    text,
  );
}

/**
 * An error that is the chain's answer to a view, not an outage: the contract or method is not
 * there at that block, or the view failed in the contract (an older version, a panic).
 */
export function isNoContract(err: unknown): boolean {
  const text = `${(err as { type?: string })?.type ?? ''} ${(err as Error)?.message ?? String(err)}`;
  return /does not exist|CodeDoesNotExist|MethodNotFound|AccountDoesNotExist|wasm execution failed|GuestPanic|panicked|ContractExecutionError/i.test(
    text,
  );
}

/** JSON-RPC reads with retry. `stopped()` ends the retry loops when the indexer stops. */
export class ChainRpc {
  readonly provider: InstanceType<NearApi['JsonRpcProvider']>;
  /** Failed calls so far (each retried). */
  failures = 0;

  constructor(
    readonly url: string,
    private readonly log: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly stopped: () => boolean = () => false,
  ) {
    this.provider = new (nearApi().JsonRpcProvider)({ url }, { retries: 1, wait: 0, backoff: 1 });
  }

  /** Runs `call` until it succeeds; `giveUp(err)` true rethrows at once (an answer, not an outage). */
  async withRetry<T>(what: string, call: () => Promise<T>, giveUp?: (err: unknown) => boolean) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (giveUp?.(err)) throw err;
        if (this.stopped()) throw new Error(`E_INDEXER_STOPPED: stopped while retrying ${what}`);
        this.failures++;
        const cap = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** Math.min(attempt, 20));
        const delay = Math.floor(Math.random() * cap);
        this.log.warn(
          { what, attempt: attempt + 1, retry_in_ms: delay, err: (err as Error)?.message },
          'RPC call failed; retrying',
        );
        await sleep(delay);
      }
    }
  }

  /** The latest final block. */
  finalBlock(): Promise<BlockView> {
    return this.withRetry(
      'block final',
      async () => (await this.provider.viewBlock({ finality: 'final' })) as unknown as BlockView,
    );
  }

  /** The block at `height`, or null when the chain has none there (a skipped height). */
  async blockAt(height: number): Promise<BlockView | null> {
    try {
      return await this.withRetry(
        `block ${height}`,
        async () => (await this.provider.viewBlock({ blockId: height })) as unknown as BlockView,
        isUnknownBlock,
      );
    } catch (err) {
      if (isUnknownBlock(err)) return null;
      throw err;
    }
  }

  blockByHash(hash: string): Promise<BlockView> {
    return this.withRetry(
      `block ${hash}`,
      async () => (await this.provider.viewBlock({ blockId: hash })) as unknown as BlockView,
    );
  }

  async chunkTransactions(chunkHash: string): Promise<ChunkTx[]> {
    const chunk = await this.withRetry(`chunk ${chunkHash}`, () =>
      this.provider.viewChunk(chunkHash),
    );
    return chunk.transactions as unknown as ChunkTx[];
  }

  /** Every receipt outcome of a transaction once final (EXPERIMENTAL_tx_status, wait_until FINAL). */
  async receiptOutcomes(txHash: string, senderId: string): Promise<ReceiptOutcomeView[]> {
    const status = await this.withRetry(`tx ${txHash}`, () =>
      this.provider.viewTransactionStatusWithReceipts({
        txHash,
        accountId: senderId,
        waitUntil: 'FINAL',
      }),
    );
    return status.receipts_outcome as unknown as ReceiptOutcomeView[];
  }

  /** Blocks per epoch (EXPERIMENTAL_protocol_config). */
  async epochLength(): Promise<number> {
    const config = await this.withRetry('EXPERIMENTAL_protocol_config', () =>
      this.provider.experimental_protocolConfig({ finality: 'final' }),
    );
    return Number((config as { epoch_length: number }).epoch_length);
  }

  /** A view call at a block; undefined when the contract (or its view) is not there or fails. */
  async view<T>(contractId: string, method: string, blockHash: string): Promise<T | undefined> {
    try {
      return await this.withRetry(
        `view ${contractId}.${method}`,
        () =>
          this.provider.callFunction({
            contractId,
            method,
            args: {},
            blockQuery: { blockId: blockHash },
          }) as Promise<T>,
        isNoContract,
      );
    } catch (err) {
      if (!isNoContract(err)) throw err;
      this.log.warn(
        { view: `${contractId}.${method}`, block: blockHash, err: (err as Error)?.message },
        'view not answerable at this block: no sample',
      );
      return undefined;
    }
  }
}
