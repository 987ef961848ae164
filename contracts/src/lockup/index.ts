import { call, initialize, NearBindgen, NearPromise, near, view } from 'near-sdk-js';
import { ensure, isValidAccountId, parseU64, parseU128 } from '../whitelist/account-id';
import {
  CALLBACK_GAS,
  DEPOSIT_GAS,
  IS_WHITELISTED_GAS,
  STAKING_POOL_CALL_GAS,
  STAKING_POOL_VIEW_GAS,
  WITHDRAW_ALL_CALLBACK_GAS,
} from './gas';
import { lockedAmountAt, promiseResultOrNull, spendableBalance } from './schedule';

/** Init arguments, named as mainnet's lockup `new` (u64 timestamps/durations in ns, as strings). */
interface LockupInitArgs {
  owner_account_id: string;
  lockup_duration?: string;
  lockup_timestamp?: string | null;
  transfers_information?: { TransfersEnabled?: { transfers_timestamp: string } } | null;
  vesting_schedule?: unknown;
  release_duration?: string | null;
  staking_pool_whitelist_account_id: string;
  foundation_account_id?: string | null;
}

/**
 * Stand-in for NEAR's lockup contract (core-contracts `lockup`), reduced to what metapool users
 * rely on: a locked amount released at a timestamp (optionally linearly), one staking pool chosen
 * from the whitelist, and the owner's staking calls with mainnet's gas and callbacks. No vesting
 * schedule, foundation termination or transfer poll.
 */
@NearBindgen({ requireInit: true })
export class Lockup {
  owner_account_id = '';
  staking_pool_whitelist_account_id = '';
  /** Balance at init: the tokens under lockup. */
  lockup_amount = 0n;
  /** Nanoseconds: nothing is released before. */
  unlock_timestamp = 0n;
  /** Nanoseconds of linear release after `unlock_timestamp` (0: all at once). */
  release_duration = 0n;
  /** Selected staking pool; '' when none. */
  staking_pool_account_id = '';
  /** True while a staking-pool call and its callback are in flight. */
  staking_pool_busy = false;
  /** What this account knows it has on the pool (deposits minus withdrawals, or last refresh). */
  known_deposited_balance = 0n;

  /** Init: `new({ owner_account_id, lockup_duration, staking_pool_whitelist_account_id, ... })`. */
  @initialize({})
  init(args: LockupInitArgs): void {
    ensure(isValidAccountId(args.owner_account_id), 'The account ID of the owner is invalid');
    ensure(
      isValidAccountId(args.staking_pool_whitelist_account_id),
      'The staking pool whitelist account ID is invalid',
    );
    ensure(
      args.vesting_schedule === undefined || args.vesting_schedule === null,
      'Vesting schedules are not supported by this lockup stand-in: omit `vesting_schedule`',
    );
    ensure(
      args.foundation_account_id === undefined || args.foundation_account_id === null,
      "Foundation account can't be added without vesting schedule",
    );
    let transfersTimestamp = near.blockTimestamp();
    if (args.transfers_information !== undefined && args.transfers_information !== null) {
      const enabled = args.transfers_information.TransfersEnabled;
      ensure(
        enabled !== undefined,
        'Transfer polls are not supported by this lockup stand-in: pass { TransfersEnabled: { transfers_timestamp } }',
      );
      transfersTimestamp = parseU64(enabled.transfers_timestamp, 'transfers_timestamp');
    }
    const lockupDuration = parseU64(args.lockup_duration ?? '0', 'lockup_duration');
    const lockupTimestamp =
      args.lockup_timestamp === undefined || args.lockup_timestamp === null
        ? 0n
        : parseU64(args.lockup_timestamp, 'lockup_timestamp');
    const fromTransfers = transfersTimestamp + lockupDuration;
    this.owner_account_id = args.owner_account_id;
    this.staking_pool_whitelist_account_id = args.staking_pool_whitelist_account_id;
    this.lockup_amount = near.accountBalance();
    this.unlock_timestamp = fromTransfers > lockupTimestamp ? fromTransfers : lockupTimestamp;
    this.release_duration =
      args.release_duration === undefined || args.release_duration === null
        ? 0n
        : parseU64(args.release_duration, 'release_duration');
  }

