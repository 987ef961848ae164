import { ensure } from '../whitelist/account-id';

// "Stake" share math of the core-contracts staking pool. Share price = total_staked / total_shares
// and never falls through rounding: whatever a delegator is owed is rounded against them, and the
// pool's guarantee fund absorbs the (at most 1 yocto per operation) difference.

/** Shares worth `amount`, rounded down (what a staker receives). */
export function sharesFromAmountFloor(
  amount: bigint,
  totalShares: bigint,
  totalStaked: bigint,
): bigint {
  ensure(totalStaked > 0n, "The total staked balance can't be 0");
  return (totalShares * amount) / totalStaked;
}

/** Shares worth `amount`, rounded up (what an unstaker burns). */
export function sharesFromAmountCeil(
  amount: bigint,
  totalShares: bigint,
  totalStaked: bigint,
): bigint {
  ensure(totalStaked > 0n, "The total staked balance can't be 0");
  return (totalShares * amount + totalStaked - 1n) / totalStaked;
}

/** Staked amount of `shares`, rounded down. */
export function amountFromSharesFloor(
  shares: bigint,
  totalShares: bigint,
  totalStaked: bigint,
): bigint {
  ensure(totalShares > 0n, "The total number of stake shares can't be 0");
  return (totalStaked * shares) / totalShares;
}

/** Staked amount of `shares`, rounded up. */
export function amountFromSharesCeil(
  shares: bigint,
  totalShares: bigint,
  totalStaked: bigint,
): bigint {
  ensure(totalShares > 0n, "The total number of stake shares can't be 0");
  return (totalStaked * shares + totalShares - 1n) / totalShares;
}
