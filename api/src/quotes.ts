import {
  applyAddLiquidity,
  applyLiquidUnstake,
  applyRemoveLiquidity,
  applyStake,
  isAmmError,
  type LiquidUnstakeQuote,
  marginalFeeBps,
  type PoolState,
  quoteAddLiquidity,
  quoteLiquidUnstake,
  quoteLiquidUnstakeExactOut,
  quoteRemoveLiquidity,
  quoteStake,
  quoteToView,
  type RemoveLiquidityQuote,
  snearToNear,
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

/** Gas each call is sent with (Tgas · 10^12): the metapool methods use 5–7 Tgas; the rest is refunded. */
export const CALL_GAS = (75n * 10n ** 12n).toString();

/** A transaction a wallet or bot can sign as is: the metapool call that does what the quote says. */
export interface CallArgs {
  contract_id: string;
  method_name: string;
  args: Record<string, string>;
  /** yoctoNEAR to attach: the NEAR paid in, 1 for an sNEAR move (a full-access-key check), or 0. */
  deposit: string;
  gas: string;
}

type Wire = Record<string, unknown>;

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
    error.code === 'INVALID_CURVE' ? 'CHAIN_STATE_INVALID_CURVE' : 'CHAIN_STATE_INVALID_STATE',
    `The metapool state cannot be quoted: ${error.message}`,
  );
}

/** A trade that would give nothing is refused: the transaction would fail or burn the input. */
function tooSmall(message: string, fields: Record<string, string> = {}): ApiError {
  return new ApiError(422, 'AMOUNT_TOO_SMALL', message, fields);
}

/** The pool after the trade: its liquidity and the marginal fee the next seller pays. */
function after(pool: PoolState): Wire {
  return {
    liquidity_after: pool.liquidity.toString(),
    marginal_fee_bps_after: marginalFeeBps(pool.curve, pool.liquidity),
  };
}

/**
 * The delayed part of a removal by unlock epoch. Without the pool's schedule in the view, the
 * whole amount is given one estimated epoch: unbonding epochs from now, the latest it can unlock.
 */
function unstakingWire(
  q: RemoveLiquidityQuote,
  snapshot: ChainSnapshot,
): Array<{ unlock_epoch: number; near: string; estimated: boolean }> {
  if (q.unstakingNear === 0n) return [];
  if (q.unstaking.length > 0) {
    return q.unstaking.map((b) => ({
      unlock_epoch: b.unlockEpoch,
      near: b.near.toString(),
      estimated: false,
    }));
  }
  const view = snapshot.view as unknown as {
    epoch_height?: unknown;
    params?: { unbonding_epochs?: unknown };
  };
  const epoch = Number(view.epoch_height ?? 0) + Number(view.params?.unbonding_epochs ?? 4);
  return [{ unlock_epoch: epoch, near: q.unstakingNear.toString(), estimated: true }];
}

