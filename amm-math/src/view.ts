import { AmmError } from './errors';
import type { LiquidUnstakeQuote, PoolState } from './types';
import { validatePoolState } from './validate';

/** A u128 (or u64) on the wire: a decimal string of an integer. */
export type U128String = string;

/** One validator as listed by the metapool's get_contract_state view. */
export interface ValidatorView {
  account_id: string;
  weight: number;
  staked: U128String;
  unstaked: U128String;
  target: U128String;
  max_stake: U128String;
  unstake_unlock_epoch: number | string;
  in_flight: boolean;
  timer_pending?: boolean;
  last_sync_epoch?: number;
  /** Latest epoch any operation failed at this pool (-1: never). */
  failed_epoch?: number;
  /** Latest failed epoch per operation: only that operation waits for the next epoch. */
  failed?: { sync: number; stake: number; unstake: number; withdraw: number };
  /** NEAR unstaked here is still not withdrawn STUCK_GRACE_EPOCHS after its unlock. */
  stuck?: boolean;
  network_stake?: U128String;
  pool_excess_near?: U128String;
  network_excess_near?: U128String;
  over_cap?: boolean;
  network_stake_settled?: boolean;
}

/** One delayed-unstake bucket on the wire. */
export interface BucketView {
  /** A number from the contract; integrators may pass a decimal string. */
  unlock_epoch: number | string;
  amount: U128String;
}

/** The metapool's `get_contract_state()` view, as JSON (docs/ARCHITECTURE.md). */
export interface ContractStateView {
  total_staked_near: U128String;
  total_snear: U128String;
  liquidity: U128String;
  pool_snear: U128String;
  lp_shares: U128String;
  min_fee_bps: number | string;
  max_fee_bps: number | string;
  target_liquidity: U128String;
  treasury_cut_bps: number | string;
  epoch_height: number | string;
  block_height: number | string;
  block_timestamp_ms: number | string;
  reserve_near: U128String;
  pending_deposit_near: U128String;
  pending_unstake_near: U128String;
  // The fields below are what the metapool returns beyond a pool's quoting inputs (optional for
  // integrators that build a view by hand).
  retrieved_near?: U128String;
  owed_near?: U128String;
  pools_staked_near?: U128String;
  pools_unstaked_near?: U128String;
  /** NEAR coming back to the instant-exit pool from its own delayed unstake (LP value). */
  lp_unstaking_near?: U128String;
  /** That NEAR by unlock epoch: the pool's own unstake buckets (they sum to lp_unstaking_near). */
  lp_unstaking_schedule?: BucketView[];
  lockup_shares?: U128String;
  seed_snear?: U128String;
  ft_total_supply?: U128String;
  rounding_fund_near?: U128String;
  rewards_near?: U128String;
  losses_near?: U128String;
  /** NEAR unstaked at pools whose withdraw keeps failing: no longer counted as coming back. */
  stuck_near?: U128String;
  /** 'any': unstakes may join this epoch's at a pool; 'fresh': only at pools holding none. */
  unstake_mode?: 'any' | 'fresh';
  clock?: {
    epoch_length_blocks: number;
    epoch_margin_blocks: number;
    seen_epoch: number;
    seen_height: number;
    prev_seen_epoch: number;
    prev_seen_height: number;
  };
  pool_cap_near?: U128String;
  network_cap_near?: U128String;
  network_total_stake?: U128String;
  pending_changes?: Record<string, unknown>[];
  validators: ValidatorView[];
  params: {
    max_pool_share_bps: number;
    max_network_share_bps: number;
    unbonding_epochs: number;
    [name: string]: unknown;
  };
  /** The governance token's emission and accumulators (get_gov_state). */
  gov?: GovStateView;
  owner_id: string;
  governance_id: string;
  /** Who governs, the guardian, the timelock and the queue (get_governance). */
  governance?: GovernanceView;
  treasury_id: string;
  whitelist_id?: string;
}

/** A queued governance change as the metapool shows it. */
export interface QueuedChangeView {
  id: number;
  /** add_validator, set_weight, remove_validator, fee_params, lockup_suffixes, gov_emission,
   * gov_split, gov_token, set_guardian, set_governance, handover. */
  kind: string;
  /** The arguments of the method that queued it. */
  args: Record<string, unknown>;
  /** First epoch in which apply_changes applies it. */
  apply_epoch: number;
  [name: string]: unknown;
}

/** The metapool's `get_governance()` view (and `get_contract_state().governance`). */
export interface GovernanceView {
  /** The governance account (the DAO). */
  governance_id: string;
  owner_id: string;
  guardian_id: string | null;
  /** The owner handed every power to governance_id for good. */
  handed_over: boolean;
  /** Accounts that may queue changes now. */
  governed_by: string[];
  timelock_epochs: number;
  /** unbonding_epochs + 2: the timelock can never be shorter. */
  timelock_floor_epochs: number;
  deposits_paused: boolean;
  /** Who paused new deposits (the guardian or governance), null while open. */
  paused_by: string | null;
  epoch: number;
  queued: QueuedChangeView[];
}

/** The metapool's `get_gov_state()` view (and `get_contract_state().gov`). */
export interface GovStateView {
  /** The token contract, or null while none is set (nothing is emitted). */
  token_id: string | null;
  /** Launch time (unix seconds): the schedule's week 0 starts here. */
  start_seconds: number;
  /** Current rate per second, after decay and governance's multiplier (smallest GOV units). */
  rate_per_second: U128String;
  initial_rate_per_second: U128String;
  weekly_decay_bps: number;
  /** Governance's multiplier on the rest of the schedule (only ever lowered). */
  scale_bps: number;
  stakers_bps: number;
  lps_bps: number;
  emitted: U128String;
  total: U128String;
  remaining: U128String;
  acc_stake: U128String;
  acc_lp: U128String;
  precision: U128String;
  /** sNEAR shares that earn (every holder's and lockup's; not the pool's, not the treasury's). */
  eligible_shares: U128String;
  lp_shares: U128String;
  treasury_unclaimed: U128String;
  claimed: U128String;
  in_flight: U128String;
}