  /* ---------------------------- owner: staking ---------------------------- */

  /** Owner: selects a staking pool after checking it against the whitelist (callback). */
  @call({})
  select_staking_pool({
    staking_pool_account_id,
  }: {
    staking_pool_account_id: string;
  }): NearPromise {
    this.assertOwner();
    ensure(isValidAccountId(staking_pool_account_id), 'The staking pool account ID is invalid');
    this.assertStakingPoolIsNotSelected();
    near.log(`Selecting staking pool @${staking_pool_account_id}. Going to check whitelist first.`);
    return NearPromise.new(this.staking_pool_whitelist_account_id)
      .functionCall(
        'is_whitelisted',
        JSON.stringify({ staking_pool_account_id }),
        0n,
        IS_WHITELISTED_GAS,
      )
      .then(
        this.selfCall('on_whitelist_is_whitelisted', { staking_pool_account_id }, CALLBACK_GAS),
      );
  }

  /** Owner: unselects the pool; requires no known deposit left on it. */
  @call({})
  unselect_staking_pool(): void {
    this.assertOwner();
    this.assertStakingPoolIsIdle();
    ensure(this.known_deposited_balance === 0n, 'There is still a deposit on the staking pool');
    near.log(`Unselected current staking pool @${this.staking_pool_account_id}.`);
    this.staking_pool_account_id = '';
  }

  /** Owner: deposits `amount` on the pool without staking it. */
  @call({})
  deposit_to_staking_pool({ amount }: { amount: string }): NearPromise {
    const value = this.startDeposit(amount);
    near.log(`Depositing ${value} to the staking pool @${this.staking_pool_account_id}`);
    return this.poolCall('deposit', {}, value, DEPOSIT_GAS, 'on_staking_pool_deposit', value);
  }

  /** Owner: deposits and stakes `amount` on the pool (75 Tgas to the pool, as mainnet). */
  @call({})
  deposit_and_stake({ amount }: { amount: string }): NearPromise {
    const value = this.startDeposit(amount);
    near.log(
      `Depositing and staking ${value} to the staking pool @${this.staking_pool_account_id}`,
    );
    return this.poolCall(
      'deposit_and_stake',
      {},
      value,
      STAKING_POOL_CALL_GAS,
      'on_staking_pool_deposit_and_stake',
      value,
    );
  }

  /** Owner: stakes `amount` of this account's unstaked balance on the pool. */
  @call({})
  stake({ amount }: { amount: string }): NearPromise {
    const value = this.startPositive(amount);
    near.log(`Staking ${value} at the staking pool @${this.staking_pool_account_id}`);
    return this.poolCall(
      'stake',
      { amount: value.toString() },
      0n,
      STAKING_POOL_CALL_GAS,
      'on_staking_pool_stake',
      value,
    );
  }

  /** Owner: unstakes `amount` on the pool (its 4-epoch unlock applies to the whole unstaked balance). */
  @call({})
  unstake({ amount }: { amount: string }): NearPromise {
    const value = this.startPositive(amount);
    near.log(`Unstaking ${value} from the staking pool @${this.staking_pool_account_id}`);
    return this.poolCall(
      'unstake',
      { amount: value.toString() },
      0n,
      STAKING_POOL_CALL_GAS,
      'on_staking_pool_unstake',
      value,
    );
  }

  /** Owner: unstakes everything on the pool. */
  @call({})
  unstake_all(): NearPromise {
    this.startIdle();
    near.log(`Unstaking all tokens from the staking pool @${this.staking_pool_account_id}`);
    return this.poolCall(
      'unstake_all',
      {},
      0n,
      STAKING_POOL_CALL_GAS,
      'on_staking_pool_unstake_all',
      null,
    );
  }

