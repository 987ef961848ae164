// The ledger: the one place the money totals change (a lint-level test holds every other file to
// reading them), in the style of Uniswap v2's `_update` and core-contracts' `internal_stake`. Each
// transition moves NEAR and shares between named buckets so that, at the end of every call,
//   poolsStakedNear + poolsUnstakedNear + reserveNear + retrievedNear == totalStakedNear + owedNear
// (assertBooks, run by the state serializer before every write). Instant-exit pool numbers are
// applied through amm-math's own apply* functions, so quotes and the chain agree by construction.
import {
  type AddLiquidityQuote,
  applyAddLiquidity,
  applyLiquidUnstake,
  applyRemoveLiquidity,
  applyStake,
  type LiquidUnstakeQuote,
  type PoolState,
  type RemoveLiquidityQuote,
  type StakeQuote,
} from '@snear/amm-math';
import { near } from 'near-sdk-js';
import {
  currentEpoch,
  isLockup,
  requireAccount,
  saveAccount,
  sendNear,
  syncLockupClass,
} from './accounts';
import { type ErrorCode, fail } from './errors';
import { emitBurn, emitMint, emitProtocol, emitTransfer } from './events';
import { adjustEligible, settleGov } from './gov';
import { poolState, sharesOf } from './math';
import { logRewards } from './pool-logs';
import { addBucket, splitProRata, takeLatest, takeMatured } from './schedule';
import type { MetapoolState } from './state';
import { emptyAccount, readAccount } from './storage';
import { type AccountRecord, BPS, LP_POOL_ACCOUNT, minAmount, type ValidatorRecord } from './types';

/** Largest balance drop treated as staking-pool share rounding rather than a loss. */
const ROUNDING_DUST_NEAR = 1_000_000n;

// ---- books ---------------------------------------------------------------------------------

/** E_INTERNAL unless the NEAR identity holds and no total is negative (run before every write). */
export function assertBooks(st: MetapoolState): void {
  const held = st.poolsStakedNear + st.poolsUnstakedNear + st.reserveNear + st.retrievedNear;
  if (held !== st.totalStakedNear + st.owedNear) {
    fail(
      'E_INTERNAL',
      `books out of balance: pools ${st.poolsStakedNear}+${st.poolsUnstakedNear}, reserve ` +
        `${st.reserveNear}, retrieved ${st.retrievedNear} vs staked ${st.totalStakedNear} + owed ${st.owedNear}`,
    );
  }
  if (
    st.reserveNear < 0n ||
    st.retrievedNear < 0n ||
    st.owedNear < 0n ||
    st.liquidity < 0n ||
    st.poolSnear < 0n ||
    st.lpUnstakingNear < 0n ||
    st.lpUnstakingNear > st.owedNear ||
    st.roundingFundNear < 0n
  ) {
    fail('E_INTERNAL', 'a money total went negative; the call is refused');
  }
}

/**
 * NEAR still to be unstaked from validators to cover every bucket and `extra` more owed (0 when
 * covered): what is owed beyond the NEAR back in the contract, coming back from pools (not stuck)
 * and, for `extra`, the reserve that netting would use first.
 */
export function unstakeNeed(st: MetapoolState, extra = 0n): bigint {
  const coming = st.poolsUnstakedNear - st.stuckNear;
  let need = st.owedNear - st.retrievedNear - coming;
  if (extra > 0n) need += extra - st.reserveNear;
  return need > 0n ? need : 0n;
}

/**
 * Netting (§8): reserve NEAR covers unstakes before any validator is called, and NEAR set aside
 * beyond what is owed goes back to the reserve. Keeps reserve + retrieved unchanged.
 */
export function settleBuffers(st: MetapoolState): void {
  const need = unstakeNeed(st);
  if (need > 0n && st.reserveNear > 0n) {
    const x = minAmount(need, st.reserveNear);
    st.reserveNear -= x;
    st.retrievedNear += x;
  }
  if (st.retrievedNear > st.owedNear) {
    st.reserveNear += st.retrievedNear - st.owedNear;
    st.retrievedNear = st.owedNear;
  }
}

/** Sets the NEAR at stuck pools (basket.stuckNear), which no longer counts as coming back. */
export function setStuckNear(st: MetapoolState, stuck: bigint): void {
  st.stuckNear = stuck;
  settleBuffers(st);
}

// ---- shares --------------------------------------------------------------------------------

// Every change of an account's shares or LP shares settles its governance-token accrual first.

function creditShares(st: MetapoolState, accountId: string, acc: AccountRecord, shares: bigint) {
  settleGov(st, accountId, acc);
  syncLockupClass(st, accountId, acc);
  acc.shares += shares;
  adjustEligible(st, accountId, shares);
  if (acc.lockup) st.lockupShares += shares;
}

