// Claiming the governance token (§12), beneficiaries, and governance's levers on the emission.
// A claim zeroes the claimer's accrual first and mints on the token contract; the callback
// restores the accrual if the mint failed, so nothing is lost either way.

import { emittedAfter } from '@snear/amm-math';
import { NearPromise, near } from 'near-sdk-js';
import { isLockup, requireAccount, saveAccount } from './accounts';
import { parseAccountId, parseInteger } from './args';
import { ensure, fail } from './errors';
import { emitProtocol } from './events';
import { emittedAt, nowSeconds, settleGov, updateGov } from './gov';
import type { MetapoolState } from './state';
import { readAccount, readGovForwarded, writeGovForwarded } from './storage';
import { TGAS } from './types';

const GAS_MINT = 20n * TGAS;
const GAS_ON_MINTED = 15n * TGAS;
const GAS_LOCKUP_OWNER_VIEW = 10n * TGAS;
const GAS_ON_LOCKUP_OWNER = 60n * TGAS;
/** Governance may move the stakers' part of the emission within this range (bps). */
export const MIN_STAKERS_BPS = 5_000;

/** Init arguments of the emission (`new`): all optional; no token, no emission. */
export function initGov(st: MetapoolState, args: Record<string, unknown>): void {
  st.govStartSeconds = nowSeconds();
  st.govUpdatedAt = st.govStartSeconds;
  if (args.gov_token_id !== undefined)
    st.govTokenId = parseAccountId('gov_token_id', args.gov_token_id);
  const rate = args.gov_rate_per_second;
  if (rate !== undefined) {
    ensure(
      typeof rate === 'string' && /^\d{1,39}$/.test(rate),
      'E_BAD_ARGS',
      'gov_rate_per_second must be a decimal string (smallest GOV units per second)',
    );
    st.govRatePerSecond = BigInt(rate);
  }
  if (args.gov_weekly_decay_bps !== undefined)
    st.govDecayBps = parseInteger('gov_weekly_decay_bps', args.gov_weekly_decay_bps, 0, 9_999);
  if (args.gov_stakers_bps !== undefined)
    st.govStakersBps = parseInteger(
      'gov_stakers_bps',
      args.gov_stakers_bps,
      MIN_STAKERS_BPS,
      10_000,
    );
  ensure(
    st.govRatePerSecond === 0n || st.govTokenId !== '',
    'E_BAD_ARGS',
    'gov_rate_per_second needs gov_token_id (the token contract whose minter is this metapool)',
  );
}

/** Zeroes what `accountId` may claim (own accrual, forwarded, the treasury's) and returns it. */
function takeClaimable(st: MetapoolState, accountId: string): bigint {
  const acc = requireAccount(accountId);
  settleGov(st, accountId, acc);
  let amount = acc.govUnclaimed + readGovForwarded(accountId);
  acc.govUnclaimed = 0n;
  saveAccount(accountId, acc);
  writeGovForwarded(accountId, 0n);
  if (accountId === st.treasuryId) {
    amount += st.govTreasury;
    st.govTreasury = 0n;
  }
  return amount;
}

function mintTo(
  st: MetapoolState,
  creditId: string,
  receiverId: string,
  amount: bigint,
): NearPromise {
  st.govInFlight += amount;
  return NearPromise.new(st.govTokenId)
    .functionCall(
      'mint',
      JSON.stringify({ account_id: receiverId, amount: amount.toString() }),
      0n,
      GAS_MINT,
    )
    .then(
      NearPromise.new(near.currentAccountId()).functionCall(
        'on_gov_minted',
        JSON.stringify({
          account_id: creditId,
          receiver_id: receiverId,
          amount: amount.toString(),
        }),
        0n,
        GAS_ON_MINTED,
      ),
    );
}

function requireToken(st: MetapoolState): void {
  ensure(st.govTokenId !== '', 'E_GOV_DISABLED', 'this metapool has no governance token yet');
}

/**
 * `claim_gov({ lockup_id? })`: mints the caller's accrued GOV to it. With `lockup_id`, the owner of
 * a lockup account (which cannot call us) claims the lockup's accrual: the lockup's
 * `get_owner_account_id` must name the caller.
 */
export function claimGov(st: MetapoolState, args: Record<string, unknown>): NearPromise {
  requireToken(st);
  const caller = near.predecessorAccountId();
  if (args.lockup_id !== undefined && args.lockup_id !== null) {
    const lockupId = parseAccountId('lockup_id', args.lockup_id);
    const record = readAccount(lockupId);
    ensure(
      record !== null && isLockup(st, lockupId, record),
      'E_BAD_ARGS',
      `${lockupId} is not a lockup account staking here; claim_gov() without lockup_id claims your own`,
    );
    return NearPromise.new(lockupId)
      .functionCall('get_owner_account_id', '', 0n, GAS_LOCKUP_OWNER_VIEW)
      .then(
        NearPromise.new(near.currentAccountId()).functionCall(
          'on_lockup_owner',
          JSON.stringify({ lockup_id: lockupId, caller }),
          0n,
          GAS_ON_LOCKUP_OWNER,
        ),
      );
  }
  const amount = takeClaimable(st, caller);
  ensure(amount > 0n, 'E_NOTHING_TO_CLAIM', `${caller} has no governance tokens to claim yet`);
  emitProtocol('gov_claim', { account_id: caller, amount });
  return mintTo(st, caller, caller, amount);
}

