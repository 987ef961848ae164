// The governance token's public emission schedule (PROTOCOL §12): a rate per second fixed at
// launch that decays by a fixed factor every week, so the total is bounded and known. Closed form
// (a geometric sum), exact in bigint: no loop over weeks, whatever the gap since the last update.
import { AmmError } from './errors';

/** Seconds in the schedule's week. */
export const WEEK_SECONDS = 604_800n;
/** Basis points in 100%. */
const BPS = 10_000n;

/** The schedule fixed at launch. */
export interface EmissionSchedule {
  /** GOV (smallest units) emitted per second in the first week. */
  ratePerSecond: bigint;
  /** Weekly factor in bps (9_900: each week's rate is 99% of the previous one); below 10_000. */
  weeklyDecayBps: number;
}

function requireSchedule(s: EmissionSchedule): void {
  if (s.ratePerSecond < 0n || !Number.isInteger(s.weeklyDecayBps)) {
    throw new AmmError('INVALID_ARGUMENT', 'the rate must be >= 0 and the decay whole bps');
  }
  if (s.weeklyDecayBps < 0 || s.weeklyDecayBps >= 10_000) {
    throw new AmmError(
      'INVALID_ARGUMENT',
      `weekly decay ${s.weeklyDecayBps} bps must be in 0..9999 (10000 would never end)`,
    );
  }
}

/**
 * GOV emitted in the first `elapsed` seconds (rounded down): with d = decay, K whole weeks and
 * r seconds into week K, rate·(W·(1 − d^K)/(1 − d) + d^K·r), as one fraction.
 */
export function emittedAfter(s: EmissionSchedule, elapsed: bigint): bigint {
  requireSchedule(s);
  if (elapsed <= 0n || s.ratePerSecond === 0n) return 0n;
  const num = BigInt(s.weeklyDecayBps);
  const k = elapsed / WEEK_SECONDS;
  const rem = elapsed - k * WEEK_SECONDS;
  const denK = BPS ** k;
  const numK = num ** k;
  const top = WEEK_SECONDS * (denK - numK) * BPS + numK * rem * (BPS - num);
  return (s.ratePerSecond * top) / (denK * (BPS - num));
}

/** Everything the schedule will ever emit (rounded down): rate·W / (1 − d). */
export function totalEmission(s: EmissionSchedule): bigint {
  requireSchedule(s);
  return (s.ratePerSecond * WEEK_SECONDS * BPS) / (BPS - BigInt(s.weeklyDecayBps));
}

/** The rate per second `elapsed` seconds after launch (rounded down). */
export function rateAfter(s: EmissionSchedule, elapsed: bigint): bigint {
  requireSchedule(s);
  const k = elapsed <= 0n ? 0n : elapsed / WEEK_SECONDS;
  return (s.ratePerSecond * BigInt(s.weeklyDecayBps) ** k) / BPS ** k;
}

/** What the emission pays per day from `now` (unix seconds), in total and per unit held. */
export interface GovEarnings {
  /** GOV the whole emission pays in the next 24 hours, to stakers and to LPs. */
  stakersPerDay: bigint;
  lpsPerDay: bigint;
  /** GOV `snearShares` of eligible sNEAR earn in that day (0 when none is eligible yet). */
  perSnearPerDay: bigint;
  /** GOV `lpShares` LP shares earn in that day. */
  perLpPerDay: bigint;
}

const DAY_SECONDS = 86_400n;

/**
 * Next-24-hours earnings from the view fields of get_gov_state (rounded down), for `snearShares`
 * of sNEAR and `lpShares` LP shares: each holder's part of its side of the split.
 */
export function govEarningsPerDay(
  gov: {
    start_seconds: number;
    initial_rate_per_second: string;
    weekly_decay_bps: number;
    scale_bps: number;
    stakers_bps: number;
    eligible_shares: string;
    lp_shares: string;
  },
  now: number,
  snearShares: bigint,
  lpShares: bigint,
): GovEarnings {
  const s = {
    ratePerSecond: BigInt(gov.initial_rate_per_second),
    weeklyDecayBps: gov.weekly_decay_bps,
  };
  const from = BigInt(Math.max(0, now - gov.start_seconds));
  const day =
    ((emittedAfter(s, from + DAY_SECONDS) - emittedAfter(s, from)) * BigInt(gov.scale_bps)) / BPS;
  const stakersPerDay = (day * BigInt(gov.stakers_bps)) / BPS;
  const lpsPerDay = day - stakersPerDay;
  const eligible = BigInt(gov.eligible_shares);
  const lps = BigInt(gov.lp_shares);
  return {
    stakersPerDay,
    lpsPerDay,
    perSnearPerDay: eligible === 0n ? 0n : (stakersPerDay * snearShares) / eligible,
    perLpPerDay: lps === 0n ? 0n : (lpsPerDay * lpShares) / lps,
  };
}
