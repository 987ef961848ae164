// The closed form (curve.ts) equals the slow exact definition (reference.ts) to the yocto.
import fc from 'fast-check';
import {
  AmmError,
  type FeeCurve,
  isqrt,
  maxSellableSnear,
  maxValueNear,
  nearOutForValue,
  quoteLiquidUnstake,
  referenceNearOut,
  referenceQuoteLiquidUnstake,
  valueForNearOut,
} from '../src';
import { drainValue, requiredValue, solveNearOut } from '../src/curve';
import { BILLION_NEAR, NEAR, saleArb, stateArb } from './arbitraries';

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return { code: (e as { code?: string }).code };
  }
}

describe('closed form = reference definition', () => {
  it('the closed form equals the binary search on 10,000 random sales', () => {
    fc.assert(
      fc.property(saleArb, ({ curve, liquidity, valueNear }) => {
        expect(solveNearOut(curve, liquidity, valueNear)).toBe(
          referenceNearOut(curve, liquidity, valueNear),
        );
      }),
      { numRuns: 10_000 },
    );
  });

  it('agrees on the edges: liquidity 0, exactly T, T±1, min = max, 1 yocto, 10^9 NEAR', () => {
    const curves: FeeCurve[] = [
      { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR },
      { minFeeBps: 50, maxFeeBps: 50, targetLiquidity: 10_000n * NEAR },
      { minFeeBps: 0, maxFeeBps: 0, targetLiquidity: 1n },
      { minFeeBps: 0, maxFeeBps: 1000, targetLiquidity: 1n },
      { minFeeBps: 1000, maxFeeBps: 1000, targetLiquidity: BILLION_NEAR },
      { minFeeBps: 0, maxFeeBps: 1000, targetLiquidity: BILLION_NEAR },
      { minFeeBps: 999, maxFeeBps: 1000, targetLiquidity: 3n },
    ];
    let checked = 0;
    for (const curve of curves) {
      const t = curve.targetLiquidity;
      for (const liquidity of [0n, 1n, 2n, t - 1n, t, t + 1n, 2n * t, BILLION_NEAR]) {
        if (liquidity < 0n) continue;
        const maxValue = drainValue(curve, liquidity);
        for (const valueNear of [
          1n,
          2n,
          3n,
          NEAR,
          liquidity,
          maxValue - 1n,
          maxValue,
          maxValue + 1n,
        ]) {
          if (valueNear < 1n) continue;
          expect(solveNearOut(curve, liquidity, valueNear)).toBe(
            referenceNearOut(curve, liquidity, valueNear),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('fails exactly when v > L + ∫_0^L f, and drains the pool exactly at the limit', () => {
    fc.assert(
      fc.property(saleArb, ({ curve, liquidity }) => {
        const maxValue = drainValue(curve, liquidity);
        expect(solveNearOut(curve, liquidity, maxValue + 1n)).toBe(-1n);
        expect(referenceNearOut(curve, liquidity, maxValue + 1n)).toBe(-1n);
        expect(referenceNearOut(curve, liquidity, maxValue)).toBeGreaterThanOrEqual(0n);
        expect(solveNearOut(curve, liquidity, maxValue)).toBeGreaterThanOrEqual(0n);
      }),
      { numRuns: 1000 },
    );
  });

  it('requiredValue is the smallest value paying out at least nearOut', () => {
    fc.assert(
      fc.property(saleArb, fc.bigInt({ min: 1n, max: 1n << 64n }), ({ curve, liquidity }, r) => {
        fc.pre(liquidity > 0n);
        const nearOut = 1n + (r % liquidity);
        const value = requiredValue(curve, liquidity, nearOut);
        if (value <= drainValue(curve, liquidity)) {
          expect(referenceNearOut(curve, liquidity, value)).toBeGreaterThanOrEqual(nearOut);
        }
        expect(referenceNearOut(curve, liquidity, value - 1n)).toBeLessThan(nearOut);
      }),
      { numRuns: 1000 },
    );
  });

  it('full quotes (share price, fee, treasury cut, errors) equal the reference quote', () => {
    fc.assert(
      fc.property(stateArb, fc.bigInt({ min: 0n, max: 1n << 64n }), fc.nat(3), (state, r, kind) => {
        // Sales up to the limit (and one past it), tiny ones, or absurdly large ones.
        const max = maxSellableSnear(state);
        const snearIn =
          kind === 0
            ? 1n + (r % 1000n)
            : kind === 1
              ? 1n + (r % (max + 1n))
              : kind === 2
                ? max + 1n
                : r * NEAR + 1n;
        expect(outcome(() => quoteLiquidUnstake(state, snearIn))).toEqual(
          outcome(() => referenceQuoteLiquidUnstake(state, snearIn)),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('curve-only API', () => {
  const curve: FeeCurve = { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR };

  it('checks its arguments and reports the limit instead of a sentinel', () => {
    const max = maxValueNear(curve, 8_000n * NEAR);
    expect(nearOutForValue(curve, 8_000n * NEAR, max)).toBe(
      referenceNearOut(curve, 8_000n * NEAR, max),
    );
    expect(() => nearOutForValue(curve, 8_000n * NEAR, max + 1n)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_LIQUIDITY' }),
    );
    expect(() => nearOutForValue(curve, 8_000n * NEAR, 0n)).toThrow(AmmError);
    expect(() => maxValueNear({ ...curve, maxFeeBps: 2000 }, 1n)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURVE' }),
    );
    expect(() => valueForNearOut(curve, 10n, 11n)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_LIQUIDITY' }),
    );
    const value = valueForNearOut(curve, 8_000n * NEAR, 1_000n * NEAR);
    expect(value).toBe(1_009_750n * 10n ** 21n);
    expect(nearOutForValue(curve, 8_000n * NEAR, value)).toBe(1_000n * NEAR);
    expect(nearOutForValue(curve, 8_000n * NEAR, value - 1n)).toBe(1_000n * NEAR - 1n);
  });
});

describe('isqrt', () => {
  it('is floor(sqrt(n)) for any n up to 2^600', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 600n }),
        fc.integer({ min: 0, max: 600 }),
        (n, shift) => {
          const m = n >> BigInt(shift);
          const r = isqrt(m);
          expect(r * r <= m && (r + 1n) * (r + 1n) > m).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is exact on perfect squares and their neighbours', () => {
    for (const r of [
      1n,
      2n,
      3n,
      (1n << 26n) + 1n,
      (1n << 53n) - 1n,
      10n ** 40n + 7n,
      (1n << 145n) - 1n,
    ]) {
      expect(isqrt(r * r)).toBe(r);
      expect(isqrt(r * r - 1n)).toBe(r - 1n);
      expect(isqrt(r * r + 2n * r)).toBe(r);
    }
    expect(isqrt(0n)).toBe(0n);
  });
});
