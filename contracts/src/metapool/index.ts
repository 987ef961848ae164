// The metapool contract: the @NearBindgen class only wires methods to their modules.
import type {
  ContractStateView,
  GovernanceView,
  GovStateView,
  LiquidUnstakeQuoteView,
} from '@snear/amm-math';
import { call, initialize, NearBindgen, type NearPromise, view } from 'near-sdk-js';
import { deserializeState, registerStateFields, serializeState } from '../shared/state-codec';
import { initState, noDeposit, onlySelf } from './admin';
import { argsObject, parseAccountId, parseCallArgs } from './args';
import { observeClock } from './clock';
import * as gov from './gov';
import * as govClaim from './gov-claim';
import * as governance from './governance';
import { assertBooks } from './ledger';
import {
  addLiquidity,
  getLpAccount,
  liquidUnstake,
  lpTransfer,
  quoteLiquidUnstakeView,
  removeLiquidity,
} from './liquidity';
import { onPoolResult, type PingStep, ping as pingStep } from './maintenance';
import * as staking from './staking';
import type { MetapoolState } from './state';
import * as timelock from './timelock';
import * as token from './token';
import * as validators from './validators';
import * as views from './views';

type Args = Record<string, unknown>;

/** sNEAR metapool: liquid staking over a validator basket with an instant-exit pool. */
@NearBindgen({ requireInit: true, serializer: saveState, deserializer: loadState })
export class Metapool implements MetapoolState {
  ownerId = '';
  governanceId = '';
  pausedBy = '';
  treasuryId = '';
  whitelistId = '';
  lockupSuffixes: string[] = ['.lockup.near'];
  totalStakedNear = 0n;
  totalSnear = 0n;
  lockupShares = 0n;
  seedSnear = 0n;
  liquidity = 0n;
  poolSnear = 0n;
  lpShares = 0n;
  lpUnstakingNear = 0n;
  minFeeBps = 0;
  maxFeeBps = 0;
  targetLiquidity = 0n;
  treasuryCutBps = 0;
  rewardFeeBps = 0;
  selfUnstakeThresholdNear = 0n;
  lastSelfUnstakeEpoch = -1;
  reserveNear = 0n;
  retrievedNear = 0n;
  owedNear = 0n;
  poolsStakedNear = 0n;
  poolsUnstakedNear = 0n;
  maxPoolShareBps = 0;
  maxNetworkShareBps = 0;
  unbondingEpochs = 4;
  timelockEpochs = 0;
  minStakeNear = 0n;
  minFirstDepositNear = 0n;
  depositEpoch = -1;
  depositEpochNear = 0n;
  roundingFundNear = 0n;
  stuckNear = 0n;
  epochLengthBlocks = 43_200;
  epochMarginBlocks = 100;
  seenEpoch = -1;
  seenHeight = 0;
  prevSeenEpoch = -1;
  prevSeenHeight = 0;
  govTokenId = '';
  govStartSeconds = 0;
  govRatePerSecond = 0n;
  govDecayBps = 9_900;
  govScaleBps = 10_000;
  govEmittedBase = 0n;
  govRawBase = 0n;
  govEmitted = 0n;
  govUpdatedAt = 0;
  govStakersBps = 8_000;
  govAccStake = 0n;
  govAccLp = 0n;
  govCarryStake = 0n;
  govCarryLp = 0n;
  govEligibleShares = 0n;
  govTreasury = 0n;
  govClaimed = 0n;
  govInFlight = 0n;
  rewardsNear = 0n;
  lossesNear = 0n;
  nextChangeId = 0;

  /** Init (exported as `new`): owner_id, treasury_id, whitelist_id and optional parameters. */
  @initialize({})
  init(args: Args): void {
    initState(this, argsObject(args));
  }

  // ---- staking-pool interface -------------------------------------------------------------

  /** Payable: attached NEAR becomes withdrawable unstaked balance. */
  @call({ payableFunction: true })
  deposit(): void {
    staking.deposit(this);
  }