  /** Owner: withdraws `amount` from the pool back to this account. */
  @call({})
  withdraw_from_staking_pool({ amount }: { amount: string }): NearPromise {
    const value = this.startPositive(amount);
    near.log(`Withdrawing ${value} from the staking pool @${this.staking_pool_account_id}`);
    return this.poolCall(
      'withdraw',
      { amount: value.toString() },
      0n,
      STAKING_POOL_CALL_GAS,
      'on_staking_pool_withdraw',
      value,
    );
  }

  /** Owner: reads the unstaked balance on the pool, then withdraws exactly that (callback). */
  @call({})
  withdraw_all_from_staking_pool(): NearPromise {
    this.startIdle();
    near.log(
      `Going to query the unstaked balance at the staking pool @${this.staking_pool_account_id}`,
    );
    return NearPromise.new(this.staking_pool_account_id)
      .functionCall(
        'get_account_unstaked_balance',
        JSON.stringify({ account_id: near.currentAccountId() }),
        0n,
        STAKING_POOL_VIEW_GAS,
      )
      .then(
        this.selfCall(
          'on_get_account_unstaked_balance_to_withdraw_by_owner',
          {},
          WITHDRAW_ALL_CALLBACK_GAS,
        ),
      );
  }

  /** Owner: refreshes the known deposited balance from the pool's total (rewards included). */
  @call({})
  refresh_staking_pool_balance(): NearPromise {
    this.startIdle();
    near.log(`Fetching total balance from the staking pool @${this.staking_pool_account_id}`);
    return NearPromise.new(this.staking_pool_account_id)
      .functionCall(
        'get_account_total_balance',
        JSON.stringify({ account_id: near.currentAccountId() }),
        0n,
        STAKING_POOL_VIEW_GAS,
      )
      .then(this.selfCall('on_get_account_total_balance', {}, CALLBACK_GAS));
  }

  /** Owner: transfers `amount` of unlocked, liquid tokens to `receiver_id`. */
  @call({})
  transfer({ amount, receiver_id }: { amount: string; receiver_id: string }): NearPromise {
    this.assertOwner();
    const value = parseU128(amount, 'amount');
    ensure(value > 0n, 'Amount should be positive');
    ensure(isValidAccountId(receiver_id), 'The receiver account ID is invalid');
    ensure(!this.staking_pool_busy, 'Contract is currently busy with another operation');
    const liquid = this.get_liquid_owners_balance();
    ensure(
      BigInt(liquid) >= value,
      `The available liquid balance ${liquid} is smaller than the requested transfer amount ${value}`,
    );
    near.log(`Transferring ${value} to account @${receiver_id}`);
    return NearPromise.new(receiver_id).transfer(value);
  }

  /* ------------------------------- callbacks ------------------------------ */

  /** Callback of `select_staking_pool`: selects the pool if the whitelist said yes. */
  @call({ privateFunction: true })
  on_whitelist_is_whitelisted({
    staking_pool_account_id,
  }: {
    staking_pool_account_id: string;
  }): boolean {
    const result = promiseResultOrNull();
    ensure(
      result !== null,
      'The whitelist check failed: the whitelist contract call did not succeed',
    );
    ensure(JSON.parse(result) === true, 'The given staking pool account ID is not whitelisted');
    this.assertStakingPoolIsNotSelected();
    this.staking_pool_account_id = staking_pool_account_id;
    this.staking_pool_busy = false;
    this.known_deposited_balance = 0n;
    return true;
  }

  /** Callback of `deposit_to_staking_pool`: counts the deposit only if the pool took it. */
  @call({ privateFunction: true })
  on_staking_pool_deposit({ amount }: { amount: string }): boolean {
    return this.finishDeposit('The deposit', amount);
  }

  /** Callback of `deposit_and_stake`: counts the deposit only if the pool took it. */
  @call({ privateFunction: true })
  on_staking_pool_deposit_and_stake({ amount }: { amount: string }): boolean {
    return this.finishDeposit('The deposit and stake', amount);
  }