function debitShares(st: MetapoolState, accountId: string, acc: AccountRecord, shares: bigint) {
  if (acc.shares < shares) {
    fail('E_INSUFFICIENT_BALANCE', `${accountId} holds ${acc.shares} yocto sNEAR, needs ${shares}`);
  }
  settleGov(st, accountId, acc);
  acc.shares -= shares;
  adjustEligible(st, accountId, -shares);
  if (acc.lockup) st.lockupShares -= shares;
}

function creditLp(st: MetapoolState, accountId: string, acc: AccountRecord, shares: bigint) {
  settleGov(st, accountId, acc);
  acc.lp += shares;
}

function debitLp(st: MetapoolState, accountId: string, acc: AccountRecord, shares: bigint) {
  if (acc.lp < shares) {
    fail(
      'E_INSUFFICIENT_LP_SHARES',
      `${accountId} holds ${acc.lp} LP shares, cannot use ${shares}`,
    );
  }
  settleGov(st, accountId, acc);
  acc.lp -= shares;
}

/**
 * Moves `amount` of sNEAR shares or LP shares between two records (a transfer, an LP transfer, an
 * ft_transfer_call refund); the caller checked who may send and receive, and writes both records.
 */
export function moveShares(
  st: MetapoolState,
  field: 'shares' | 'lp',
  senderId: string,
  sender: AccountRecord,
  receiverId: string,
  receiver: AccountRecord,
  amount: bigint,
): void {
  if (field === 'shares') {
    debitShares(st, senderId, sender, amount);
    creditShares(st, receiverId, receiver, amount);
  } else {
    debitLp(st, senderId, sender, amount);
    creditLp(st, receiverId, receiver, amount);
  }
}

/**
 * Moves `amount` of an account's sNEAR shares or LP shares to another registered account: the one
 * place both token transfers (NEP-141 and LP) change balances.
 */
export function moveHolding(
  st: MetapoolState,
  field: 'shares' | 'lp',
  senderId: string,
  receiverId: string,
  amount: bigint,
  unit: string,
  insufficientCode: ErrorCode,
): void {
  // Holdings move only between regular accounts (§9).
  const refuseLockup = (id: string, acc: AccountRecord | null) => {
    if (isLockup(st, id, acc)) {
      fail('E_LOCKUP', `${id} is a lockup account: ${unit} never move from or to one`);
    }
  };
  const sender = requireAccount(senderId);
  refuseLockup(senderId, sender);
  const receiver = readAccount(receiverId);
  refuseLockup(receiverId, receiver);
  if (receiver === null) {
    fail(
      'E_NOT_REGISTERED',
      `receiver ${receiverId} is not registered; it must call storage_deposit first`,
    );
  }
  syncLockupClass(st, receiverId, receiver);
  if (sender[field] < amount) {
    fail(insufficientCode, `${senderId} holds ${sender[field]} ${unit}, cannot send ${amount}`);
  }
  moveShares(st, field, senderId, sender, receiverId, receiver, amount);
  saveAccount(senderId, sender);
  saveAccount(receiverId, receiver);
}

/** Copies amm-math's PoolState fields back into the contract state. */
function setPool(st: MetapoolState, next: PoolState): void {
  st.totalStakedNear = next.totalStakedNear;
  st.totalSnear = next.totalSnear;
  st.liquidity = next.liquidity;
  st.poolSnear = next.poolSnear;
  st.lpShares = next.lpShares;
}

/** Init: the locked seed supply, backed by NEAR of the contract's own, and the rounding fund. */
export function seedSupply(st: MetapoolState, seed: bigint, roundingFund: bigint): void {
  st.seedSnear = seed;
  st.totalSnear = seed;
  st.totalStakedNear = seed;
  st.reserveNear = seed;
  st.roundingFundNear = roundingFund;
}

// ---- staking side ----------------------------------------------------------------------------

/** deposit_and_stake: the pool's sNEAR first, the rest minted and queued for delegation (§5). */
export function stakeDeposit(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  amount: bigint,
  q: StakeQuote,
): void {
  setPool(st, applyStake(poolState(st), amount, q));
  st.reserveNear += amount - q.fromPoolNear;
  creditShares(st, accountId, acc, q.snearOut);
  settleBuffers(st);
  emitMint(accountId, q.mintedSnear);
  if (q.fromPoolSnear > 0n)
    emitTransfer(near.currentAccountId(), accountId, q.fromPoolSnear, 'deposit clearing');
}

/** deposit: attached NEAR becomes the account's unstaked balance, withdrawable at once. */
export function depositUnstaked(st: MetapoolState, acc: AccountRecord, amount: bigint): void {
  addBucket(acc.buckets, 0, amount, currentEpoch());
  st.owedNear += amount;
  st.retrievedNear += amount;
  settleBuffers(st);
}

