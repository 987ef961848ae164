/** Parameters of the instant-exit fee curve (PROTOCOL §3). */
export interface FeeCurve {
  /** Marginal fee at liquidity >= targetLiquidity, in bps (integer, 0..maxFeeBps). */
  minFeeBps: number;
  /** Marginal fee at zero liquidity, in bps (integer, <= 1000). */
  maxFeeBps: number;
  /** Liquidity T (yoctoNEAR, > 0) at and above which the marginal fee is minFeeBps. */
  targetLiquidity: bigint;
}

/** Everything the quotes read: the metapool's share price and the instant-exit pool. */
export interface PoolState {
  /** NEAR (yocto) backing all sNEAR. */
  totalStakedNear: bigint;
  /** sNEAR supply (yocto). */
  totalSnear: bigint;
  /** NEAR (yocto) in the instant-exit pool. */
  liquidity: bigint;
  /** sNEAR (yocto) held by the instant-exit pool. */
  poolSnear: bigint;
  /** LP shares outstanding. */
  lpShares: bigint;
  /** The fee curve. */
  curve: FeeCurve;
  /** Share of each swap fee that goes to the treasury, in bps (integer, <= 5000). */
  treasuryCutBps: number;
  /**
   * NEAR (yocto) the pool is getting back from its own delayed unstake (the contract's
   * `lp_unstaking_near`): counted as pool NEAR when pricing LP shares, paid pro rata on removal
   * as delayed NEAR. Absent means 0.
   */
  lpUnstakingNear?: bigint;
  /**
   * That NEAR by unlock epoch (the pool's own unstake buckets), when known: removal then splits
   * each bucket pro rata, rounded down, as the contract does. Its sum must be lpUnstakingNear.
   */
  lpUnstakingSchedule?: UnstakeBucket[];
}

/** NEAR (yocto) unstaked and the epoch from which it can be withdrawn. */
export interface UnstakeBucket {
  unlockEpoch: number;
  near: bigint;
}

/** Result of a liquid unstake (selling sNEAR to the pool for NEAR now). */
export interface LiquidUnstakeQuote {
  /** sNEAR (yocto) the user pays. */
  snearIn: bigint;
  /** Its NEAR value at the share price: snearToNear(snearIn). */
  valueNear: bigint;
  /** NEAR (yocto) the user receives. */
  nearOut: bigint;
  /** valueNear - nearOut. */
  feeNear: bigint;
  /** Effective fee: floor(feeNear * 10000 / nearOut), capped at 10000; see README. */
  feeBps: number;
  /** sNEAR (yocto) of snearIn that goes to the treasury. */
  treasurySnear: bigint;
}

/** Result of deposit_and_stake (PROTOCOL §5). */
export interface StakeQuote {
  /** sNEAR (yocto) the user receives: fromPoolSnear + mintedSnear. */
  snearOut: bigint;
  /** NEAR (yocto) of the deposit that buys the pool's sNEAR. */
  fromPoolNear: bigint;
  /** sNEAR (yocto) the pool gives the user for fromPoolNear. */
  fromPoolSnear: bigint;
  /** sNEAR (yocto) newly minted for the rest of the deposit. */
  mintedSnear: bigint;
}

/** Result of adding NEAR liquidity (PROTOCOL §4). */
export interface AddLiquidityQuote {
  /** LP shares minted to the provider. */
  lpShares: bigint;
}

/** Result of burning LP shares (PROTOCOL §4). */
export interface RemoveLiquidityQuote {
  /** NEAR (yocto) paid out. */
  nearOut: bigint;
  /** sNEAR (yocto) paid out. */
  snearOut: bigint;
  /** NEAR (yocto) of the pool's own delayed unstake credited to the provider (withdrawn later). */
  unstakingNear: bigint;
  /** unstakingNear by unlock epoch; empty when the pool's schedule is unknown or nothing is due. */
  unstaking: UnstakeBucket[];
}

/** One sample of the marginal fee curve, for charts. */
export interface FeeCurvePoint {
  /** Pool NEAR liquidity (yocto). */
  liquidity: bigint;
  /** Marginal fee there, in bps (display precision: 6 decimals, rounded down). */
  feeBps: number;
}