  /** Callback of a withdrawal: lowers the known deposit only if the pool paid out. */
  @call({ privateFunction: true })
  on_staking_pool_withdraw({ amount }: { amount: string }): boolean {
    const succeeded = this.finishCall();
    const value = BigInt(amount);
    if (succeeded) {
      // Rewards can make withdrawals exceed what was deposited.
      this.known_deposited_balance =
        this.known_deposited_balance > value ? this.known_deposited_balance - value : 0n;
    }
    near.log(
      `The withdrawal of ${value} from @${this.staking_pool_account_id} ${succeeded ? 'succeeded' : 'failed'}`,
    );
    return succeeded;
  }

  /** Callback of `stake`. */
  @call({ privateFunction: true })
  on_staking_pool_stake({ amount }: { amount: string }): boolean {
    const succeeded = this.finishCall();
    near.log(
      `Staking ${amount} at @${this.staking_pool_account_id} ${succeeded ? 'succeeded' : 'has failed'}`,
    );
    return succeeded;
  }

  /** Callback of `unstake`. */
  @call({ privateFunction: true })
  on_staking_pool_unstake({ amount }: { amount: string }): boolean {
    const succeeded = this.finishCall();
    near.log(
      `Unstaking ${amount} at @${this.staking_pool_account_id} ${succeeded ? 'succeeded' : 'has failed'}`,
    );
    return succeeded;
  }

  /** Callback of `unstake_all`. */
  @call({ privateFunction: true })
  on_staking_pool_unstake_all(): boolean {
    const succeeded = this.finishCall();
    near.log(
      `Unstaking all at @${this.staking_pool_account_id} ${succeeded ? 'succeeded' : 'has failed'}`,
    );
    return succeeded;
  }

  /** Callback of `refresh_staking_pool_balance`: stores the pool's total for this account. */
  @call({ privateFunction: true })
  on_get_account_total_balance(): boolean {
    const result = promiseResultOrNull();
    this.staking_pool_busy = false;
    if (result === null) {
      near.log(`Fetching the total balance from @${this.staking_pool_account_id} failed`);
      return false;
    }
    const total = parseU128(JSON.parse(result), 'total_balance');
    near.log(`The current total balance on the staking pool is ${total}`);
    this.known_deposited_balance = total;
    return true;
  }

  /** Callback of `withdraw_all_from_staking_pool`: withdraws exactly the unstaked balance read. */
  @call({ privateFunction: true })
  on_get_account_unstaked_balance_to_withdraw_by_owner(): NearPromise | boolean {
    const result = promiseResultOrNull();
    if (result === null) {
      // Mainnet's lockup stays busy here; we free the pool so the owner can retry.
      this.staking_pool_busy = false;
      near.log(`Reading the unstaked balance at @${this.staking_pool_account_id} failed`);
      return false;
    }
    const unstaked = parseU128(JSON.parse(result), 'unstaked_balance');
    if (unstaked === 0n) {
      this.staking_pool_busy = false;
      near.log('No unstaked balance on the staking pool to withdraw');
      return true;
    }
    near.log(`Withdrawing ${unstaked} from the staking pool @${this.staking_pool_account_id}`);
    return this.poolCall(
      'withdraw',
      { amount: unstaked.toString() },
      0n,
      STAKING_POOL_CALL_GAS,
      'on_staking_pool_withdraw',
      unstaked,
    );
  }

  /* --------------------------------- views -------------------------------- */

  /** View: the owner's account id. */
  @view({})
  get_owner_account_id(): string {
    return this.owner_account_id;
  }

  /** View: the selected staking pool, or null. */
  @view({})
  get_staking_pool_account_id(): string | null {
    return this.staking_pool_account_id === '' ? null : this.staking_pool_account_id;
  }

  /** View: deposits known to be on the pool (refresh to include rewards). */
  @view({})
  get_known_deposited_balance(): string {
    return this.known_deposited_balance.toString();
  }

  /** View: account balance plus the known deposit on the pool. */
  @view({})
  get_balance(): string {
    return (near.accountBalance() + this.known_deposited_balance).toString();
  }