/** stake / stake_all: `amount` of the account's unstaked NEAR buys `shares` again. */
export function restakeBuckets(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  amount: bigint,
  shares: bigint,
): void {
  acc.buckets = takeLatest(acc.buckets, amount);
  st.owedNear -= amount;
  st.totalSnear += shares;
  st.totalStakedNear += amount;
  creditShares(st, accountId, acc, shares);
  settleBuffers(st);
  emitMint(accountId, shares);
}

/** Delayed unstake: burns `shares` worth `nearAmount` and owes that NEAR from `unlockEpoch`. */
export function burnIntoBucket(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  shares: bigint,
  nearAmount: bigint,
  unlockEpoch: number,
): void {
  debitShares(st, accountId, acc, shares);
  addBucket(acc.buckets, unlockEpoch, nearAmount, currentEpoch());
  st.totalSnear -= shares;
  st.totalStakedNear -= nearAmount;
  st.owedNear += nearAmount;
  settleBuffers(st);
  emitBurn(accountId, shares);
}

/** withdraw: pays `amount` of the account's matured buckets from the NEAR back in the contract. */
export function payFromBuckets(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  amount: bigint,
): void {
  acc.buckets = takeMatured(acc.buckets, currentEpoch(), amount);
  st.owedNear -= amount;
  st.retrievedNear -= amount;
  sendNear(accountId, amount);
}

/** A refund of an ft_transfer_call whose sender unregistered meanwhile: the shares are burnt. */
export function burnOrphanRefund(
  st: MetapoolState,
  holderId: string,
  holder: AccountRecord,
  shares: bigint,
): void {
  debitShares(st, holderId, holder, shares);
  st.totalSnear -= shares;
}

// ---- instant-exit pool -----------------------------------------------------------------------

/** liquid_unstake: the account sells `q.snearIn` to the pool for `q.nearOut` now (§3). */
export function sellToPool(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  q: LiquidUnstakeQuote,
): void {
  const treasury = q.treasurySnear > 0n ? readAccount(st.treasuryId) : null;
  if (q.treasurySnear > 0n && treasury === null)
    fail('E_INTERNAL', 'treasury account record missing');
  debitShares(st, accountId, acc, q.snearIn);
  setPool(st, applyLiquidUnstake(poolState(st), q.snearIn, q));
  saveAccount(accountId, acc);
  if (treasury !== null) {
    creditShares(st, st.treasuryId, treasury, q.treasurySnear);
    saveAccount(st.treasuryId, treasury);
    emitTransfer(accountId, st.treasuryId, q.treasurySnear, 'liquid unstake fee');
  }
  emitTransfer(accountId, near.currentAccountId(), q.snearIn - q.treasurySnear, 'liquid unstake');
  sendNear(accountId, q.nearOut);
}

/** add_liquidity: `nearIn` joins the pool for `q.lpShares` (§4). */
export function addToPool(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  nearIn: bigint,
  q: AddLiquidityQuote,
): void {
  creditLp(st, accountId, acc, q.lpShares);
  setPool(st, applyAddLiquidity(poolState(st), nearIn, q));
}

/**
 * remove_liquidity: burns `shares` for the pro-rata NEAR and sNEAR now, and moves the pro-rata part
 * of the pool's own pending unstake into the account's buckets. Returns that NEAR.
 */
export function removeFromPool(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  shares: bigint,
  q: RemoveLiquidityQuote,
): bigint {
  debitLp(st, accountId, acc, shares);
  let unstakingNear = 0n;
  if (st.lpUnstakingNear > 0n) {
    const pool = readAccount(LP_POOL_ACCOUNT);
    if (pool !== null) {
      const epoch = currentEpoch();
      for (const b of splitProRata(pool.buckets, shares, st.lpShares)) {
        addBucket(acc.buckets, b.unlockEpoch, b.near, epoch);
        unstakingNear += b.near;
      }
      saveAccount(LP_POOL_ACCOUNT, pool);
      st.lpUnstakingNear -= unstakingNear;
    }
  }
  setPool(st, applyRemoveLiquidity(poolState(st), shares, q));
  creditShares(st, accountId, acc, q.snearOut);
  if (q.snearOut > 0n)
    emitTransfer(near.currentAccountId(), accountId, q.snearOut, 'remove liquidity');
  sendNear(accountId, q.nearOut);
  return unstakingNear;
}

/** The pool's self-unstake (§5): its `shares` worth `nearAmount` burn into its own bucket. */
export function poolSelfUnstake(
  st: MetapoolState,
  shares: bigint,
  nearAmount: bigint,
  unlockEpoch: number,
): void {
  const pool = readAccount(LP_POOL_ACCOUNT) ?? emptyAccount();
  addBucket(pool.buckets, unlockEpoch, nearAmount, currentEpoch());
  saveAccount(LP_POOL_ACCOUNT, pool);
  st.poolSnear -= shares;
  st.totalSnear -= shares;
  st.totalStakedNear -= nearAmount;
  st.owedNear += nearAmount;
  st.lpUnstakingNear += nearAmount;
  settleBuffers(st);
}

