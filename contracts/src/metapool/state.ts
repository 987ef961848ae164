// The STATE blob (read and written whole on every call): scalars, aggregates and the short list of
// lockup suffixes live here.
// Per-account data and the validator list live under their own storage keys (storage.ts).

/** Every field of the contract object, so modules take the state without importing the class. */
export interface MetapoolState {
  ownerId: string;
  governanceId: string;
  /**
   * The guardian (or governance) account that paused new deposits (deposit, deposit_and_stake,
   * add_liquidity), '' while they are open; exits never pause. The guardian itself and the
   * handover flag are in roles.ts (only governance calls read them).
   */
  pausedBy: string;
  treasuryId: string;
  whitelistId: string;
  /**
   * Account-id suffixes of lockup (vesting) accounts (§9), e.g. `.lockup.near`; governance changes
   * them through the timelock. An account's class is fixed in its record when it starts holding.
   */
  lockupSuffixes: string[];

  // sNEAR share price (§2)
  totalStakedNear: bigint;
  totalSnear: bigint;
  /** Part of totalSnear held by lockup accounts (not transferable, not in ft_total_supply). */
  lockupShares: bigint;
  /** Locked seed supply owned by nobody (§2), counted in the contract's own ft balance. */
  seedSnear: bigint;

  // instant-exit pool (§3, §4)
  liquidity: bigint;
  poolSnear: bigint;
  lpShares: bigint;
  /** NEAR the pool is getting back by its own delayed unstake (part of the LPs' value). */
  lpUnstakingNear: bigint;
  minFeeBps: number;
  maxFeeBps: number;
  targetLiquidity: bigint;
  treasuryCutBps: number;
  /** Protocol fee on staking rewards, minted as sNEAR to the treasury (§10). */
  rewardFeeBps: number;
  /** Pool self-unstakes when its sNEAR is worth at least this (§5). */
  selfUnstakeThresholdNear: bigint;
  lastSelfUnstakeEpoch: number;

  // where the staked-side NEAR is; identity: poolsStaked + poolsUnstaked + reserve + retrieved
  //                                           == totalStakedNear + owedNear
  /** NEAR in the contract waiting to be delegated. */
  reserveNear: bigint;
  /** NEAR in the contract set aside for delayed unstakes (withdrawn from pools or netted). */
  retrievedNear: bigint;
  /** NEAR owed to every unstake bucket (users, lockups, the pool's self-unstake). */
  owedNear: bigint;
  poolsStakedNear: bigint;
  poolsUnstakedNear: bigint;

  // basket parameters (§7, §8)
  maxPoolShareBps: number;
  maxNetworkShareBps: number;
  unbondingEpochs: number;
  timelockEpochs: number;
  /** Smallest delegation ping makes (staking pools reject dust). */
  minStakeNear: bigint;
  /** Smallest deposit from an account that is not registered yet (its storage is on us). */
  minFirstDepositNear: bigint;
  /** Deposits made in `depositEpoch` (the self-unstake waits while deposits clear the pool). */
  depositEpoch: number;
  depositEpochNear: bigint;

  /**
   * NEAR (in the contract, outside every other bucket) that covers the few yocto a staking pool's
   * share rounding takes on our deposits and unstakes, so the share price does not dip for it.
   */
  roundingFundNear: bigint;

  /** NEAR unstaked at pools whose `withdraw` keeps failing past STUCK_GRACE_EPOCHS (basket.isStuck). */
  stuckNear: bigint;

  // the epoch clock (§6): an epoch spans at least epochLengthBlocks heights, so the last height
  // seen in an earlier epoch bounds the current epoch's end from below (basket.unstakeModeAt)
  epochLengthBlocks: number;
  /** Blocks before the epoch's end in which no unstake starts (its receipts must land in the epoch). */
  epochMarginBlocks: number;
  /** Epoch and last block height of the latest call seen, and of the latest in an earlier epoch. */
  seenEpoch: number;
  seenHeight: number;
  prevSeenEpoch: number;
  prevSeenHeight: number;

  // governance token (§12, gov.ts): a public emission schedule and two reward-per-share
  // accumulators, over eligible sNEAR (every record but the treasury's) and over LP shares
  govTokenId: string;
  govStartSeconds: number;
  govRatePerSecond: bigint;
  govDecayBps: number;
  /** Governance's multiplier on the schedule (bps, only ever lowered). */
  govScaleBps: number;
  /** Emitted, and the schedule's raw emission, when the multiplier last changed. */
  govEmittedBase: bigint;
  govRawBase: bigint;
  /** Emitted as of the last update, and that update's time (seconds). */
  govEmitted: bigint;
  govUpdatedAt: number;
  govStakersBps: number;
  govAccStake: bigint;
  govAccLp: bigint;
  /** Remainders of the accumulator divisions (in GOV x PRECISION), carried to the next update. */
  govCarryStake: bigint;
  govCarryLp: bigint;
  /** Σ sNEAR shares of eligible records. */
  govEligibleShares: bigint;
  /** Emission nobody was eligible for, the treasury's to claim. */
  govTreasury: bigint;
  /** Minted to claimers; and debts zeroed whose mint has not resolved yet. */
  govClaimed: bigint;
  govInFlight: bigint;

  // bookkeeping for views and audits
  rewardsNear: bigint;
  lossesNear: bigint;
  nextChangeId: number;
}
