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
