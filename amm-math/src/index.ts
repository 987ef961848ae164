// @snear/amm-math: the exact curve and share math shared by the metapool contract, the quote API
// and outside users (PROTOCOL §1–§5). Every amount is a bigint of yocto.

export type { ArbitrageOpportunity } from './arbitrage';
export { arbitrageLiquidUnstake, externalCost } from './arbitrage';
export { ceilDiv, isqrt } from './bigmath';
export {
  BPS_DENOMINATOR,
  MAX_FEE_BPS_CAP,
  MAX_TREASURY_CUT_BPS,
  NEAR_DECIMALS,
  U128_MAX,
  YOCTO_PER_NEAR,
} from './constants';
export {
  feeCurvePoints,
  marginalFeeBps,
  maxValueNear,
  nearOutForValue,
  valueForNearOut,
} from './curve';
export { formatNear, parseNear } from './decimal';
export type { EmissionSchedule, GovEarnings } from './emission';
export {
  emittedAfter,
  govEarningsPerDay,
  rateAfter,
  totalEmission,
  WEEK_SECONDS,
} from './emission';
export type { AmmErrorCode } from './errors';
export { AmmError, isAmmError } from './errors';
export {
  applyLiquidUnstake,
  maxSellableSnear,
  quoteLiquidUnstake,
  quoteLiquidUnstakeExactOut,
} from './liquid-unstake';
export {
  applyAddLiquidity,
  applyRemoveLiquidity,
  quoteAddLiquidity,
  quoteRemoveLiquidity,
} from './liquidity';
export { nearToSnear, snearForValueCeil, snearToNear } from './price';
export { referenceNearOut, referenceQuoteLiquidUnstake } from './reference';
export { applyStake, quoteStake } from './stake';
export type {
  AddLiquidityQuote,
  FeeCurve,
  FeeCurvePoint,
  LiquidUnstakeQuote,
  PoolState,
  RemoveLiquidityQuote,
  StakeQuote,
  UnstakeBucket,
} from './types';
export { validateCurve, validatePoolState } from './validate';
export type {
  BucketView,
  ContractStateView,
  GovernanceView,
  GovStateView,
  LiquidUnstakeQuoteView,
  PingStep,
  PoolStateView,
  QueuedChangeView,
  U128String,
  ValidatorView,
} from './view';
export { poolStateFromContractView, quoteFromView, quoteToView } from './view';
