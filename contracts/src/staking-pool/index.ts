import {
  call,
  initialize,
  NearBindgen,
  NearPromise,
  near,
  PublicKey,
  UnorderedMap,
  view,
} from 'near-sdk-js';
import { ensure, isValidAccountId, parseU128 } from '../whitelist/account-id';
import { assertValidFee, type RewardFeeFraction } from './fee';
import {
  type AccountRecord,
  assertOwner,
  getAccount,
  internalDeposit,
  internalPing,
  internalRestake,
  internalStake,
  internalUnstake,
  internalUnstakeShares,
  internalWithdraw,
  type PoolState,
  STAKE_SHARE_PRICE_GUARANTEE_FUND,
  stakedAmountOf,
} from './internal';

/** `get_account` view: balances of one delegator (u128 as decimal strings). */
interface HumanReadableAccount {
  account_id: string;
  unstaked_balance: string;
  staked_balance: string;
  can_withdraw: boolean;
}

/** Checks a stake public key (`ed25519:<base58>`); returns it unchanged. */
function parseStakePublicKey(value: unknown): string {
  let valid = false;
  if (typeof value === 'string') {
    try {
      valid = PublicKey.fromString(value).data.length === 33;
    } catch (_error) {
      valid = false;
    }
  }
  ensure(
    valid,
    'Failed to deserialize input from JSON: `stake_public_key` must be ed25519:<base58>',
  );
  return value as string;
}

/**
 * Stand-in for NEAR's core-contracts staking pool: delegators deposit, stake for shares, unstake
 * with a 4-epoch unlock, and withdraw; rewards are recognised on `ping` with the owner's fee paid
 * in shares. Every state-changing method pings first and re-sends the validator Stake action.
 */
@NearBindgen({ requireInit: true })
export class StakingPool implements PoolState {
  owner_id = '';
  stake_public_key = '';
  last_epoch_height = 0n;
  last_total_balance = 0n;
  total_stake_shares = 0n;
  total_staked_balance = 0n;
  reward_fee_fraction: RewardFeeFraction = { numerator: 0, denominator: 1 };
  paused = false;
  accounts = new UnorderedMap<AccountRecord>('u');

  /**
   * Init: `new({ owner_id, stake_public_key, reward_fee_fraction })`. The account's whole balance
   * (less a 1e12 yocto rounding fund) is staked as ownerless shares, which keeps the share price
   * from being inflated by a first depositor.
   */
  @initialize({})
  init(args: {
    owner_id: string;
    stake_public_key: string;
    reward_fee_fraction: RewardFeeFraction;
  }): void {
    const fee = assertValidFee(args.reward_fee_fraction);
    ensure(isValidAccountId(args.owner_id), 'The owner account ID is invalid');
    const stakePublicKey = parseStakePublicKey(args.stake_public_key);
    const accountBalance = near.accountBalance();
    ensure(accountBalance > STAKE_SHARE_PRICE_GUARANTEE_FUND, 'Account balance too low');
    ensure(
      near.accountLockedBalance() === 0n,
      "The staking pool shouldn't be staking at the initialization",
    );
    const totalStakedBalance = accountBalance - STAKE_SHARE_PRICE_GUARANTEE_FUND;
    this.owner_id = args.owner_id;
    this.stake_public_key = stakePublicKey;
    this.last_epoch_height = near.epochHeight();
    this.last_total_balance = accountBalance;
    this.total_staked_balance = totalStakedBalance;
    this.total_stake_shares = totalStakedBalance;
    this.reward_fee_fraction = fee;
    this.paused = false;
    // Staking right away proves the key valid (a bad key fails the init transaction).
    internalRestake(this);
  }

  /** Anyone: recognises rewards of new epochs and restakes. */
  @call({})
  ping(): void {
    if (internalPing(this)) {
      internalRestake(this);
    }
  }

  /** Payable: credits the attached deposit to the caller's unstaked balance. */
  @call({ payableFunction: true })
  deposit(): void {
    const needToRestake = internalPing(this);
    internalDeposit(this);
    if (needToRestake) {
      internalRestake(this);
    }
  }

  /** Payable: deposits the attached amount and stakes it. */
  @call({ payableFunction: true })
  deposit_and_stake(): void {
    internalPing(this);
    const amount = internalDeposit(this);
    internalStake(this, amount);
    internalRestake(this);
  }

  /** Withdraws the caller's whole unstaked balance (needs the unlock epoch reached). */
  @call({})
  withdraw_all(): void {
    const needToRestake = internalPing(this);
    const account = getAccount(this, near.predecessorAccountId());
    internalWithdraw(this, account.unstaked);
    if (needToRestake) {
      internalRestake(this);
    }
  }

  /** Withdraws `amount` (u128 string) of the caller's unstaked balance. */
  @call({})
  withdraw({ amount }: { amount: string }): void {
    const value = parseU128(amount, 'amount');
    const needToRestake = internalPing(this);
    internalWithdraw(this, value);
    if (needToRestake) {
      internalRestake(this);
    }
  }

  /** Stakes the caller's whole unstaked balance (also cancels a pending unstake). */
  @call({})
  stake_all(): void {
    internalPing(this);
    const account = getAccount(this, near.predecessorAccountId());
    internalStake(this, account.unstaked);
    internalRestake(this);
  }

  /** Stakes `amount` (u128 string) of the caller's unstaked balance. */
  @call({})
  stake({ amount }: { amount: string }): void {
    const value = parseU128(amount, 'amount');
    internalPing(this);
    internalStake(this, value);
    internalRestake(this);
  }

  /** Unstakes all the caller's shares; the unstaked balance unlocks in 4 epochs. */
  @call({})
  unstake_all(): void {
    internalPing(this);
    const account = getAccount(this, near.predecessorAccountId());
    internalUnstakeShares(this, account.stake_shares);
    internalRestake(this);
  }

