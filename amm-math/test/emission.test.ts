import {
  type EmissionSchedule,
  emittedAfter,
  isAmmError,
  rateAfter,
  totalEmission,
  WEEK_SECONDS,
} from '../src';

const GOV = 10n ** 24n;
const schedule: EmissionSchedule = { ratePerSecond: GOV / 100n, weeklyDecayBps: 9_900 };

/** The definition, week by week with exact fractions (num/den), floored once at the end. */
function byWeeks(s: EmissionSchedule, elapsed: bigint): bigint {
  const d = BigInt(s.weeklyDecayBps);
  let num = 0n;
  let den = 1n;
  let weekNum = s.ratePerSecond; // rate of week k = weekNum / weekDen
  let weekDen = 1n;
  let left = elapsed;
  while (left > 0n) {
    let secs = WEEK_SECONDS;
    if (left < secs) secs = left;
    // num/den += weekNum * secs / weekDen
    num = num * weekDen + weekNum * secs * den;
    den *= weekDen;
    left -= secs;
    weekNum *= d;
    weekDen *= 10_000n;
  }
  return num / den;
}

describe('governance emission schedule', () => {
  it('the closed form equals the week-by-week sum, to the smallest unit, at any time', () => {
    const times = [0n, 1n, 59n, WEEK_SECONDS - 1n, WEEK_SECONDS, WEEK_SECONDS + 1n];
    for (let w = 2n; w < 60n; w += 7n) times.push(w * WEEK_SECONDS + ((w * 7_919n) % WEEK_SECONDS));
    for (const t of times) expect(emittedAfter(schedule, t)).toBe(byWeeks(schedule, t));
    const steep = { ratePerSecond: 123_456_789n, weeklyDecayBps: 5_000 };
    for (const t of times) expect(emittedAfter(steep, t)).toBe(byWeeks(steep, t));
  });

  it('never decreases, never exceeds the known total, and approaches it', () => {
    let last = 0n;
    for (let t = 0n; t < 400n * WEEK_SECONDS; t += WEEK_SECONDS / 3n + 17n) {
      const e = emittedAfter(schedule, t);
      expect(e).toBeGreaterThanOrEqual(last);
      last = e;
    }
    const total = totalEmission(schedule);
    expect(total).toBe((schedule.ratePerSecond * WEEK_SECONDS * 10_000n) / 100n);
    expect(last).toBeLessThanOrEqual(total);
    // after 400 weeks at x0.99 a week, 0.99^400 ≈ 1.8% of the total is left
    expect(total - last).toBeLessThan(total / 50n);
    expect(emittedAfter(schedule, 5_000n * WEEK_SECONDS)).toBeLessThanOrEqual(total);
  });

  it('the rate decays once a week by the fixed factor', () => {
    expect(rateAfter(schedule, 0n)).toBe(GOV / 100n);
    expect(rateAfter(schedule, WEEK_SECONDS - 1n)).toBe(GOV / 100n);
    expect(rateAfter(schedule, WEEK_SECONDS)).toBe(((GOV / 100n) * 99n) / 100n);
    expect(rateAfter(schedule, 10n * WEEK_SECONDS)).toBe(((GOV / 100n) * 99n ** 10n) / 100n ** 10n);
  });

  it('refuses a schedule that would never end', () => {
    let caught: unknown;
    try {
      emittedAfter({ ratePerSecond: 1n, weeklyDecayBps: 10_000 }, 1n);
    } catch (e) {
      caught = e;
    }
    expect(isAmmError(caught, 'INVALID_ARGUMENT')).toBe(true);
  });
});
