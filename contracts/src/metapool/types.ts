// Records the metapool keeps, and its constants. Pure types: no near-sdk-js import, so the pure
// modules (basket.ts, schedule.ts) can be unit-tested in Node.

/** Gas unit: 1 Tgas. */
export const TGAS = 1_000_000_000_000n;
/** yoctoNEAR in one NEAR. */
export const ONE_NEAR = 10n ** 24n;
/** Basis points in 100%. */
export const BPS = 10_000n;
/** Most validators the basket may hold (bounds every loop over the list). */
export const MAX_VALIDATORS = 32;
/**
 * Most unstake buckets one account record holds (bounds the record). Buckets sharing an unlock
 * epoch merge, and so do matured ones, so a record never runs out: see schedule.addBucket.
 */
export const MAX_BUCKETS = 12;
/**
 * Epochs after its unlock epoch that NEAR still unstaked at a pool (its `withdraw` keeps failing)
 * counts as coming back; after that the need is unstaked from other pools (PROTOCOL §11.5).
 */
export const STUCK_GRACE_EPOCHS = 2;
/** Internal account id of the instant-exit pool's own delayed unstakes (§5 self-unstake). */
export const LP_POOL_ACCOUNT = '#lp';

/** One delayed-unstake bucket: NEAR owed to an account, withdrawable from `unlockEpoch` (§8). */
export interface Bucket {
  unlockEpoch: number;
  near: bigint;
}

/** Per-account record, stored under its own key (never inside STATE). */
export interface AccountRecord {
  /** sNEAR shares: transferable, or non-transferable for lockup accounts (§9). */
  shares: bigint;
  /** LP shares of the instant-exit pool. */
  lp: bigint;
  /** Delayed-unstake buckets, one per unlock epoch. */
  buckets: Bucket[];
  /** NEAR paid through storage_deposit (NEP-145); 0 for auto-registered stakers. */
  storagePaid: bigint;
  /**
   * A lockup account (§9): its shares are counted in `lockupShares`, never transferable. Set from
   * the lockup suffixes when the record is created, and again whenever it holds nothing and
   * deposits, so the aggregates stay exact when governance changes the suffixes.
   */
  lockup: boolean;
  /** Governance-token accumulators (gov.ts) as of this record's last settle. */
  govPaidStake: bigint;
  govPaidLp: bigint;
  /** Governance tokens accrued to this account and not claimed yet. */
  govUnclaimed: bigint;
  /** Where this account's accrual goes instead (a contract holding sNEAR for its users), or null. */
  govBeneficiary: string | null;
}

/** One validator staking pool in the basket. `staked`/`unstaked` mirror the pool's view of us. */
export interface ValidatorRecord {
  accountId: string;
  /** Relative weight; 0 = being drained (removed or paused). */
  weight: number;
  staked: bigint;
  unstaked: bigint;
  /** The pool's `unstaked_available_epoch_height` for our account, as set by our last unstake. */
  unlockEpoch: number;
  /** Epoch of our last unstake call there (a second unstake in that same epoch keeps the timer). */
  lastUnstakeEpoch: number;
  /** Epoch of the last reward sync. */
  lastSyncEpoch: number;
  /** A remote call to this pool is in flight: the pool (only it) is locked. */
  inFlight: boolean;
  /** Latest epoch of `addedNear`: our delegations validator_stake may not show yet. */
  addedEpoch: number;
  addedNear: bigint;
  /**
   * Epoch of the last failure of each remote operation: maintenance skips that operation (only
   * that one) at this pool for the rest of the epoch.
   */
  failed: Record<PoolOp, number>;
}

/** The remote operations maintenance runs at a staking pool. */
export type PoolOp = 'sync' | 'stake' | 'unstake' | 'withdraw';

/** What a timelocked change does (governance.ts and validators.ts queue them). */
export type ChangeKind =
  | 'add_validator'
  | 'set_weight'
  | 'remove_validator'
  | 'fee_params'
  | 'lockup_suffixes'
  | 'gov_emission'
  | 'gov_split'
  | 'gov_token'
  | 'set_guardian'
  | 'set_governance'
  | 'handover';

/** A timelocked governance change (§7, §3 fee parameters). */
export interface PendingChange {
  id: number;
  kind: ChangeKind;
  /** The validator, or the new guardian / governance / governance-token account ('' = none). */
  accountId: string;
  /** The validator weight, or the bps of `gov_emission` (scale) and `gov_split` (stakers). */
  weight: number;
  fees: FeeParams | null;
  /** The new lockup suffix list (kind `lockup_suffixes`), else null. */
  suffixes: string[] | null;
  /** Epoch from which it may be applied. */
  eta: number;
}

/** Fee parameters of the instant-exit pool and the protocol fee (changed by timelock). */
export interface FeeParams {
  minFeeBps: number;
  maxFeeBps: number;
  targetLiquidity: bigint;
  treasuryCutBps: number;
  rewardFeeBps: number;
}

/** The smaller of two amounts (Math.min does not take bigints). */
export function minAmount(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The larger of two amounts. */
export function maxAmount(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