  /** Payable: stakes the attached NEAR (clears the pool's sNEAR first); returns sNEAR received. */
  @call({ payableFunction: true })
  deposit_and_stake(): bigint {
    return staking.depositAndStake(this);
  }

  /** Re-stakes `amount` of the caller's unstaked balance. */
  @call({ payableFunction: true })
  stake(args: Args): void {
    noDeposit();
    staking.stake(this, argsObject(args));
  }

  /** Re-stakes the caller's whole unstaked balance. */
  @call({ payableFunction: true })
  stake_all(): void {
    noDeposit();
    staking.stakeAll(this);
  }

  /** Delayed unstake of `amount` NEAR; returns the unlock epoch. */
  @call({ payableFunction: true })
  unstake(args: Args): number {
    noDeposit();
    return staking.unstake(this, argsObject(args));
  }

  /** Delayed unstake of everything; returns the unlock epoch. */
  @call({ payableFunction: true })
  unstake_all(): number {
    noDeposit();
    return staking.unstakeAll(this);
  }

  /** Withdraws exactly `amount` of matured unstaked NEAR. */
  @call({ payableFunction: true })
  withdraw(args: Args): void {
    noDeposit();
    staking.withdraw(this, argsObject(args));
  }

  /** Withdraws all matured unstaked NEAR; returns the amount. */
  @call({ payableFunction: true })
  withdraw_all(): bigint {
    noDeposit();
    return staking.withdrawAll(this);
  }

  /** NEAR value of the account's stake. */
  @view({})
  get_account_staked_balance(args: Args): string {
    return views.stakedBalance(this, argsObject(args));
  }

  /** NEAR unstaked (waiting or withdrawable). */
  @view({})
  get_account_unstaked_balance(args: Args): string {
    return views.unstakedBalance(argsObject(args));
  }

  /** Staked + unstaked NEAR. */
  @view({})
  get_account_total_balance(args: Args): string {
    return views.totalBalance(this, argsObject(args));
  }

  /** True when the whole unstaked balance is withdrawable now. */
  @view({})
  is_account_unstaked_balance_available(args: Args): boolean {
    return views.unstakedAvailable(this, argsObject(args));
  }

  /** Staking-pool style account summary. */
  @view({})
  get_account(args: Args): Record<string, unknown> {
    return views.stakingAccount(this, argsObject(args));
  }

  /** All NEAR under management: stake, NEAR owed to delayed unstakes, instant-exit liquidity. */
  @view({})
  get_total_staked_balance(): string {
    return views.totalUnderManagement(this).toString();
  }

  /** Registered accounts. */
  @view({})
  get_number_of_accounts(): number {
    return views.numberOfAccounts();
  }

  /** `get_account` of registered accounts from `from_index`, at most `limit` (<= 100). */
  @view({})
  get_accounts(args: Args): Record<string, unknown>[] {
    return views.accounts(this, argsObject(args));
  }

  /** yoctoNEAR per 1 sNEAR. */
  @view({})
  ft_price(): string {
    return views.ftPrice(this);
  }

  /** Where every NEAR under management is: at each validator and in this contract. */
  @view({})
  get_stake_distribution(): Record<string, unknown> {
    return views.stakeDistribution(this);
  }

  /** Owner account. */
  @view({})
  get_owner_id(): string {
    return this.ownerId;
  }

  /** Protocol fee on rewards as a fraction. */
  @view({})
  get_reward_fee_fraction(): { numerator: number; denominator: number } {
    return { numerator: this.rewardFeeBps, denominator: 10_000 };
  }

  /** The account's unstake buckets and their unlock epochs. */
  @view({})
  get_account_unstake_schedule(args: Args): Record<string, unknown> {
    return views.unstakeSchedule(this, argsObject(args));
  }

  /** Everything a front-end shows for one account. */
  @view({})
  get_account_info(args: Args): Record<string, unknown> {
    return views.accountInfo(this, argsObject(args));
  }

