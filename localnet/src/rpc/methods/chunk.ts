// The `chunk` method and the chunk headers of a block: what an indexer over plain RPC walks
// (block → chunk headers → chunk → transactions → EXPERIMENTAL_tx_status). Localnet has one
// shard (0), so every block carries one chunk. Shapes follow nearcore's ChunkView / ChunkHeaderView.
import { createHash } from 'node:crypto';
import { base58Decode, base58Encode } from '../../host/keys';
import type { ChainBlock, ChainTxRecord, RpcChain } from '../chain';
import { handlerError, parseError } from '../errors';
import { receiptViews } from '../outcome';
import { blockById, type Params } from '../params';
import { actionView } from '../signedTx';
import type { MethodContext } from './node';

/** nearcore's CryptoHash::default(), the merkle root of an empty list. */
export const EMPTY_ROOT = '11111111111111111111111111111111';
/** Signature shown for transactions localnet applied without one (seeded by its own API). */
const NO_SIGNATURE = `ed25519:${'1'.repeat(64)}`;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * A chunk's hash: the block height (u64 big-endian) then 24 bytes of sha256 of the block hash, so
 * the `chunk` method finds the block again from the hash alone, with no table to keep.
 */
export function chunkHash(block: ChainBlock): string {
  const bytes = Buffer.alloc(32);
  bytes.writeBigUInt64BE(BigInt(block.height), 0);
  sha256(`localnet-chunk:${block.hash}`).copy(bytes, 8, 0, 24);
  return base58Encode(bytes);
}

/** The block a chunk hash names, or undefined when it is not one of this chain's chunks. */
function blockOfChunk(chain: RpcChain, hash: string): ChainBlock | undefined {
  let bytes: Uint8Array;
  try {
    bytes = base58Decode(hash);
  } catch {
    return undefined;
  }
  if (bytes.length !== 32) return undefined;
  const height = Number(Buffer.from(bytes).readBigUInt64BE(0));
  const block = Number.isSafeInteger(height) ? chain.block(height) : undefined;
  return block && chunkHash(block) === hash ? block : undefined;
}

/** Transactions included in the block (not those only executing receipts there). */
function included(touching: ChainTxRecord[], block: ChainBlock): ChainTxRecord[] {
  return touching.filter((r) => r.includedHeight === block.height);
}

function rootOf(items: string[]): string {
  return items.length === 0 ? EMPTY_ROOT : base58Encode(sha256(items.join(',')));
}

/** nearcore's ChunkHeaderView of the block's one chunk (shard 0). */
export function chunkHeaderView(chain: RpcChain, block: ChainBlock): Record<string, unknown> {
  const touching = chain.blockTransactions?.(block.height) ?? [];
  const txs = included(touching, block);
  const receipts: string[] = [];
  let gasUsed = 0n;
  let burnt = 0n;
  for (const r of touching) {
    for (const o of r.execution.receipts) {
      if (o.blockHash !== block.hash) continue;
      receipts.push(o.receiptId);
      gasUsed += o.gasBurnt;
      burnt += o.tokensBurnt;
    }
  }
  return {
    chunk_hash: chunkHash(block),
    prev_block_hash: block.prevHash,
    outcome_root: rootOf(receipts),
    prev_state_root: EMPTY_ROOT,
    encoded_merkle_root: EMPTY_ROOT,
    encoded_length: 0,
    height_created: block.height,
    height_included: block.height,
    shard_id: 0,
    gas_used: Number(gasUsed),
    gas_limit: 1_000_000_000_000_000,
    rent_paid: '0',
    validator_reward: '0',
    balance_burnt: burnt.toString(),
    outgoing_receipts_root: rootOf(receipts),
    tx_root: rootOf(txs.map((r) => r.tx.hash)),
    validator_proposals: [],
    signature: NO_SIGNATURE,
  };
}

/** nearcore's SignedTransactionView of a kept transaction. */
function transactionView(record: ChainTxRecord): Record<string, unknown> {
  const { tx } = record;
  return {
    signer_id: tx.signerId,
    public_key: tx.publicKey,
    nonce: Number(tx.nonce),
    receiver_id: tx.receiverId,
    actions: tx.actions.map(actionView),
    priority_fee: 0,
    signature: NO_SIGNATURE,
    hash: tx.hash,
  };
}

/** The block a `chunk` request names: `[chunk_hash]`, `{ chunk_id }` or `{ block_id, shard_id }`. */
function requestedBlock(chain: RpcChain, params: unknown): ChainBlock {
  let chunkId: unknown;
  if (Array.isArray(params)) chunkId = params[0];
  else if (typeof params === 'object' && params !== null) {
    const p = params as Params;
    if ('block_id' in p) {
      if (p.shard_id !== 0 && p.shard_id !== '0') {
        throw handlerError(
          'INVALID_SHARD_ID',
          { shard_id: p.shard_id },
          `Shard id ${String(p.shard_id)} does not exist`,
        );
      }
      return blockById(chain, p.block_id);
    }
    chunkId = p.chunk_id;
  }
  if (typeof chunkId !== 'string') {
    throw parseError(
      'Failed parsing args: chunk expects [chunk_hash], { chunk_id } or { block_id, shard_id }',
    );
  }
  const block = blockOfChunk(chain, chunkId);
  if (!block) {
    throw handlerError(
      'UNKNOWN_CHUNK',
      { chunk_hash: chunkId },
      `Chunk Missing (unavailable on the node): ChunkHash(\`${chunkId}\`)`,
    );
  }
  return block;
}

/**
 * `chunk`: `{ author, header, transactions, receipts }`. `transactions` are those the block
 * included; `receipts` are the receipts executed in that block (localnet routes no receipts
 * between shards, so these stand for nearcore's incoming receipts of the chunk).
 */
export function chunk(ctx: MethodContext, params: unknown): unknown {
  const block = requestedBlock(ctx.chain, params);
  const touching = ctx.chain.blockTransactions?.(block.height) ?? [];
  const receipts = touching.flatMap((r) => {
    const here = new Set(
      r.execution.receipts.filter((o) => o.blockHash === block.hash).map((o) => o.receiptId),
    );
    return (receiptViews(r.execution) as Array<{ receipt_id: string }>).filter((v) =>
      here.has(v.receipt_id),
    );
  });
  return {
    author: 'test.near',
    header: chunkHeaderView(ctx.chain, block),
    transactions: included(touching, block).map(transactionView),
    receipts,
  };
}
