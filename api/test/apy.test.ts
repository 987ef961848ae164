// The APY of /v1/apy: (p_now / p_then)^(365 / days) - 1 over chain time, null when it means nothing.
import { apyOver } from '../src/history/apy';
import type { SampleRow } from '../src/history/store';

const ONE = 10n ** 24n;
const DAY_NS = 86_400n * 1_000_000_000n;

function at(epoch: number, days: number, price: bigint): SampleRow {
  return {
    epoch,
    blockHeight: epoch * 100,
    timestampNs: BigInt(Math.round(days * 1000)) * (DAY_NS / 1000n),
    priceYocto: price,
    totalStakedNear: 0n,
    totalSnear: 0n,
    liquidityNear: 0n,
    lpUnstakingNear: 0n,
    poolSnear: 0n,
    lpShares: 0n,
    rewardsNear: 0n,
  };
}

test('a year of history at +5% gives 0.05', () => {
  const w = apyOver([at(0, 0, ONE), at(730, 365, (ONE * 105n) / 100n)], 30);
  expect(w).toEqual({ apy: '0.050000', fromEpoch: 0, toEpoch: 730, days: 365 });
});

test('p_then is the newest sample at least the window before the newest one', () => {
  const samples = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => at(d, d, ONE + BigInt(d) * 10n ** 20n));
  expect(apyOver(samples, 7)).toMatchObject({ fromEpoch: 2, toEpoch: 9, days: 7 });
});

test('less than a day of history, one sample, or none: no APY', () => {
  expect(apyOver([at(0, 0, ONE), at(1, 0.5, ONE + 10n ** 21n)], 7).apy).toBeNull();
  expect(apyOver([at(0, 0, ONE)], 7).apy).toBeNull();
  expect(apyOver([], 7)).toEqual({ apy: null, fromEpoch: null, toEpoch: null, days: 0 });
});

test('a falling price gives a negative APY (a slashing), not an error', () => {
  const w = apyOver([at(0, 0, ONE), at(60, 30, (ONE * 99n) / 100n)], 30);
  expect(Number(w.apy)).toBeLessThan(0);
});
