// APY from the share price (NEAR per sNEAR) at two epoch samples:
//   apy = (p_now / p_then) ^ (365 / days) − 1
// p_now is the newest sample; p_then the newest sample at least `window` days older (by chain
// timestamps), else the oldest one (a shorter history: `days` says how long it really is); days =
// the chain time between the two samples. The ratio is exact bigint (18 decimals, rounded down);
// the power is a float, for display only: APY moves no money. With less than MIN_DAYS (1 day) of
// history between the two samples the APY is null (localnet's compressed epochs, a new deployment).
import type { SampleRow } from './store';

export const APY_FORMULA =
  'apy = (p_now / p_then)^(365 / days) - 1, p = share price (NEAR per sNEAR, ft_price) at epoch samples, days = chain time between the two samples';

const NS_PER_DAY = 86_400n * 1_000_000_000n;
/** Shortest history (chain days) an APY is given for; below it `apy` is null. */
export const MIN_DAYS = 1;
const RATIO_SCALE = 10n ** 18n;

export interface ApyWindow {
  /** Decimal fraction (0.0521 = 5.21 %), 6 places; null with fewer than two samples or < 1 day. */
  apy: string | null;
  fromEpoch: number | null;
  toEpoch: number | null;
  /** Chain days between the two samples (may be shorter than the window). */
  days: number;
}

/** The APY over `windowDays` from samples sorted oldest first. */
export function apyOver(samples: SampleRow[], windowDays: number): ApyWindow {
  const now = samples[samples.length - 1];
  if (!now || samples.length < 2) {
    return { apy: null, fromEpoch: null, toEpoch: now?.epoch ?? null, days: 0 };
  }
  const cutoff = now.timestampNs - BigInt(windowDays) * NS_PER_DAY;
  let then = samples[0];
  for (const s of samples) if (s.timestampNs <= cutoff) then = s;
  const elapsedNs = now.timestampNs - then.timestampNs;
  if (then === now || elapsedNs <= 0n || then.priceYocto === 0n) {
    return { apy: null, fromEpoch: then.epoch, toEpoch: now.epoch, days: 0 };
  }
  const days = Number(elapsedNs) / Number(NS_PER_DAY);
  // Annualising less than a day of history raises noise to the power 365+: not an APY.
  if (days < MIN_DAYS) {
    return { apy: null, fromEpoch: then.epoch, toEpoch: now.epoch, days: Number(days.toFixed(6)) };
  }
  const ratio = Number((now.priceYocto * RATIO_SCALE) / then.priceYocto) / Number(RATIO_SCALE);
  const apy = ratio ** (365 / days) - 1;
  return {
    apy: Number.isFinite(apy) ? apy.toFixed(6) : null,
    fromEpoch: then.epoch,
    toEpoch: now.epoch,
    days: Number(days.toFixed(6)),
  };
}
