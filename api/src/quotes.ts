import {
  isAmmError,
  quoteAddLiquidity,
  quoteLiquidUnstake,
  quoteLiquidUnstakeExactOut,
  quoteRemoveLiquidity,
  quoteStake,
  quoteToView,
} from '@snear/amm-math';
import { readAmount, requireIntegerIn } from './amounts';
import { ApiError } from './errors';
import type { ChainSnapshot } from './state/source';

/** The kinds of quote the API gives; each maps to one amm-math function. */
export const QUOTE_KINDS = [
  'liquid-unstake',
  'liquid-unstake-exact-out',
  'stake',
  'add-liquidity',
  'remove-liquidity',
] as const;
export type QuoteKind = (typeof QUOTE_KINDS)[number];

/** The input field (yocto) each kind reads; `amount` is its decimal alternative. */
export const INPUT_FIELD: Record<QuoteKind, 'snear' | 'near' | 'shares'> = {
  'liquid-unstake': 'snear',
  'liquid-unstake-exact-out': 'near',
  stake: 'near',
  'add-liquidity': 'near',
  'remove-liquidity': 'shares',
};

/** A quote request as it arrives in a query string or a batch item. */
export interface QuoteInput {
  snear?: string;
  near?: string;
  shares?: string;
  amount?: string;
  slippage_bps?: number;
}

/** Slippage applied to minimum outputs when the client gives none (0.5%). */
export const DEFAULT_SLIPPAGE_BPS = 50;

type Wire = Record<string, string | number | undefined>;

/** `x` minus `slippageBps`, rounded down: the minimum a transaction should accept. */
function minOut(x: bigint, slippageBps: number): string {
  return ((x * BigInt(10_000 - slippageBps)) / 10_000n).toString();
}

/** Maps amm-math's typed errors to API errors (insufficient liquidity names the limit). */
export function apiErrorFromAmm(error: unknown): unknown {
  if (!isAmmError(error)) return error;
  if (error.code === 'INSUFFICIENT_LIQUIDITY') {
    const max = error.maxSnearIn;
    return new ApiError(
      422,
      'INSUFFICIENT_LIQUIDITY',
      error.message,
      max !== undefined ? { max_snear_in: max.toString() } : {},
    );
  }
  if (error.code === 'INSUFFICIENT_SHARES') {
    return new ApiError(422, 'INSUFFICIENT_SHARES', error.message);
  }
  if (['INVALID_AMOUNT', 'INVALID_DECIMAL', 'INVALID_ARGUMENT'].includes(error.code)) {
    return new ApiError(400, 'INVALID_AMOUNT', error.message);
  }
  // Anything else means the chain state itself is unusable: not the client's fault.
  return new ApiError(
    502,
    `CHAIN_STATE_${error.code}`,
    `The metapool state cannot be quoted: ${error.message}`,
  );
}

/** Computes one quote from a snapshot; the result fields are snake_case yocto strings. */
export function computeQuote(kind: QuoteKind, input: QuoteInput, snapshot: ChainSnapshot): Wire {
  const field = INPUT_FIELD[kind];
  const amount = readAmount(field, input[field], input.amount);
  const slippageBps = requireIntegerIn(
    'slippage_bps',
    input.slippage_bps ?? DEFAULT_SLIPPAGE_BPS,
    0,
    10_000,
  );
  const state = snapshot.pool;
  try {
    switch (kind) {
      case 'liquid-unstake':
      case 'liquid-unstake-exact-out': {
        const q =
          kind === 'liquid-unstake'
            ? quoteLiquidUnstake(state, amount)
            : quoteLiquidUnstakeExactOut(state, amount);
        // the same six fields, as strings, as the contract's quote_liquid_unstake view
        const view = quoteToView(q);
        return {
          kind,
          near_wanted: kind === 'liquid-unstake-exact-out' ? amount.toString() : undefined,
          snear_in: view.snear_in,
          value_near: view.value_near,
          near_out: view.near_out,
          fee_near: view.fee_near,
          fee_bps: view.fee_bps,
          treasury_snear: view.treasury_snear,
          slippage_bps: slippageBps,
          min_near_out: minOut(q.nearOut, slippageBps),
        };
      }
      case 'stake': {
        const q = quoteStake(state, amount);
        return {
          kind,
          near_in: amount.toString(),
          snear_out: q.snearOut.toString(),
          from_pool_near: q.fromPoolNear.toString(),
          from_pool_snear: q.fromPoolSnear.toString(),
          minted_snear: q.mintedSnear.toString(),
        };
      }
      case 'add-liquidity': {
        const q = quoteAddLiquidity(state, amount);
        return {
          kind,
          near_in: amount.toString(),
          lp_shares: q.lpShares.toString(),
          slippage_bps: slippageBps,
          min_shares: minOut(q.lpShares, slippageBps),
        };
      }
      case 'remove-liquidity': {
        const q = quoteRemoveLiquidity(state, amount);
        return {
          kind,
          shares: amount.toString(),
          near_out: q.nearOut.toString(),
          snear_out: q.snearOut.toString(),
          slippage_bps: slippageBps,
          min_near_out: minOut(q.nearOut, slippageBps),
          min_snear_out: minOut(q.snearOut, slippageBps),
        };
      }
    }
  } catch (error) {
    throw apiErrorFromAmm(error);
  }
}

/** Bounded per-snapshot memo of quotes (the routes keep their serialised JSON): a new block empties it. */
export class QuoteCache<T> {
  private snapshot?: ChainSnapshot;
  private readonly entries = new Map<string, T>();

  constructor(private readonly maxEntries: number) {}

  /** The cached quote for this snapshot and key, computing and storing it when absent. */
  get(snapshot: ChainSnapshot, key: string, compute: () => T): T {
    if (this.maxEntries <= 0) return compute();
    if (snapshot !== this.snapshot) {
      this.entries.clear();
      this.snapshot = snapshot;
    }
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (this.entries.size >= this.maxEntries) {
      // drop the oldest entry (Map keeps insertion order)
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, value);
    return value;
  }
}
