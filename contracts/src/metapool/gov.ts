// Governance-token accrual (§12): a public emission schedule (amm-math's emission.ts) split between
// stakers and LPs, and one reward-per-share accumulator for each: over eligible sNEAR (every
// account record but the treasury's: holders and lockups, not the pool's own sNEAR or the seed)
// and over LP shares. The ledger settles an account (settleGov) before every change of its shares
// or LP shares, so an account earns exactly for what it held and when; catching up over any gap is
// one closed-form sum. Every division rounds down; the remainders are carried (accumulators) or
// bounded by one smallest unit per settle (accounts).
import {
  type EmissionSchedule,
  emittedAfter,
  type GovStateView,
  rateAfter,
  totalEmission,
} from '@snear/amm-math';
import { near } from 'near-sdk-js';
import type { MetapoolState } from './state';
import { readAccount, readGovForwarded, writeGovForwarded } from './storage';
import { type AccountRecord, BPS } from './types';

/** Scale of the reward-per-share accumulators. */
export const GOV_PRECISION = 10n ** 30n;

/** Block time in whole seconds. */
export function nowSeconds(): number {
  return Number(near.blockTimestamp() / 1_000_000_000n);
}

function schedule(st: MetapoolState): EmissionSchedule {
  return { ratePerSecond: st.govRatePerSecond, weeklyDecayBps: st.govDecayBps };
}

/** GOV emitted from launch until `now` (seconds), after governance's multiplier. */
export function emittedAt(st: MetapoolState, now: number): bigint {
  if (st.govRatePerSecond === 0n) return st.govEmittedBase;
  const raw = emittedAfter(schedule(st), BigInt(now - st.govStartSeconds));
  return st.govEmittedBase + ((raw - st.govRawBase) * BigInt(st.govScaleBps)) / BPS;
}

/** The accumulators as an update at `now` would leave them (pure: views use it too). */
function accumulatorsAt(st: MetapoolState, now: number) {
  const out = {
    emitted: st.govEmitted,
    accStake: st.govAccStake,
    accLp: st.govAccLp,
    carryStake: st.govCarryStake,
    carryLp: st.govCarryLp,
    treasury: st.govTreasury,
  };
  if (now <= st.govUpdatedAt) return out;
  const emitted = emittedAt(st, now);
  const delta = emitted - st.govEmitted;
  if (delta <= 0n) return out;
  out.emitted = emitted;
  const toStakers = (delta * BigInt(st.govStakersBps)) / BPS;
  const toLps = delta - toStakers;
  if (st.govEligibleShares > 0n) {
    const num = st.govCarryStake + toStakers * GOV_PRECISION;
    const inc = num / st.govEligibleShares;
    out.accStake += inc;
    out.carryStake = num - inc * st.govEligibleShares;
  } else out.treasury += toStakers;
  if (st.lpShares > 0n) {
    const num = st.govCarryLp + toLps * GOV_PRECISION;
    const inc = num / st.lpShares;
    out.accLp += inc;
    out.carryLp = num - inc * st.lpShares;
  } else out.treasury += toLps;
  return out;
}

/** Brings the accumulators up to now; when nobody is eligible, that emission is the treasury's. */
export function updateGov(st: MetapoolState): void {
  const now = nowSeconds();
  const a = accumulatorsAt(st, now);
  if (now > st.govUpdatedAt) st.govUpdatedAt = now;
  st.govEmitted = a.emitted;
  st.govAccStake = a.accStake;
  st.govAccLp = a.accLp;
  st.govCarryStake = a.carryStake;
  st.govCarryLp = a.carryLp;
  st.govTreasury = a.treasury;
}

/** What `acc` earned since its last settle, at accumulators `accStake` / `accLp`. */
function earnedSince(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  accStake: bigint,
  accLp: bigint,
): bigint {
  const eligible = accountId !== st.treasuryId;
  let earned = 0n;
  if (eligible && acc.shares > 0n)
    earned += (acc.shares * (accStake - acc.govPaidStake)) / GOV_PRECISION;
  if (acc.lp > 0n) earned += (acc.lp * (accLp - acc.govPaidLp)) / GOV_PRECISION;
  return earned;
}

/**
 * Settles an account before its shares or LP shares change: what it earned is booked to it (or
 * to its beneficiary) and its accumulators move to now. The caller writes the record.
 */