  /** Pool state, basket, buffers and parameters. */
  @view({})
  get_contract_state(): ContractStateView {
    return views.contractState(this);
  }

  // ---- sNEAR token ------------------------------------------------------------------------

  /** NEP-141 transfer (1 yocto). */
  @call({ payableFunction: true })
  ft_transfer(args: Args): void {
    token.ftTransfer(this, argsObject(args));
  }

  /** NEP-141 transfer and call (1 yocto); to the metapool itself: liquid unstake. */
  @call({ payableFunction: true })
  ft_transfer_call(args: Args): NearPromise | string {
    return token.ftTransferCall(this, argsObject(args));
  }

  /** NEP-141 resolver (private). */
  @call({ payableFunction: true })
  ft_resolve_transfer(args: Args): string {
    onlySelf();
    return token.ftResolveTransfer(this, argsObject(args));
  }

  /** NEP-141 total supply (transferable sNEAR). */
  @view({})
  ft_total_supply(): string {
    return token.ftTotalSupply(this).toString();
  }

  /** NEP-141 balance. */
  @view({})
  ft_balance_of(args: Args): string {
    return token
      .ftBalanceOf(this, parseAccountId('account_id', argsObject(args).account_id))
      .toString();
  }

  /** NEP-148 metadata. */
  @view({})
  ft_metadata(): Record<string, unknown> {
    return token.ftMetadata();
  }

  /** NEP-145 register (0.01 NEAR). */
  @call({ payableFunction: true })
  storage_deposit(args: Args): { total: string; available: string } {
    return token.storageDeposit(this, argsObject(args));
  }

  /** NEP-145 withdraw (nothing is withdrawable above the fixed deposit). */
  @call({ payableFunction: true })
  storage_withdraw(args: Args): { total: string; available: string } {
    return token.storageWithdraw(argsObject(args));
  }

  /** NEP-145 unregister an empty account. */
  @call({ payableFunction: true })
  storage_unregister(args: Args): boolean {
    return token.storageUnregister(this, argsObject(args));
  }

  /** NEP-145 storage balance. */
  @view({})
  storage_balance_of(args: Args): { total: string; available: string } | null {
    return token.storageBalanceOf(parseAccountId('account_id', argsObject(args).account_id));
  }

  /** NEP-145 bounds. */
  @view({})
  storage_balance_bounds(): { min: string; max: string } {
    return token.storageBalanceBounds();
  }

  // ---- instant-exit pool ------------------------------------------------------------------

  /** Sells sNEAR to the pool for NEAR now (slippage guard `min_near_out`). */
  @call({ payableFunction: true })
  liquid_unstake(args: Args): LiquidUnstakeQuoteView {
    return liquidUnstake(this, argsObject(args));
  }

  /** Quote of a liquid unstake (amm-math's fields, snake_case strings). */
  @view({})
  quote_liquid_unstake(args: Args): LiquidUnstakeQuoteView {
    return quoteLiquidUnstakeView(this, argsObject(args));
  }

  /** Payable: adds NEAR liquidity for LP shares (optional `min_shares`). */
  @call({ payableFunction: true })
  add_liquidity(args: Args): bigint {
    return addLiquidity(this, argsObject(args));
  }

  /** Burns LP shares for pro-rata NEAR and sNEAR. */
  @call({ payableFunction: true })
  remove_liquidity(args: Args): Record<string, string> {
    noDeposit();
    return removeLiquidity(this, argsObject(args));
  }

  /** Moves LP shares to a registered account. */
  @call({ payableFunction: true })
  lp_transfer(args: Args): void {
    lpTransfer(this, argsObject(args));
  }

  /** LP shares of an account and their value. */
  @view({})
  get_lp_account(args: Args): Record<string, string> {
    return getLpAccount(this, parseAccountId('account_id', argsObject(args).account_id));
  }

  // ---- maintenance and governance -----------------------------------------------------------

