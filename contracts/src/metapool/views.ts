// Read-only views for wallets, lockups, front-ends and explorers. All u128 as decimal strings.
import type { ContractStateView, ValidatorView } from '@snear/amm-math';
import { near } from 'near-sdk-js';
import { currentEpoch, isLockup } from './accounts';
import { parseAccountId, parseInteger } from './args';
import {
  type BasketContext,
  capExcess,
  isStuck,
  networkCap,
  networkStakeSettled,
  poolCap,
  roomUnderCaps,
  targetOf,
} from './basket';
import { govState } from './gov';
import { unstakeNeed } from './ledger';
import { basketContext } from './maintenance';
import { nearValueOf } from './math';
import { lastUnlockEpoch, maturedUnstaked, totalUnstaked } from './schedule';
import type { MetapoolState } from './state';
import { accountCount, accountIdsAt, readAccount, readValidators } from './storage';
import { governanceView, pendingChanges, timelockOf } from './timelock';
import { BPS, LP_POOL_ACCOUNT, ONE_NEAR, type ValidatorRecord } from './types';
import { withdrawableNow } from './unstake';

function accountOf(args: Record<string, unknown>) {
  const accountId = parseAccountId('account_id', args.account_id);
  return { accountId, acc: readAccount(accountId) };
}

/** Staking-pool view: NEAR value of the account's sNEAR (rounded down). */
export function stakedBalance(st: MetapoolState, args: Record<string, unknown>): string {
  const { acc } = accountOf(args);
  return (acc === null ? 0n : nearValueOf(st, acc.shares)).toString();
}

/** Staking-pool view: NEAR in the account's unstake buckets (waiting or withdrawable). */
export function unstakedBalance(args: Record<string, unknown>): string {
  const { acc } = accountOf(args);
  return (acc === null ? 0n : totalUnstaked(acc.buckets)).toString();
}

/** Staking-pool view: staked + unstaked. */
export function totalBalance(st: MetapoolState, args: Record<string, unknown>): string {
  const { acc } = accountOf(args);
  if (acc === null) return '0';
  return (nearValueOf(st, acc.shares) + totalUnstaked(acc.buckets)).toString();
}

/** Staking-pool view: true when the whole unstaked balance can be withdrawn now. */
export function unstakedAvailable(st: MetapoolState, args: Record<string, unknown>): boolean {
  const { acc } = accountOf(args);
  if (acc === null) return true;
  const total = totalUnstaked(acc.buckets);
  return withdrawableNow(st, acc, currentEpoch()) === total;
}

/** Staking-pool view `get_account`. */
export function stakingAccount(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const { accountId, acc } = accountOf(args);
  const staked = acc === null ? 0n : nearValueOf(st, acc.shares);
  const unstaked = acc === null ? 0n : totalUnstaked(acc.buckets);
  const canWithdraw = acc === null || withdrawableNow(st, acc, currentEpoch()) === unstaked;
  return {
    account_id: accountId,
    unstaked_balance: unstaked.toString(),
    staked_balance: staked.toString(),
    can_withdraw: canWithdraw,
  };
}

/** `get_account_unstake_schedule({ account_id })`: each bucket with its unlock epoch. */
export function unstakeSchedule(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const { accountId, acc } = accountOf(args);
  const epoch = currentEpoch();
  const buckets = acc === null ? [] : acc.buckets;
  return {
    account_id: accountId,
    epoch_height: epoch,
    total: totalUnstaked(buckets).toString(),
    withdrawable_now: acc === null ? '0' : withdrawableNow(st, acc, epoch).toString(),
    buckets: buckets.map((b) => ({
      unlock_epoch: b.unlockEpoch,
      amount: b.near.toString(),
      matured: b.unlockEpoch <= epoch,
    })),
  };
}

