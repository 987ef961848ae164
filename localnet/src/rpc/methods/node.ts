// Node and chain methods: status, block, gas_price, EXPERIMENTAL_protocol_config, validators.
import type { ChainBlock, RpcChain } from '../chain';
import { parseError } from '../errors';
import { blockById, objectParams, type Params, resolveBlock } from '../params';
import { chunkHeaderView } from './chunk';

/** Protocol version localnet reports (the nearcore master of NEAR-RPC.md). */
export const PROTOCOL_VERSION = 86;
/** nearcore genesis `min_gas_price`, yocto per gas. */
export const MIN_GAS_PRICE = 100_000_000n;
/** yocto per byte of storage (runtime_config.storage_amount_per_byte). */
export const STORAGE_AMOUNT_PER_BYTE = 10_000_000_000_000_000_000n;
const ZERO_HASH = '11111111111111111111111111111111';

/** Context every method handler gets. */
export interface MethodContext {
  chain: RpcChain;
  startedAtMs: number;
  rpcAddr: string;
}

/**
 * nearcore's BlockView: `{ author, header, chunks }`, with every header field near-api-js types
 * and the header of the block's one chunk (shard 0), whose `chunk_hash` the `chunk` method takes.
 */
export function blockView(chain: RpcChain, block: ChainBlock): unknown {
  const prev = block.height > 0 ? chain.block(block.height - 1) : undefined;
  return {
    author: 'test.near',
    header: {
      height: block.height,
      prev_height: prev ? prev.height : null,
      epoch_id: block.epochId,
      next_epoch_id: block.epochId,
      hash: block.hash,
      prev_hash: block.prevHash,
      prev_state_root: ZERO_HASH,
      block_body_hash: ZERO_HASH,
      chunk_receipts_root: ZERO_HASH,
      chunk_headers_root: ZERO_HASH,
      chunk_tx_root: ZERO_HASH,
      outcome_root: ZERO_HASH,
      chunks_included: 1,
      challenges_root: ZERO_HASH,
      timestamp: Number(block.timestampNs),
      timestamp_nanosec: block.timestampNs.toString(),
      random_value: block.hash,
      validator_proposals: [],
      chunk_mask: [true],
      gas_price: block.gasPrice.toString(),
      block_ordinal: block.height,
      rent_paid: '0',
      validator_reward: '0',
      total_supply: block.totalSupply.toString(),
      challenges_result: [],
      last_final_block: block.hash,
      last_ds_final_block: block.hash,
      next_bp_hash: ZERO_HASH,
      block_merkle_root: ZERO_HASH,
      epoch_sync_data_hash: null,
      approvals: [],
      signature: `ed25519:${'1'.repeat(64)}`,
      latest_protocol_version: PROTOCOL_VERSION,
    },
    chunks: [chunkHeaderView(chain, block)],
  };
}

/** `block`: `{ finality }`, `{ block_id }`, or the legacy positional `[height | hash]`. */
export function block(ctx: MethodContext, params: unknown): unknown {
  if (Array.isArray(params)) return blockView(ctx.chain, blockById(ctx.chain, params[0]));
  return blockView(ctx.chain, resolveBlock(ctx.chain, objectParams(params, 'block')));
}

/** `gas_price`: `[null]`, `[height]`, `[hash]` or `{ block_id }`. */
export function gasPrice(ctx: MethodContext, params: unknown): unknown {
  let id: unknown = null;
  if (Array.isArray(params)) id = params[0] ?? null;
  else if (typeof params === 'object' && params !== null) id = (params as Params).block_id ?? null;
  const b = id === null ? ctx.chain.head() : blockById(ctx.chain, id);
  return { gas_price: b.gasPrice.toString() };
}