  /** Permissionless: one maintenance step; returns what it did (`idle` when nothing is left). */
  @call({ payableFunction: true })
  ping(): NearPromise | PingStep {
    noDeposit();
    return pingStep(this);
  }

  /** Callback of a ping step (private). */
  @call({ payableFunction: true })
  on_pool_result(args: Args): PingStep {
    onlySelf();
    return onPoolResult(this, argsObject(args));
  }

  /** Governance: queue adding a whitelisted pool. */
  @call({ payableFunction: true })
  add_validator(args: Args): NearPromise {
    noDeposit();
    return validators.addValidator(this, argsObject(args));
  }

  /** Callback of add_validator (private). */
  @call({ payableFunction: true })
  on_whitelist_checked(args: Args): Record<string, unknown> {
    onlySelf();
    return validators.onWhitelistChecked(this, argsObject(args));
  }

  /** Governance: queue a weight change. */
  @call({ payableFunction: true })
  set_validator_weight(args: Args): Record<string, unknown> {
    noDeposit();
    return validators.setValidatorWeight(this, argsObject(args));
  }

  /** Governance: queue a removal (drain, then drop). */
  @call({ payableFunction: true })
  remove_validator(args: Args): Record<string, unknown> {
    noDeposit();
    return validators.removeValidator(this, argsObject(args));
  }

  /** Governance: queue new fee parameters (within the hard caps). */
  @call({ payableFunction: true })
  propose_fee_params(args: Args): Record<string, unknown> {
    noDeposit();
    return validators.proposeFeeParams(this, argsObject(args));
  }

  /** Governance: queue a new list of lockup account-id suffixes. */
  @call({ payableFunction: true })
  propose_lockup_suffixes(args: Args): Record<string, unknown> {
    noDeposit();
    return validators.proposeLockupSuffixes(this, argsObject(args));
  }

  /** Guardian or governance: cancel a queued change. */
  @call({ payableFunction: true })
  cancel_change(args: Args): void {
    noDeposit();
    timelock.cancelChange(this, argsObject(args));
  }

  /**
   * Anyone: apply queued changes whose timelock passed (new validators re-checked at the
   * whitelist); returns `{ applied, rejected: [{ id, error }] }`.
   */
  @call({ payableFunction: true })
  apply_changes(): NearPromise | timelock.ApplyResult {
    noDeposit();
    return timelock.applyChanges(this, false);
  }

  /** Callback of apply_changes (private). */
  @call({ payableFunction: true })
  on_changes_checked(args: Args): timelock.ApplyResult | PingStep {
    onlySelf();
    return timelock.onChangesChecked(this, argsObject(args));
  }

  /** Governance: queue a new guardian (null: none). */
  @call({ payableFunction: true })
  set_guardian(args: Args): Record<string, unknown> {
    noDeposit();
    return governance.setGuardian(this, argsObject(args));
  }

  /** Governance: queue a new governance account. */
  @call({ payableFunction: true })
  set_governance(args: Args): Record<string, unknown> {
    noDeposit();
    return governance.setGovernance(this, argsObject(args));
  }

  /** Owner, once: queue the handover of every governance power to the governance account. */
  @call({ payableFunction: true })
  hand_over_to_governance(): Record<string, unknown> {
    noDeposit();
    return governance.handOverToGovernance(this);
  }

  /** Guardian or governance: refuse new deposits (exits stay open). */
  @call({ payableFunction: true })
  pause_deposits(): void {
    noDeposit();
    governance.setDepositsPaused(this, true);
  }

  /** Guardian or governance: accept deposits again. */
  @call({ payableFunction: true })
  resume_deposits(): void {
    noDeposit();
    governance.setDepositsPaused(this, false);
  }

  /** Who governs, the guardian, the timelock and its floor, the pause, queued changes. */
  @view({})
  get_governance(): GovernanceView {
    return timelock.governanceView(this);
  }

  // ---- governance token (§12) ----------------------------------------------------------------