/** Refill: the pool's matured self-unstake NEAR back in the contract becomes liquidity. */
export function refillPool(st: MetapoolState, pool: AccountRecord, amount: bigint): void {
  pool.buckets = takeMatured(pool.buckets, currentEpoch(), amount);
  saveAccount(LP_POOL_ACCOUNT, pool);
  st.owedNear -= amount;
  st.retrievedNear -= amount;
  st.lpUnstakingNear -= amount;
  st.liquidity += amount;
}

// ---- validators --------------------------------------------------------------------------------

/** Delegation to pool `v` starts: reserve NEAR is counted at the pool. */
export function delegate(st: MetapoolState, v: ValidatorRecord, amount: bigint): void {
  st.reserveNear -= amount;
  v.staked += amount;
  st.poolsStakedNear += amount;
}

/** A delegation failed at the pool: the NEAR came back with the refund. */
export function undoDelegate(st: MetapoolState, v: ValidatorRecord, amount: bigint): void {
  st.reserveNear += amount;
  v.staked -= amount;
  st.poolsStakedNear -= amount;
}

/** An unstake at pool `v` starts (§6). */
export function unstakeAtPool(st: MetapoolState, v: ValidatorRecord, amount: bigint): void {
  v.staked -= amount;
  v.unstaked += amount;
  st.poolsStakedNear -= amount;
  st.poolsUnstakedNear += amount;
}

/** An unstake failed at the pool. */
export function undoUnstakeAtPool(st: MetapoolState, v: ValidatorRecord, amount: bigint): void {
  v.staked += amount;
  v.unstaked -= amount;
  st.poolsStakedNear += amount;
  st.poolsUnstakedNear -= amount;
}

/** A withdraw from pool `v` arrived: the NEAR is back in the contract for the buckets. */
export function withdrawnFromPool(st: MetapoolState, v: ValidatorRecord, amount: bigint): void {
  v.unstaked -= amount;
  st.poolsUnstakedNear -= amount;
  st.retrievedNear += amount;
}

/**
 * Reconciles our record of pool `v` with the pool's own view of us (get_account), then books the
 * difference: rewards (the protocol fee minted to the treasury), share rounding (the rounding fund
 * pays it), or a loss (every holder shares it).
 */
export function reconcilePool(
  st: MetapoolState,
  v: ValidatorRecord,
  staked: bigint,
  unstaked: bigint,
): void {
  const delta = staked + unstaked - (v.staked + v.unstaked);
  st.poolsStakedNear += staked - v.staked;
  st.poolsUnstakedNear += unstaked - v.unstaked;
  v.staked = staked;
  v.unstaked = unstaked;
  if (delta > 0n) bookRewards(st, v.accountId, delta);
  else if (delta < 0n && -delta <= ROUNDING_DUST_NEAR && st.roundingFundNear >= -delta) {
    // Share rounding inside the staking pool: the rounding fund pays it into the reserve.
    st.roundingFundNear += delta;
    st.reserveNear -= delta;
  } else if (delta < 0n) {
    const loss = -delta;
    // A loss larger than all stake (the pools lost NEAR owed to buckets too) cannot be booked.
    if (loss > st.totalStakedNear) fail('E_INTERNAL', `pool ${v.accountId} lost ${loss} yocto`);
    st.totalStakedNear -= loss;
    st.lossesNear += loss;
    emitProtocol('loss', { pool: v.accountId, amount: loss });
  }
  settleBuffers(st);
}

function bookRewards(st: MetapoolState, pool: string, delta: bigint): void {
  const feeNear = (delta * BigInt(st.rewardFeeBps)) / BPS;
  st.totalStakedNear += delta - feeNear;
  // Fee shares priced after the rewards excluding the fee itself: the treasury gets feeNear of value.
  const feeShares = feeNear > 0n ? sharesOf(st, feeNear) : 0n;
  st.totalStakedNear += feeNear;
  st.rewardsNear += delta;
  if (feeShares > 0n) {
    const treasury = readAccount(st.treasuryId);
    if (treasury === null) fail('E_INTERNAL', 'treasury account record missing');
    creditShares(st, st.treasuryId, treasury, feeShares);
    st.totalSnear += feeShares;
    saveAccount(st.treasuryId, treasury);
    emitMint(st.treasuryId, feeShares, 'protocol fee');
  }
  emitProtocol('rewards', { pool, amount: delta, fee_near: feeNear, fee_shares: feeShares });
  logRewards(st, currentEpoch(), delta, feeShares);
}