  /** View: tokens still locked now. */
  @view({})
  get_locked_amount(): string {
    return lockedAmountAt(
      this.lockup_amount,
      this.unlock_timestamp,
      this.release_duration,
      near.blockTimestamp(),
    ).toString();
  }

  /** View: the owner's tokens (balance + known deposit − locked), some possibly on the pool. */
  @view({})
  get_owners_balance(): string {
    const total = near.accountBalance() + this.known_deposited_balance;
    const locked = BigInt(this.get_locked_amount());
    return (total > locked ? total - locked : 0n).toString();
  }

  /** View: what the owner can transfer now (owner's balance capped by the liquid balance). */
  @view({})
  get_liquid_owners_balance(): string {
    const owners = BigInt(this.get_owners_balance());
    const liquid = spendableBalance();
    return (owners < liquid ? owners : liquid).toString();
  }

  /** View: always true here (transfer polls are not modelled). */
  @view({})
  are_transfers_enabled(): boolean {
    return true;
  }

  /* -------------------------------- helpers ------------------------------- */

  private assertOwner(): void {
    ensure(
      near.predecessorAccountId() === this.owner_account_id,
      'Can only be called by the owner',
    );
  }

  private assertStakingPoolIsNotSelected(): void {
    ensure(this.staking_pool_account_id === '', 'Staking pool is already selected');
  }

  private assertStakingPoolIsIdle(): void {
    ensure(this.staking_pool_account_id !== '', 'Staking pool is not selected');
    ensure(!this.staking_pool_busy, 'Contract is currently busy with another operation');
  }

  /** Owner + idle pool; marks the pool busy until the callback. */
  private startIdle(): void {
    this.assertOwner();
    this.assertStakingPoolIsIdle();
    this.staking_pool_busy = true;
  }

  /** `startIdle` for a call with a positive `amount`. */
  private startPositive(amount: string): bigint {
    this.assertOwner();
    const value = parseU128(amount, 'amount');
    ensure(value > 0n, 'Amount should be positive');
    this.startIdle();
    return value;
  }

  /** `startPositive` for a call that sends `amount` out of this account. */
  private startDeposit(amount: string): bigint {
    const value = this.startPositive(amount);
    ensure(
      spendableBalance() >= value,
      'The balance that can be deposited to the staking pool is lower than the extra amount',
    );
    return value;
  }

  private selfCall(method: string, args: object, gas: bigint): NearPromise {
    return NearPromise.new(near.currentAccountId()).functionCall(
      method,
      JSON.stringify(args),
      0n,
      gas,
    );
  }

  /** `method` on the selected pool, then `callback({ amount })` on this account. */
  private poolCall(
    method: string,
    args: object,
    deposit: bigint,
    gas: bigint,
    callback: string,
    amount: bigint | null,
  ): NearPromise {
    const callbackArgs = amount === null ? {} : { amount: amount.toString() };
    return NearPromise.new(this.staking_pool_account_id)
      .functionCall(method, JSON.stringify(args), deposit, gas)
      .then(this.selfCall(callback, callbackArgs, CALLBACK_GAS));
  }

  /** Frees the pool; true when the pool call succeeded. */
  private finishCall(): boolean {
    const succeeded = promiseResultOrNull() !== null;
    this.staking_pool_busy = false;
    return succeeded;
  }

  private finishDeposit(what: string, amount: string): boolean {
    const succeeded = this.finishCall();
    const value = BigInt(amount);
    if (succeeded) {
      this.known_deposited_balance += value;
    }
    near.log(
      `${what} of ${value} to @${this.staking_pool_account_id} ${succeeded ? 'succeeded' : 'has failed'}`,
    );
    return succeeded;
  }
}

/** Contract method `new` (the real contract's init name; a JS reserved word, hence the alias). */
function initContract(): void {
  // @ts-expect-error `init` is the export that near-sdk-js's bindgen generates for @initialize.
  init();
}

export { initContract as new };
