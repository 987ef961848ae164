/** Basis points in 100%: every fee and cut is a count of 1/10,000. */
export const BPS_DENOMINATOR = 10_000;

/** Basis points in 100% as a bigint, for money math. */
export const BPS_DENOMINATOR_BIG = 10_000n;

/** Hard cap on the curve's maximum fee (PROTOCOL §3): 10%. */
export const MAX_FEE_BPS_CAP = 1_000;

/** Hard cap on the treasury's cut of the swap fee (PROTOCOL §3): 50%. */
export const MAX_TREASURY_CUT_BPS = 5_000;

/** Decimal places of NEAR and sNEAR (1 NEAR = 10^24 yoctoNEAR). */
export const NEAR_DECIMALS = 24;

/** yoctoNEAR in one NEAR. */
export const YOCTO_PER_NEAR = 10n ** 24n;

/** Largest u128, the contract's amount type: no amount or state field may exceed it. */
export const U128_MAX = (1n << 128n) - 1n;
