import { NearPromise, near, PublicKey, type UnorderedMap } from 'near-sdk-js';
import { ensure } from '../whitelist/account-id';
import { multiplyFee, type RewardFeeFraction } from './fee';
import {
  amountFromSharesCeil,
  amountFromSharesFloor,
  sharesFromAmountCeil,
  sharesFromAmountFloor,
} from './shares';

/** Epochs between an `unstake` and the withdrawal of the account's whole unstaked balance. */
export const NUM_EPOCHS_TO_UNLOCK = 4n;
/** Yocto kept out of the initial stake to pay share-rounding differences (price never falls). */
export const STAKE_SHARE_PRICE_GUARANTEE_FUND = 1_000_000_000_000n;
/** Gas for the `on_stake_action` callback (mainnet gives 20 Tgas; a JS callback needs ~21 on wasm). */
export const ON_STAKE_ACTION_GAS = 25_000_000_000_000n;

/** A delegator's record (storage map value). */
export interface AccountRecord {
  unstaked: bigint;
  stake_shares: bigint;
  unstaked_available_epoch_height: bigint;
}

/** The pool's persistent fields, shared by the contract class and the internal steps. */
export interface PoolState {
  owner_id: string;
  stake_public_key: string;
  last_epoch_height: bigint;
  last_total_balance: bigint;
  total_stake_shares: bigint;
  total_staked_balance: bigint;
  reward_fee_fraction: RewardFeeFraction;
  paused: boolean;
  accounts: UnorderedMap<AccountRecord>;
}

/** The account's record, or an empty one. */
export function getAccount(pool: PoolState, accountId: string): AccountRecord {
  const stored = pool.accounts.get(accountId);
  return stored ?? { unstaked: 0n, stake_shares: 0n, unstaked_available_epoch_height: 0n };
}

/** Stores the record, or deletes it when empty (releases storage). */
export function saveAccount(pool: PoolState, accountId: string, account: AccountRecord): void {
  if (account.unstaked > 0n || account.stake_shares > 0n) {
    pool.accounts.set(accountId, account);
  } else {
    pool.accounts.remove(accountId);
  }
}

/** Staked balance of `shares` at the current share price (rounded down). */
export function stakedAmountOf(pool: PoolState, shares: bigint): bigint {
  return amountFromSharesFloor(shares, pool.total_stake_shares, pool.total_staked_balance);
}

/** Re-sends the Stake action for the whole `total_staked_balance` (unless paused). */
export function internalRestake(pool: PoolState): void {
  if (pool.paused) {
    return;
  }
  const self = near.currentAccountId();
  NearPromise.new(self)
    .stake(pool.total_staked_balance, PublicKey.fromString(pool.stake_public_key))
    .then(NearPromise.new(self).functionCall('on_stake_action', '{}', 0n, ON_STAKE_ACTION_GAS))
    .build();
}

/**
 * Recognises the rewards of the epochs since the last ping: the account's locked + liquid balance
 * minus the last total balance. The owner's fee is paid in shares bought at the post-reward price.
 * Returns true when the epoch changed (the caller then restakes).
 */
export function internalPing(pool: PoolState): boolean {
  const epochHeight = near.epochHeight();
  if (pool.last_epoch_height === epochHeight) {
    return false;
  }
  pool.last_epoch_height = epochHeight;
  // The attached deposit is already in the balance but not yet accounted for.
  const totalBalance = near.accountLockedBalance() + near.accountBalance() - near.attachedDeposit();

  if (totalBalance < pool.last_total_balance) {
    // Mainnet asserts here (slashing is disabled there). localnet can slash: spread the loss over
    // all stake shares instead of bricking the pool.
    const loss = pool.last_total_balance - totalBalance;
    const taken = loss < pool.total_staked_balance ? loss : pool.total_staked_balance - 1n;
    pool.total_staked_balance -= taken;
    near.log(
      `Epoch ${epochHeight}: Contract lost ${loss} tokens (slashed). New total staked balance is ${pool.total_staked_balance}`,
    );
  } else {
    const totalReward = totalBalance - pool.last_total_balance;
    if (totalReward > 0n) {
      const ownersFee = multiplyFee(pool.reward_fee_fraction, totalReward);
      // Delegators get the reward first; the owner then buys shares at the new price.
      pool.total_staked_balance += totalReward - ownersFee;
      const numShares = sharesFromAmountFloor(
        ownersFee,
        pool.total_stake_shares,
        pool.total_staked_balance,
      );
      if (numShares > 0n) {
        const owner = getAccount(pool, pool.owner_id);
        owner.stake_shares += numShares;
        saveAccount(pool, pool.owner_id, owner);
        pool.total_stake_shares += numShares;
      }
      // The whole fee joins the staked total even if it bought no share.
      pool.total_staked_balance += ownersFee;
      near.log(
        `Epoch ${epochHeight}: Contract received total rewards of ${totalReward} tokens. New total staked balance is ${pool.total_staked_balance}. Total number of shares ${pool.total_stake_shares}`,
      );
      if (numShares > 0n) {
        near.log(`Total rewards fee is ${numShares} stake shares.`);
      }
    }
  }
  pool.last_total_balance = totalBalance;
  return true;
}

