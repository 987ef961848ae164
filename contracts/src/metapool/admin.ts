// Initialisation and call guards.
import { near } from 'near-sdk-js';
import { currentEpoch } from './accounts';
import { parseAccountId, parseAmount, parseInteger } from './args';
import { ensure, fail } from './errors';
import { emitMint, emitProtocol } from './events';
import { parseFeeParams } from './fees';
import { initGov } from './gov-claim';
import { queueInitialValidators } from './governance';
import { seedSupply } from './ledger';
import { parseLockupSuffixes } from './lockup';
import type { MetapoolState } from './state';
import { emptyAccount, writeAccount } from './storage';
import { timelockFloor } from './timelock';
import { ONE_NEAR } from './types';

/** Rounding fund set aside at init (0.01 NEAR: billions of staking-pool roundings). */
const ROUNDING_FUND_NEAR = ONE_NEAR / 100n;

/** E_DEPOSIT when NEAR is attached to a method that takes none. */
export function noDeposit(): void {
  const d = near.attachedDeposit();
  if (d > 0n) fail('E_DEPOSIT', `this method takes no deposit (attached ${d} yocto)`);
}

/** E_UNAUTHORIZED unless the contract calls itself (callbacks). */
export function onlySelf(): void {
  if (near.predecessorAccountId() !== near.currentAccountId()) {
    fail('E_UNAUTHORIZED', 'callbacks may only be called by the contract itself');
  }
}

/** `new({ owner_id, treasury_id, whitelist_id, ... })`: parameters of §3, §7, §9; seeds the supply. */
export function initState(st: MetapoolState, args: Record<string, unknown>): void {
  st.ownerId = parseAccountId('owner_id', args.owner_id);
  st.treasuryId = parseAccountId('treasury_id', args.treasury_id);
  st.whitelistId = parseAccountId('whitelist_id', args.whitelist_id);
  st.governanceId =
    args.governance_id === undefined
      ? st.ownerId
      : parseAccountId('governance_id', args.governance_id);
  ensure(
    args.lockup_suffix === undefined,
    'E_BAD_ARGS',
    'lockup_suffix is not an argument: give lockup_suffixes, a list (e.g. [".lockup.near"])',
  );
  // (default ['.lockup.near']; checked against the treasury and this account either way)
  st.lockupSuffixes = parseLockupSuffixes(
    st,
    args.lockup_suffixes === undefined ? st.lockupSuffixes : args.lockup_suffixes,
  );
  // Defaults: 0.3%..3% curve, 10,000 NEAR target, 25% treasury cut, 10% protocol fee.
  st.minFeeBps = 30;
  st.maxFeeBps = 300;
  st.targetLiquidity = 10_000n * ONE_NEAR;
  st.treasuryCutBps = 2_500;
  st.rewardFeeBps = 1_000;
  const fees = parseFeeParams(st, args);
  st.minFeeBps = fees.minFeeBps;
  st.maxFeeBps = fees.maxFeeBps;
  st.targetLiquidity = fees.targetLiquidity;
  st.treasuryCutBps = fees.treasuryCutBps;
  st.rewardFeeBps = fees.rewardFeeBps;
  const opt = (name: string, fallback: number, min: number, max: number) =>
    args[name] === undefined ? fallback : parseInteger(name, args[name], min, max);
  st.maxPoolShareBps = opt('max_pool_share_bps', 2_500, 1, 10_000);
  st.maxNetworkShareBps = opt('max_network_share_bps', 1_000, 1, 10_000);
  st.unbondingEpochs = opt('unbonding_epochs', 4, 1, 100);
  // The floor (unbonding + 2) is in code: a user who disagrees with a change must be able to
  // delayed-unstake when it is queued and be out before it applies.
  const floor = timelockFloor(st);
  st.timelockEpochs = opt('timelock_epochs', Math.max(6, floor), 0, 1_000);
  ensure(
    st.timelockEpochs >= floor,
    'E_BAD_ARGS',
    `timelock_epochs ${st.timelockEpochs} is below the floor of unbonding_epochs + 2 = ${floor}: users must be able to unstake and leave before a change applies`,
  );
  // NEAR mainnet and testnet: 43,200 blocks; localnet passes its own (clock.ts).
  st.epochLengthBlocks = opt('epoch_length_blocks', 43_200, 10, 10_000_000);
  st.epochMarginBlocks = opt('epoch_margin_blocks', 100, 3, st.epochLengthBlocks - 1);
  const optAmount = (name: string, fallback: bigint) =>
    args[name] === undefined ? fallback : parseAmount(name, args[name], true);
  st.minStakeNear = optAmount('min_stake_near', ONE_NEAR);
  st.minFirstDepositNear = optAmount('min_first_deposit_near', ONE_NEAR / 10n);
  st.selfUnstakeThresholdNear = optAmount('self_unstake_threshold_near', 10n * ONE_NEAR);
  const seed = optAmount('seed_near', ONE_NEAR);
  ensure(
    seed > 0n,
    'E_BAD_ARGS',
    'seed_near must be positive (it defeats share-inflation attacks)',
  );
  ensure(
    near.accountBalance() > seed + ROUNDING_FUND_NEAR + 5n * ONE_NEAR,
    'E_BAD_ARGS',
    `the contract account needs more than ${seed + 5n * ONE_NEAR} yocto for the seed and storage`,
  );
  // Locked seed supply: backed by NEAR from the contract's own balance, owned by nobody.
  seedSupply(st, seed, ROUNDING_FUND_NEAR);
  initGov(st, args);
  queueInitialValidators(st, args.validators, currentEpoch());
  st.lastSelfUnstakeEpoch = -1;
  st.depositEpoch = -1;
  writeAccount(st.treasuryId, emptyAccount());
  emitMint(near.currentAccountId(), seed, 'locked seed');
  emitProtocol('init', { owner_id: st.ownerId, treasury_id: st.treasuryId, seed_near: seed });
}