export function settleGov(st: MetapoolState, accountId: string, acc: AccountRecord): void {
  // No schedule, no emission ever: the accumulators never move, so there is nothing to settle.
  if (st.govRatePerSecond === 0n) return;
  updateGov(st);
  const earned = earnedSince(st, accountId, acc, st.govAccStake, st.govAccLp);
  acc.govPaidStake = st.govAccStake;
  acc.govPaidLp = st.govAccLp;
  if (earned === 0n) return;
  // A beneficiary's share is kept under its own key: the beneficiary's record may be loaded and
  // written by the same call (a transfer to it), and must not be overwritten by a stale copy.
  if (acc.govBeneficiary !== null && readAccount(acc.govBeneficiary) !== null) {
    writeGovForwarded(acc.govBeneficiary, readGovForwarded(acc.govBeneficiary) + earned);
  } else acc.govUnclaimed += earned;
}

/** Moves the shares counted as eligible when they change hands (`delta` may be negative). */
export function adjustEligible(st: MetapoolState, accountId: string, delta: bigint): void {
  if (accountId !== st.treasuryId) st.govEligibleShares += delta;
}

/**
 * `get_gov_account({ account_id })`: what the account could claim now (its own accrual, what
 * others forwarded to it, the treasury's share for the treasury), and what it earned since its
 * last settle that goes to its beneficiary (forwarded at its next balance change).
 */
export function govAccount(st: MetapoolState, accountId: string) {
  const a = accumulatorsAt(st, nowSeconds());
  const acc = readAccount(accountId);
  const forwardedToIt = readGovForwarded(accountId);
  let claimable = forwardedToIt;
  let pendingForward = 0n;
  if (acc !== null) {
    claimable += acc.govUnclaimed;
    const earned = earnedSince(st, accountId, acc, a.accStake, a.accLp);
    if (acc.govBeneficiary !== null && readAccount(acc.govBeneficiary) !== null)
      pendingForward = earned;
    else claimable += earned;
  }
  if (accountId === st.treasuryId) claimable += a.treasury;
  return {
    account_id: accountId,
    claimable: claimable.toString(),
    forwarded_to_it: forwardedToIt.toString(),
    beneficiary_id: acc === null ? null : acc.govBeneficiary,
    pending_forward: pendingForward.toString(),
  };
}

/** What `accountId` could claim now (govAccount's `claimable`). */
export function govUnclaimedOf(st: MetapoolState, accountId: string): bigint {
  return BigInt(govAccount(st, accountId).claimable);
}

/** `get_gov_state()`: the schedule, the split, what was emitted and is left, the accumulators. */
export function govState(st: MetapoolState): GovStateView {
  const now = nowSeconds();
  const a = accumulatorsAt(st, now);
  const elapsed = BigInt(Math.max(0, now - st.govStartSeconds));
  const scale = BigInt(st.govScaleBps);
  const total =
    st.govRatePerSecond === 0n
      ? st.govEmittedBase
      : st.govEmittedBase + ((totalEmission(schedule(st)) - st.govRawBase) * scale) / BPS;
  const rate = (rateAfter(schedule(st), elapsed) * scale) / BPS;
  return {
    token_id: st.govTokenId === '' ? null : st.govTokenId,
    start_seconds: st.govStartSeconds,
    rate_per_second: rate.toString(),
    initial_rate_per_second: st.govRatePerSecond.toString(),
    weekly_decay_bps: st.govDecayBps,
    scale_bps: st.govScaleBps,
    stakers_bps: st.govStakersBps,
    lps_bps: 10_000 - st.govStakersBps,
    emitted: a.emitted.toString(),
    // what the schedule, at today's multiplier, will ever emit, and has still to
    total: total.toString(),
    remaining: (total > a.emitted ? total - a.emitted : 0n).toString(),
    acc_stake: a.accStake.toString(),
    acc_lp: a.accLp.toString(),
    precision: GOV_PRECISION.toString(),
    eligible_shares: st.govEligibleShares.toString(),
    lp_shares: st.lpShares.toString(),
    treasury_unclaimed: a.treasury.toString(),
    claimed: st.govClaimed.toString(),
    in_flight: st.govInFlight.toString(),
  };
}