/** Credits the attached deposit to the predecessor's unstaked balance; returns the amount. */
export function internalDeposit(pool: PoolState): bigint {
  const accountId = near.predecessorAccountId();
  const amount = near.attachedDeposit();
  const account = getAccount(pool, accountId);
  account.unstaked += amount;
  saveAccount(pool, accountId, account);
  pool.last_total_balance += amount;
  near.log(`@${accountId} deposited ${amount}. New unstaked balance is ${account.unstaked}`);
  return amount;
}

/** Sends `amount` of the predecessor's unstaked balance back once the unlock epoch has come. */
export function internalWithdraw(pool: PoolState, amount: bigint): void {
  ensure(amount > 0n, 'Withdrawal amount should be positive');
  const accountId = near.predecessorAccountId();
  const account = getAccount(pool, accountId);
  ensure(account.unstaked >= amount, 'Not enough unstaked balance to withdraw');
  ensure(
    account.unstaked_available_epoch_height <= near.epochHeight(),
    'The unstaked balance is not yet available due to unstaking delay',
  );
  account.unstaked -= amount;
  saveAccount(pool, accountId, account);
  near.log(`@${accountId} withdrawing ${amount}. New unstaked balance is ${account.unstaked}`);
  NearPromise.new(accountId).transfer(amount).build();
  pool.last_total_balance -= amount;
}

/**
 * Moves `amount` of the predecessor's unstaked balance into stake shares. Rounding goes against the
 * delegator: shares are rounded down, and the account is charged the value of those shares rounded
 * up (the remainder of `amount` stays unstaked). The pool total grows by exactly the charge, so the
 * share price never falls and nobody gains by staking in pieces.
 */
export function internalStake(pool: PoolState, amount: bigint): void {
  ensure(amount > 0n, 'Staking amount should be positive');
  const accountId = near.predecessorAccountId();
  const account = getAccount(pool, accountId);
  const numShares = sharesFromAmountFloor(
    amount,
    pool.total_stake_shares,
    pool.total_staked_balance,
  );
  ensure(
    numShares > 0n,
    'The calculated number of "stake" shares received for staking should be positive',
  );
  // ceil(numShares * price) <= amount because numShares = floor(amount / price).
  const chargeAmount = amountFromSharesCeil(
    numShares,
    pool.total_stake_shares,
    pool.total_staked_balance,
  );
  ensure(account.unstaked >= chargeAmount, 'Not enough unstaked balance to stake');
  account.unstaked -= chargeAmount;
  account.stake_shares += numShares;
  saveAccount(pool, accountId, account);

  pool.total_staked_balance += chargeAmount;
  pool.total_stake_shares += numShares;
  near.log(
    `@${accountId} staking ${chargeAmount}. Received ${numShares} new staking shares. Total ${account.unstaked} unstaked balance and ${account.stake_shares} staking shares`,
  );
  logTotals(pool);
}

/** Unstakes `amount`: burns the shares worth it, rounded up (see `internalUnstakeShares`). */
export function internalUnstake(pool: PoolState, amount: bigint): void {
  ensure(amount > 0n, 'Unstaking amount should be positive');
  ensure(pool.total_staked_balance > 0n, "The contract doesn't have staked balance");
  const numShares = sharesFromAmountCeil(
    amount,
    pool.total_stake_shares,
    pool.total_staked_balance,
  );
  internalUnstakeShares(pool, numShares);
}

/**
 * Burns `numShares` of the predecessor's shares and credits their value rounded down (at least the
 * amount asked for, when called from `internalUnstake`) to its unstaked balance. The account's WHOLE
 * unstaked balance then unlocks NUM_EPOCHS_TO_UNLOCK epochs from now.
 */
export function internalUnstakeShares(pool: PoolState, numShares: bigint): void {
  const accountId = near.predecessorAccountId();
  const account = getAccount(pool, accountId);
  ensure(
    numShares > 0n,
    'Invariant violation. The calculated number of "stake" shares for unstaking should be positive',
  );
  ensure(account.stake_shares >= numShares, 'Not enough staked balance to unstake');
  const receiveAmount = amountFromSharesFloor(
    numShares,
    pool.total_stake_shares,
    pool.total_staked_balance,
  );
  ensure(
    receiveAmount > 0n,
    'Invariant violation. Calculated staked amount must be positive, because "stake" share price should be at least 1',
  );
  account.stake_shares -= numShares;
  account.unstaked += receiveAmount;
  account.unstaked_available_epoch_height = near.epochHeight() + NUM_EPOCHS_TO_UNLOCK;
  saveAccount(pool, accountId, account);

  pool.total_staked_balance -= receiveAmount;
  pool.total_stake_shares -= numShares;
  near.log(
    `@${accountId} unstaking ${receiveAmount}. Spent ${numShares} staking shares. Total ${account.unstaked} unstaked balance and ${account.stake_shares} staking shares`,
  );
  logTotals(pool);
}

function logTotals(pool: PoolState): void {
  near.log(
    `Contract total staked balance is ${pool.total_staked_balance}. Total number of shares ${pool.total_stake_shares}`,
  );
}

/** Panics unless the predecessor is the pool owner. */
export function assertOwner(pool: PoolState): void {
  ensure(near.predecessorAccountId() === pool.owner_id, 'Can only be called by the owner');
}