/** Computes one quote from a snapshot; the result fields are snake_case yocto strings. */
export function computeQuote(
  kind: QuoteKind,
  input: QuoteInput,
  snapshot: ChainSnapshot,
  contractId = 'metapool.near',
): Wire {
  const field = INPUT_FIELD[kind];
  const amount = readAmount(field, input[field], input.amount);
  const slippageBps = requireIntegerIn(
    'slippage_bps',
    input.slippage_bps ?? DEFAULT_SLIPPAGE_BPS,
    0,
    10_000,
  );
  const state = snapshot.pool;
  const call = (method_name: string, args: Record<string, string>, deposit: string): CallArgs => ({
    contract_id: contractId,
    method_name,
    args,
    deposit,
    gas: CALL_GAS,
  });
  try {
    switch (kind) {
      case 'liquid-unstake':
      case 'liquid-unstake-exact-out': {
        const q =
          kind === 'liquid-unstake'
            ? quoteLiquidUnstake(state, amount)
            : quoteLiquidUnstakeExactOut(state, amount);
        if (q.nearOut === 0n) {
          const least = quoteLiquidUnstakeExactOut(state, 1n).snearIn;
          throw tooSmall(
            `Selling ${q.snearIn} yocto sNEAR pays 0 NEAR after the fee; sell at least ${least} yocto.`,
            { min_snear_in: least.toString() },
          );
        }
        const minNearOut = minOut(q.nearOut, slippageBps);
        return {
          kind,
          ...(kind === 'liquid-unstake-exact-out' ? { near_wanted: amount.toString() } : {}),
          ...liquidUnstakeWire(q),
          slippage_bps: slippageBps,
          min_near_out: minNearOut,
          ...after(applyLiquidUnstake(state, q.snearIn)),
          // 1 yocto, as every NEP-141 value move: a function-call key cannot sell the user's sNEAR
          call: call(
            'liquid_unstake',
            { snear_amount: q.snearIn.toString(), min_near_out: minNearOut },
            '1',
          ),
        };
      }
      case 'stake': {
        const q = quoteStake(state, amount);
        if (q.snearOut === 0n) {
          throw tooSmall(`Staking ${amount} yocto NEAR buys 0 sNEAR; stake more.`);
        }
        return {
          kind,
          near_in: amount.toString(),
          snear_out: q.snearOut.toString(),
          from_pool_near: q.fromPoolNear.toString(),
          from_pool_snear: q.fromPoolSnear.toString(),
          minted_snear: q.mintedSnear.toString(),
          ...after(applyStake(state, amount)),
          call: call('deposit_and_stake', {}, amount.toString()),
        };
      }
      case 'add-liquidity': {
        const q = quoteAddLiquidity(state, amount);
        if (q.lpShares === 0n) {
          throw tooSmall(`Adding ${amount} yocto NEAR buys 0 LP shares; add more.`);
        }
        const minShares = minOut(q.lpShares, slippageBps);
        return {
          kind,
          near_in: amount.toString(),
          lp_shares: q.lpShares.toString(),
          slippage_bps: slippageBps,
          min_shares: minShares,
          ...after(applyAddLiquidity(state, amount)),
          call: call('add_liquidity', { min_shares: minShares }, amount.toString()),
        };
      }
      case 'remove-liquidity': {
        const q = quoteRemoveLiquidity(state, amount);
        if (q.nearOut === 0n && q.snearOut === 0n && q.unstakingNear === 0n) {
          throw tooSmall(`Burning ${amount} LP shares pays nothing; burn more.`);
        }
        const minNearOut = minOut(q.nearOut, slippageBps);
        const minSnearOut = minOut(q.snearOut, slippageBps);
        return {
          kind,
          shares: amount.toString(),
          near_out: q.nearOut.toString(),
          snear_out: q.snearOut.toString(),
          unstaking_near: q.unstakingNear.toString(),
          unstaking: unstakingWire(q, snapshot),
          value_near: (q.nearOut + snearToNear(state, q.snearOut) + q.unstakingNear).toString(),
          slippage_bps: slippageBps,
          min_near_out: minNearOut,
          min_snear_out: minSnearOut,
          ...after(applyRemoveLiquidity(state, amount)),
          call: call(
            'remove_liquidity',
            { shares: amount.toString(), min_near_out: minNearOut, min_snear_out: minSnearOut },
            // the contract refuses a deposit here (LP shares are not a NEP-141 token)
            '0',
          ),
        };
      }
    }
  } catch (error) {
    throw apiErrorFromAmm(error);
  }
}

/** The contract's quote_liquid_unstake fields; fee_bps as an integer, like every *_bps field. */
export function liquidUnstakeWire(q: LiquidUnstakeQuote): Wire {
  const view = quoteToView(q);
  return {
    snear_in: view.snear_in,
    value_near: view.value_near,
    near_out: view.near_out,
    fee_near: view.fee_near,
    fee_bps: q.feeBps,
    treasury_snear: view.treasury_snear,
  };
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