/** Callback of claim_gov with a lockup: mints the lockup's accrual to its owner, the caller. */
export function onLockupOwner(st: MetapoolState, args: Record<string, unknown>): NearPromise {
  const lockupId = args.lockup_id as string;
  const caller = args.caller as string;
  let owner: unknown = null;
  try {
    owner = JSON.parse(near.promiseResult(0));
  } catch (_e) {
    fail('E_NOT_LOCKUP_OWNER', `${lockupId} did not say who owns it; try again`);
  }
  ensure(
    owner === caller,
    'E_NOT_LOCKUP_OWNER',
    `${caller} is not the owner of ${lockupId}; only its owner may claim its governance tokens`,
  );
  const amount = takeClaimable(st, lockupId);
  ensure(amount > 0n, 'E_NOTHING_TO_CLAIM', `${lockupId} has no governance tokens to claim yet`);
  emitProtocol('gov_claim', { account_id: lockupId, receiver_id: caller, amount });
  return mintTo(st, lockupId, caller, amount);
}

/** Callback of the mint: books the claim, or gives the accrual back when the mint failed. */
export function onGovMinted(st: MetapoolState, args: Record<string, unknown>): boolean {
  const accountId = args.account_id as string;
  const amount = BigInt(args.amount as string);
  st.govInFlight -= amount;
  let ok = true;
  try {
    near.promiseResult(0);
  } catch (_e) {
    ok = false;
  }
  if (ok) {
    st.govClaimed += amount;
    return true;
  }
  const acc = readAccount(accountId);
  if (acc !== null) {
    acc.govUnclaimed += amount;
    saveAccount(accountId, acc);
  } else writeGovForwarded(accountId, readGovForwarded(accountId) + amount);
  emitProtocol('gov_claim_failed', { account_id: accountId, amount });
  return false;
}

/**
 * `set_gov_beneficiary({ beneficiary_id })`: the caller's future accrual goes to a registered
 * account (a DEX or farm holding sNEAR for its users passes their distributor); null to stop.
 * What the caller earned until now stays its own.
 */
export function setGovBeneficiary(st: MetapoolState, args: Record<string, unknown>): void {
  const accountId = near.predecessorAccountId();
  const acc = requireAccount(accountId);
  let beneficiary: string | null = null;
  if (args.beneficiary_id !== null && args.beneficiary_id !== undefined) {
    beneficiary = parseAccountId('beneficiary_id', args.beneficiary_id);
    ensure(
      beneficiary !== accountId,
      'E_BAD_ARGS',
      'an account is its own beneficiary already; pass null',
    );
    const target = readAccount(beneficiary);
    ensure(
      target !== null,
      'E_NOT_REGISTERED',
      `${beneficiary} is not registered here; it must call storage_deposit first`,
    );
    ensure(
      target.govBeneficiary === null,
      'E_BAD_ARGS',
      `${beneficiary} forwards its own accrual to ${target.govBeneficiary}: name the final beneficiary (no chains or loops)`,
    );
  }
  settleGov(st, accountId, acc);
  acc.govBeneficiary = beneficiary;
  saveAccount(accountId, acc);
  emitProtocol('gov_beneficiary', { account_id: accountId, beneficiary_id: beneficiary });
}

/**
 * Applies a queued `lower_gov_emission` (timelock.ts): the rest of the schedule becomes
 * scale_bps / 10000 of the original; what was emitted stays. The caller checked it lowers.
 */
export function applyGovScale(st: MetapoolState, scale: number): void {
  updateGov(st);
  const now = nowSeconds();
  st.govEmittedBase = emittedAt(st, now);
  st.govRawBase = emittedAfter(
    { ratePerSecond: st.govRatePerSecond, weeklyDecayBps: st.govDecayBps },
    BigInt(now - st.govStartSeconds),
  );
  st.govScaleBps = scale;
  emitProtocol('gov_emission_lowered', { scale_bps: scale });
}

/** Applies a queued `set_gov_split` (timelock.ts): the stakers' part, from now on. */
export function applyGovSplit(st: MetapoolState, stakersBps: number): void {
  updateGov(st);
  st.govStakersBps = stakersBps;
  emitProtocol('gov_split', { stakers_bps: stakersBps });
}