/** `get_account_info({ account_id })`: everything a front-end shows for one account. */
export function accountInfo(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const { accountId, acc } = accountOf(args);
  const epoch = currentEpoch();
  const shares = acc === null ? 0n : acc.shares;
  const staked = nearValueOf(st, shares);
  const unstaked = acc === null ? 0n : totalUnstaked(acc.buckets);
  return {
    account_id: accountId,
    registered: acc !== null,
    is_lockup: isLockup(st, accountId, acc),
    snear: shares.toString(),
    transferable_snear: isLockup(st, accountId, acc) ? '0' : shares.toString(),
    staked_near: staked.toString(),
    unstaked_near: unstaked.toString(),
    matured_unstaked_near: acc === null ? '0' : maturedUnstaked(acc.buckets, epoch).toString(),
    withdrawable_near: acc === null ? '0' : withdrawableNow(st, acc, epoch).toString(),
    unlock_epoch: acc === null ? 0 : lastUnlockEpoch(acc.buckets),
    lp_shares: (acc === null ? 0n : acc.lp).toString(),
    total_near: (staked + unstaked).toString(),
  };
}

/** One validator of get_contract_state: records, target, caps and how far it is above them. */
function validatorView(
  v: ValidatorRecord,
  vs: ValidatorRecord[],
  ctx: BasketContext,
): ValidatorView {
  const over = capExcess(v, ctx);
  return {
    account_id: v.accountId,
    weight: v.weight,
    staked: v.staked.toString(),
    unstaked: v.unstaked.toString(),
    target: targetOf(v, vs, ctx.ownStakeNear).toString(),
    max_stake: (v.staked + roomUnderCaps(v, ctx)).toString(),
    unstake_unlock_epoch: v.unlockEpoch,
    timer_pending: v.unstaked > 0n && v.unlockEpoch > ctx.epoch,
    last_sync_epoch: v.lastSyncEpoch,
    in_flight: v.inFlight,
    failed_epoch: Math.max(v.failed.sync, v.failed.stake, v.failed.unstake, v.failed.withdraw),
    failed: { ...v.failed },
    stuck: isStuck(v, ctx.epoch),
    network_stake: ctx.validatorStake(v.accountId).toString(),
    pool_excess_near: over.pool.toString(),
    network_excess_near: over.network.toString(),
    over_cap: over.pool > 0n || over.network > 0n,
    network_stake_settled: networkStakeSettled(v, ctx.epoch),
  };
}

/** `get_contract_state()`: PoolState fields plus basket, buffers and parameters (ARCHITECTURE.md). */
export function contractState(st: MetapoolState): ContractStateView {
  const epoch = currentEpoch();
  const vs = readValidators();
  const ctx = basketContext(st, epoch);
  const lpPool = readAccount(LP_POOL_ACCOUNT);
  return {
    total_staked_near: st.totalStakedNear.toString(),
    total_snear: st.totalSnear.toString(),
    liquidity: st.liquidity.toString(),
    pool_snear: st.poolSnear.toString(),
    lp_shares: st.lpShares.toString(),
    min_fee_bps: st.minFeeBps,
    max_fee_bps: st.maxFeeBps,
    target_liquidity: st.targetLiquidity.toString(),
    treasury_cut_bps: st.treasuryCutBps,
    epoch_height: epoch,
    block_height: near.blockHeight().toString(),
    block_timestamp_ms: (near.blockTimestamp() / 1_000_000n).toString(),
    reserve_near: st.reserveNear.toString(),
    pending_deposit_near: st.reserveNear.toString(),
    pending_unstake_near: unstakeNeed(st).toString(),
    retrieved_near: st.retrievedNear.toString(),
    owed_near: st.owedNear.toString(),
    pools_staked_near: st.poolsStakedNear.toString(),
    pools_unstaked_near: st.poolsUnstakedNear.toString(),
    lp_unstaking_near: st.lpUnstakingNear.toString(),
    lp_unstaking_schedule: (lpPool === null ? [] : lpPool.buckets).map((b) => ({
      unlock_epoch: b.unlockEpoch,
      amount: b.near.toString(),
    })),
    stuck_near: st.stuckNear.toString(),
    unstake_mode: ctx.unstakeMode,
    clock: {
      epoch_length_blocks: st.epochLengthBlocks,
      epoch_margin_blocks: st.epochMarginBlocks,
      seen_epoch: st.seenEpoch,
      seen_height: st.seenHeight,
      prev_seen_epoch: st.prevSeenEpoch,
      prev_seen_height: st.prevSeenHeight,
    },
    lockup_shares: st.lockupShares.toString(),
    seed_snear: st.seedSnear.toString(),
    ft_total_supply: (st.totalSnear - st.lockupShares).toString(),
    rounding_fund_near: st.roundingFundNear.toString(),
    rewards_near: st.rewardsNear.toString(),
    losses_near: st.lossesNear.toString(),
    validators: vs.map((v) => validatorView(v, vs, ctx)),
    pool_cap_near: poolCap(ctx).toString(),
    network_cap_near: networkCap(ctx).toString(),
    network_total_stake: ctx.networkTotalStake.toString(),
    pending_changes: pendingChanges(),
    params: {
      max_pool_share_bps: st.maxPoolShareBps,
      max_network_share_bps: st.maxNetworkShareBps,
      unbonding_epochs: st.unbondingEpochs,
      timelock_epochs: timelockOf(st),
      reward_fee_bps: st.rewardFeeBps,
      min_stake_near: st.minStakeNear.toString(),
      min_first_deposit_near: st.minFirstDepositNear.toString(),
      self_unstake_threshold_near: st.selfUnstakeThresholdNear.toString(),
      lockup_suffixes: st.lockupSuffixes,
      bps_denominator: Number(BPS),
    },
    gov: govState(st),
    owner_id: st.ownerId,
    governance_id: st.governanceId,
    governance: governanceView(st),
    treasury_id: st.treasuryId,
    whitelist_id: st.whitelistId,
  };
}