/** `status`: chain id, versions and sync info at the head. */
export function status(ctx: MethodContext): unknown {
  const head = ctx.chain.head();
  const genesis = ctx.chain.block(0) ?? head;
  const iso = (b: ChainBlock) => new Date(Number(b.timestampNs / 1_000_000n)).toISOString();
  return {
    chain_id: ctx.chain.chainId,
    protocol_version: PROTOCOL_VERSION,
    latest_protocol_version: PROTOCOL_VERSION,
    genesis_hash: genesis.hash,
    rpc_addr: ctx.rpcAddr,
    node_public_key: `ed25519:${'1'.repeat(44)}`,
    node_key: null,
    validator_account_id: null,
    validator_public_key: null,
    validators: (ctx.chain.validators?.() ?? []).map((v) => ({
      account_id: v.accountId,
      is_slashed: false,
    })),
    version: { version: 'localnet', build: 'snear-localnet', rustc_version: 'n/a' },
    uptime_sec: Math.floor((Date.now() - ctx.startedAtMs) / 1000),
    sync_info: {
      latest_block_hash: head.hash,
      latest_block_height: head.height,
      latest_state_root: ZERO_HASH,
      latest_block_time: iso(head),
      syncing: false,
      earliest_block_hash: genesis.hash,
      earliest_block_height: genesis.height,
      earliest_block_time: iso(genesis),
      epoch_id: head.epochId,
      epoch_start_height: ctx.chain.epochStartHeight?.() ?? 0,
    },
  };
}

/** `EXPERIMENTAL_protocol_config`: the fields near-api-js reads (storage price, stake ratio). */
export function protocolConfig(ctx: MethodContext, params: unknown): unknown {
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    resolveBlock(ctx.chain, params as Params);
  }
  const genesis = ctx.chain.block(0) ?? ctx.chain.head();
  return {
    protocol_version: PROTOCOL_VERSION,
    genesis_time: new Date(Number(genesis.timestampNs / 1_000_000n)).toISOString(),
    chain_id: ctx.chain.chainId,
    genesis_height: genesis.height,
    num_block_producer_seats: 100,
    epoch_length: ctx.chain.epochLength ?? 500,
    gas_limit: 1_000_000_000_000_000,
    min_gas_price: MIN_GAS_PRICE.toString(),
    max_gas_price: (MIN_GAS_PRICE * 20n).toString(),
    protocol_reward_rate: [1, 10],
    max_inflation_rate: [1, 20],
    minimum_stake_ratio: [1, 6250],
    minimum_stake_divisor: 10,
    transaction_validity_period: 86400,
    online_min_threshold: [9, 10],
    online_max_threshold: [99, 100],
    runtime_config: {
      storage_amount_per_byte: STORAGE_AMOUNT_PER_BYTE.toString(),
      wasm_config: {
        limit_config: {
          max_total_prepaid_gas: Number(ctx.chain.maxGasPerTx ?? 300_000_000_000_000n),
          max_gas_burnt: Number(ctx.chain.maxGasPerTx ?? 300_000_000_000_000n),
          max_actions_per_receipt: 100,
          max_number_logs: 100,
          max_total_log_length: 16384,
        },
      },
      account_creation_config: {
        min_allowed_top_level_account_length: 65,
        registrar_account_id: 'registrar',
      },
    },
  };
}

/** `validators`: the current validator set (stake as decimal strings). */
export function validators(ctx: MethodContext): unknown {
  const head = ctx.chain.head();
  const current = (ctx.chain.validators?.() ?? []).map((v) => ({
    account_id: v.accountId,
    public_key: v.publicKey,
    is_slashed: false,
    stake: v.stake.toString(),
    shards: [0],
    num_produced_blocks: 0,
    num_expected_blocks: 0,
    num_produced_chunks: 0,
    num_expected_chunks: 0,
  }));
  return {
    current_validators: current,
    next_validators: current.map((v) => ({
      account_id: v.account_id,
      public_key: v.public_key,
      stake: v.stake,
      shards: [0],
    })),
    current_fishermen: [],
    next_fishermen: [],
    current_proposals: [],
    prev_epoch_kickout: [],
    epoch_start_height: ctx.chain.epochStartHeight?.() ?? 0,
    epoch_height: head.epochHeight,
  };
}

/** Most blocks one `sandbox_fast_forward` may produce. */
const MAX_FAST_FORWARD = 10_000_000;

/** `sandbox_fast_forward` `{ delta_height }`: produce blocks now (as nearcore's sandbox). */
export function sandboxFastForward(ctx: MethodContext, params: unknown): unknown {
  const delta = objectParams(params, 'sandbox_fast_forward').delta_height;
  if (
    typeof delta !== 'number' ||
    !Number.isSafeInteger(delta) ||
    delta < 0 ||
    delta > MAX_FAST_FORWARD
  ) {
    throw parseError(
      `Failed parsing args: delta_height must be an integer from 0 to ${MAX_FAST_FORWARD}`,
    );
  }
  if (!ctx.chain.fastForward) throw parseError('This chain cannot fast-forward');
  ctx.chain.fastForward(delta);
  return {};
}