/** The fields of ContractStateView that poolStateFromContractView reads. */
export type PoolStateView = Pick<
  ContractStateView,
  | 'total_staked_near'
  | 'total_snear'
  | 'liquidity'
  | 'pool_snear'
  | 'lp_shares'
  | 'min_fee_bps'
  | 'max_fee_bps'
  | 'target_liquidity'
  | 'treasury_cut_bps'
  | 'lp_unstaking_near'
  | 'lp_unstaking_schedule'
>;

/** What one metapool `ping()` step did: its return value, or its callback's (the keeper reads it). */
export interface PingStep {
  /** `idle` when nothing is left to do; else the step (`sync`, `stake`, `unstake`, `withdraw` ...). */
  action: string;
  /** The staking pool a remote step called. */
  pool?: string;
  /** yoctoNEAR moved by the step, as a decimal string. */
  amount?: string;
  /** false when the pool call failed (only that operation waits for the next epoch there). */
  ok?: boolean;
  detail?: string;
}

/** The contract's `quote_liquid_unstake` view: LiquidUnstakeQuote in snake_case strings. */
export interface LiquidUnstakeQuoteView {
  snear_in: U128String;
  value_near: U128String;
  near_out: U128String;
  fee_near: U128String;
  fee_bps: string;
  treasury_snear: U128String;
}

const INTEGER_TEXT = /^(0|[1-9]\d{0,77})$/;

function parseU128(name: string, value: unknown): bigint {
  if (typeof value !== 'string' || !INTEGER_TEXT.test(value)) {
    throw new AmmError(
      'INVALID_STATE',
      `${name} must be a decimal string of a non-negative integer (got ${JSON.stringify(value)})`,
    );
  }
  return BigInt(value);
}

function parseBps(name: string, value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,5}$/.test(text)) {
    throw new AmmError(
      'INVALID_STATE',
      `${name} must be whole basis points (got ${JSON.stringify(value)})`,
    );
  }
  return Number(text);
}

function parseEpoch(name: string, value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^(0|[1-9]\d{0,14})$/.test(text)) {
    throw new AmmError(
      'INVALID_STATE',
      `${name} must be an epoch height (got ${JSON.stringify(value)})`,
    );
  }
  return Number(text);
}

/** Parse the metapool's get_contract_state view (or its pool fields) into a validated PoolState. */
export function poolStateFromContractView(view: PoolStateView): PoolState {
  if (typeof view !== 'object' || view === null) {
    throw new AmmError('INVALID_STATE', 'the contract state view must be a JSON object');
  }
  const state: PoolState = {
    totalStakedNear: parseU128('total_staked_near', view.total_staked_near),
    totalSnear: parseU128('total_snear', view.total_snear),
    liquidity: parseU128('liquidity', view.liquidity),
    poolSnear: parseU128('pool_snear', view.pool_snear),
    lpShares: parseU128('lp_shares', view.lp_shares),
    curve: {
      minFeeBps: parseBps('min_fee_bps', view.min_fee_bps),
      maxFeeBps: parseBps('max_fee_bps', view.max_fee_bps),
      targetLiquidity: parseU128('target_liquidity', view.target_liquidity),
    },
    treasuryCutBps: parseBps('treasury_cut_bps', view.treasury_cut_bps),
  };
  if (view.lp_unstaking_near !== undefined) {
    state.lpUnstakingNear = parseU128('lp_unstaking_near', view.lp_unstaking_near);
  }
  if (view.lp_unstaking_schedule !== undefined) {
    if (!Array.isArray(view.lp_unstaking_schedule)) {
      throw new AmmError('INVALID_STATE', 'lp_unstaking_schedule must be an array');
    }
    state.lpUnstakingSchedule = view.lp_unstaking_schedule.map((b, i) => ({
      unlockEpoch: parseEpoch(`lp_unstaking_schedule[${i}].unlock_epoch`, b?.unlock_epoch),
      near: parseU128(`lp_unstaking_schedule[${i}].amount`, b?.amount),
    }));
  }
  validatePoolState(state);
  return state;
}

/** The wire form of a quote, as the contract's quote_liquid_unstake view returns it. */
export function quoteToView(quote: LiquidUnstakeQuote): LiquidUnstakeQuoteView {
  return {
    snear_in: quote.snearIn.toString(),
    value_near: quote.valueNear.toString(),
    near_out: quote.nearOut.toString(),
    fee_near: quote.feeNear.toString(),
    fee_bps: String(quote.feeBps),
    treasury_snear: quote.treasurySnear.toString(),
  };
}

/** Parse a quote_liquid_unstake view back into a LiquidUnstakeQuote (throws INVALID_STATE). */
export function quoteFromView(view: LiquidUnstakeQuoteView): LiquidUnstakeQuote {
  if (typeof view !== 'object' || view === null) {
    throw new AmmError('INVALID_STATE', 'the quote view must be a JSON object');
  }
  return {
    snearIn: parseU128('snear_in', view.snear_in),
    valueNear: parseU128('value_near', view.value_near),
    nearOut: parseU128('near_out', view.near_out),
    feeNear: parseU128('fee_near', view.fee_near),
    feeBps: parseBps('fee_bps', view.fee_bps),
    treasurySnear: parseU128('treasury_snear', view.treasury_snear),
  };
}