/** `get_number_of_accounts()`: registered accounts (core-contracts' staking-pool view). */
export function numberOfAccounts(): number {
  return accountCount();
}

/**
 * `get_accounts({ from_index, limit })`: `get_account` of each registered account in index order
 * (core-contracts' staking-pool view; at most 100 a call).
 */
export function accounts(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown>[] {
  const from = parseInteger('from_index', args.from_index, 0, Number.MAX_SAFE_INTEGER);
  const limit = parseInteger('limit', args.limit, 0, 100);
  return accountIdsAt(from, limit).map((id) => stakingAccount(st, { account_id: id }));
}

/**
 * `get_total_staked_balance()`: all NEAR under management, as a staking pool's total: stake
 * (total_staked_near), NEAR owed to delayed unstakes, and the instant-exit pool's liquidity.
 */
export function totalUnderManagement(st: MetapoolState): bigint {
  return st.totalStakedNear + st.owedNear + st.liquidity;
}

/** `ft_price()`: yoctoNEAR per 1 sNEAR (10^24 of its smallest unit), rounded down. */
export function ftPrice(st: MetapoolState): string {
  return nearValueOf(st, ONE_NEAR).toString();
}

/**
 * `get_stake_distribution()`: where every NEAR under management is, so a metapool whose own
 * account balance looks low explains itself: at each validator (staked, unstaked), and in this
 * contract (reserve to delegate, retrieved for withdrawals, instant-exit liquidity, rounding fund).
 */
export function stakeDistribution(st: MetapoolState): Record<string, unknown> {
  return {
    total_near: totalUnderManagement(st).toString(),
    at_validators_near: (st.poolsStakedNear + st.poolsUnstakedNear).toString(),
    in_contract: {
      reserve_near: st.reserveNear.toString(),
      retrieved_near: st.retrievedNear.toString(),
      liquidity_near: st.liquidity.toString(),
      rounding_fund_near: st.roundingFundNear.toString(),
    },
    validators: readValidators().map((v) => ({
      account_id: v.accountId,
      weight: v.weight,
      staked_near: v.staked.toString(),
      unstaked_near: v.unstaked.toString(),
      unstaked_available_epoch: v.unlockEpoch,
    })),
  };
}