  /** Unstakes `amount` (u128 string); the WHOLE unstaked balance unlocks in 4 epochs. */
  @call({})
  unstake({ amount }: { amount: string }): void {
    const value = parseU128(amount, 'amount');
    internalPing(this);
    internalUnstake(this, value);
    internalRestake(this);
  }

  /** View: unstaked balance of `account_id`. */
  @view({})
  get_account_unstaked_balance({ account_id }: { account_id: string }): string {
    return this.get_account({ account_id }).unstaked_balance;
  }

  /** View: staked balance of `account_id` at the current share price (rounded down). */
  @view({})
  get_account_staked_balance({ account_id }: { account_id: string }): string {
    return this.get_account({ account_id }).staked_balance;
  }

  /** View: staked + unstaked balance of `account_id`. */
  @view({})
  get_account_total_balance({ account_id }: { account_id: string }): string {
    const account = this.get_account({ account_id });
    return (BigInt(account.unstaked_balance) + BigInt(account.staked_balance)).toString();
  }

  /** View: true if `account_id` may withdraw its unstaked balance in this epoch. */
  @view({})
  is_account_unstaked_balance_available({ account_id }: { account_id: string }): boolean {
    return this.get_account({ account_id }).can_withdraw;
  }

  /** View: the pool's total staked balance. */
  @view({})
  get_total_staked_balance(): string {
    return this.total_staked_balance.toString();
  }

  /** View: the owner's account id. */
  @view({})
  get_owner_id(): string {
    return this.owner_id;
  }

  /** View: the owner's reward fee. */
  @view({})
  get_reward_fee_fraction(): RewardFeeFraction {
    return this.reward_fee_fraction;
  }

  /** View: the validator key the pool stakes with. */
  @view({})
  get_staking_key(): string {
    return this.stake_public_key;
  }

  /** View: true while the owner has paused staking. */
  @view({})
  is_staking_paused(): boolean {
    return this.paused;
  }

  /** View: one delegator's balances. */
  @view({})
  get_account({ account_id }: { account_id: string }): HumanReadableAccount {
    ensure(isValidAccountId(account_id), 'The given account ID is invalid');
    const account = getAccount(this, account_id);
    return {
      account_id,
      unstaked_balance: account.unstaked.toString(),
      staked_balance: stakedAmountOf(this, account.stake_shares).toString(),
      can_withdraw: account.unstaked_available_epoch_height <= near.epochHeight(),
    };
  }

  /** View: number of accounts with a positive balance. */
  @view({})
  get_number_of_accounts(): number {
    return this.accounts.length;
  }

  /** View: up to `limit` accounts starting at `from_index` (JSON numbers). */
  @view({})
  get_accounts({
    from_index,
    limit,
  }: {
    from_index: number;
    limit: number;
  }): HumanReadableAccount[] {
    ensure(
      Number.isInteger(from_index) && from_index >= 0 && Number.isInteger(limit) && limit >= 0,
      'Failed to deserialize input from JSON: `from_index` and `limit` must be u64 numbers',
    );
    const end = Math.min(from_index + limit, this.accounts.length);
    const result: HumanReadableAccount[] = [];
    for (let index = from_index; index < end; index++) {
      const accountId = this.accounts._keys.get(index);
      if (accountId !== null) {
        result.push(this.get_account({ account_id: accountId }));
      }
    }
    return result;
  }

  /** Private callback after each Stake action: if it failed, unstake everything (mainnet). */
  @call({ privateFunction: true })
  on_stake_action(): void {
    ensure(near.promiseResultsCount() === 1n, 'Contract expected a result on the callback');
    let succeeded = true;
    try {
      near.promiseResultRaw(0);
    } catch (_error) {
      succeeded = false;
    }
    if (!succeeded && near.accountLockedBalance() > 0n) {
      NearPromise.new(near.currentAccountId())
        .stake(0n, PublicKey.fromString(this.stake_public_key))
        .build();
    }
  }

  /** Owner: replaces the validator key and restakes with it. */
  @call({})
  update_staking_key({ stake_public_key }: { stake_public_key: string }): void {
    assertOwner(this);
    const key = parseStakePublicKey(stake_public_key);
    internalPing(this);
    this.stake_public_key = key;
    internalRestake(this);
  }

  /** Owner: changes the reward fee (applies to rewards recognised from now on). */
  @call({})
  update_reward_fee_fraction({
    reward_fee_fraction,
  }: {
    reward_fee_fraction: RewardFeeFraction;
  }): void {
    assertOwner(this);
    const fee = assertValidFee(reward_fee_fraction);
    const needToRestake = internalPing(this);
    this.reward_fee_fraction = fee;
    if (needToRestake) {
      internalRestake(this);
    }
  }

  /** Owner: stops validating (stakes 0); shares and rewards accounting are unaffected. */
  @call({})
  pause_staking(): void {
    assertOwner(this);
    ensure(!this.paused, 'The staking is already paused');
    internalPing(this);
    this.paused = true;
    NearPromise.new(near.currentAccountId())
      .stake(0n, PublicKey.fromString(this.stake_public_key))
      .build();
  }

  /** Owner: resumes validating. */
  @call({})
  resume_staking(): void {
    assertOwner(this);
    ensure(this.paused, 'The staking is not paused');
    internalPing(this);
    this.paused = false;
    internalRestake(this);
  }
}

/** Contract method `new` (the real contract's init name; a JS reserved word, hence the alias). */
function initContract(): void {
  // @ts-expect-error `init` is the export that near-sdk-js's bindgen generates for @initialize.
  init();
}

export { initContract as new };