  /** Mints the caller's accrued GOV to it; with `lockup_id`, a lockup owner claims the lockup's. */
  @call({})
  claim_gov(args: Args): NearPromise {
    return govClaim.claimGov(this, argsObject(args));
  }

  /** Callback of claim_gov with a lockup (private). */
  @call({})
  on_lockup_owner(args: Args): NearPromise {
    onlySelf();
    return govClaim.onLockupOwner(this, argsObject(args));
  }

  /** Callback of the token's mint (private): restores the accrual if it failed. */
  @call({})
  on_gov_minted(args: Args): boolean {
    onlySelf();
    return govClaim.onGovMinted(this, argsObject(args));
  }

  /** Sends the caller's future GOV accrual to a registered account (null: back to itself). */
  @call({})
  set_gov_beneficiary(args: Args): void {
    govClaim.setGovBeneficiary(this, argsObject(args));
  }

  /** Governance: queue a lower emission schedule (never higher). */
  @call({})
  lower_gov_emission(args: Args): Record<string, unknown> {
    return governance.lowerGovEmission(this, argsObject(args));
  }

  /** Governance: queue the stakers' part of the emission (5000..10000 bps). */
  @call({})
  set_gov_split(args: Args): Record<string, unknown> {
    return governance.setGovSplit(this, argsObject(args));
  }

  /** Governance: queue a new governance-token contract. */
  @call({})
  set_gov_token(args: Args): Record<string, unknown> {
    return governance.setGovToken(this, argsObject(args));
  }

  /** Emission schedule, split, emitted and remaining, accumulators, token account. */
  @view({})
  get_gov_state(): GovStateView {
    return gov.govState(this);
  }

  /** GOV `account_id` could claim now. */
  @view({})
  get_gov_unclaimed(args: Args): string {
    const accountId = parseAccountId('account_id', argsObject(args).account_id);
    return gov.govUnclaimedOf(this, accountId).toString();
  }

  /** GOV `account_id` can claim, what others forwarded to it, its beneficiary and what it forwards. */
  @view({})
  get_gov_account(args: Args): Record<string, unknown> {
    const accountId = parseAccountId('account_id', argsObject(args).account_id);
    return gov.govAccount(this, accountId);
  }

  /** Queued changes. */
  @view({})
  get_pending_changes(): Record<string, unknown>[] {
    return timelock.pendingChanges();
  }
}

// Module load (the build's pre-initialisation): which state fields the codec turns into bigints.
registerStateFields(new Metapool());

/**
 * STATE bytes at the end of every state-changing call: the epoch clock records the call, and the
 * books identity must hold (ledger.assertBooks) or the whole call fails, state unchanged.
 */
function saveState(state: unknown): Uint8Array {
  const st = state as MetapoolState;
  observeClock(st);
  assertBooks(st);
  return serializeState(st);
}

/** True once this call read STATE (set by the deserializer, which near-sdk-js runs first). */
let stateLoaded = false;

function loadState(bytes: Uint8Array): unknown {
  stateLoaded = true;
  return deserializeState(bytes);
}

const bindings = Metapool as unknown as {
  _getArgs: () => unknown;
  _create: () => object;
  _reconstruct: (contract: object, plain: object) => object;
};
// near-sdk-js parses arguments with a bare JSON.parse (a raw SyntaxError on bad input).
bindings._getArgs = parseCallArgs;
// With STATE read, a call needs no field initialisers (every field is in STATE) and no per-field
// reconstructor lookup (every field is a plain value): one Object.assign, done in C by QuickJS.
bindings._create = () => (stateLoaded ? Object.create(Metapool.prototype) : new Metapool());
bindings._reconstruct = (contract, plain) => Object.assign(contract, plain);

/** Contract method `new` (a JS reserved word, hence the alias of the generated `init`). */
function initContract(): void {
  // @ts-expect-error `init` is the export that near-sdk-js's bindgen generates for @initialize.
  init();
}

export { initContract as new };
