// fast-check generators shared by the amm-math tests: realistic states plus the edges
// (liquidity 0, exactly T, T±1, min fee = max fee, 1-yocto amounts, 10^9 NEAR).
import fc from 'fast-check';
import type { FeeCurve, PoolState } from '../src';

export const NEAR = 10n ** 24n;
export const BILLION_NEAR = 10n ** 9n * NEAR;

/** A yocto amount anywhere from 1 yocto to 10^9 NEAR, biased to small and round values. */
export const amountArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt(1n, 1000n),
  fc.bigInt(1n, NEAR),
  fc.bigInt(1n, 10_000_000n * NEAR),
  fc.bigInt(1n, BILLION_NEAR),
  fc.constantFrom(1n, NEAR, 1000n * NEAR, 10_000n * NEAR, BILLION_NEAR),
);

/** A curve within the caps, often with min = max or the extremes 0 and 1000 bps. */
export const curveArb: fc.Arbitrary<FeeCurve> = fc
  .record({
    minFeeBps: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 30, 1000)),
    extra: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(0)),
    targetLiquidity: amountArb,
  })
  .map(({ minFeeBps, extra, targetLiquidity }) => ({
    minFeeBps,
    maxFeeBps: Math.min(1000, minFeeBps + extra),
    targetLiquidity,
  }));

/** A pool liquidity for the curve: 0, T, T±1, around T, or any amount up to 10^9 NEAR. */
export function liquidityArb(curve: FeeCurve): fc.Arbitrary<bigint> {
  const t = curve.targetLiquidity;
  return fc.oneof(
    fc.constantFrom(0n, t, t - 1n, t + 1n, 1n),
    fc.bigInt(0n, 3n * t),
    fc.bigInt(0n, BILLION_NEAR),
  );
}

/** A NEAR value to sell from liquidity L: 1 yocto up to just past what the pool can absorb. */
export function valueArb(liquidity: bigint): fc.Arbitrary<bigint> {
  const beyond = (liquidity * 11n) / 10n + 3n;
  return fc.oneof(
    fc.bigInt(1n, 3n),
    fc.bigInt(1n, beyond),
    fc.bigInt(1n, liquidity / 100n + 1n),
    fc.bigInt(liquidity > 2n ? liquidity - 2n : 1n, beyond),
  );
}

/** (curve, liquidity, value) triples for the closed form against the reference. */
export const saleArb = curveArb.chain((curve) =>
  liquidityArb(curve).chain((liquidity) =>
    valueArb(liquidity).map((valueNear) => ({ curve, liquidity, valueNear })),
  ),
);

/** A full pool state: share price 0.5..3 NEAR/sNEAR (or 1:1 before launch), any pool shape. */
export const stateArb: fc.Arbitrary<PoolState> = curveArb.chain((curve) =>
  fc
    .record({
      totalSnear: fc.oneof(amountArb, fc.constant(0n)),
      priceMillis: fc.integer({ min: 500, max: 3000 }),
      priceDust: fc.bigInt(0n, 10n ** 6n),
      liquidity: liquidityArb(curve),
      poolSnear: fc.oneof(fc.constant(0n), amountArb),
      lpShares: fc.oneof(fc.constant(0n), amountArb),
      treasuryCutBps: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(0, 5000)),
    })
    .map((r) => ({
      totalSnear: r.totalSnear,
      totalStakedNear:
        r.totalSnear === 0n
          ? 0n
          : (r.totalSnear * BigInt(r.priceMillis)) / 1000n + r.priceDust + 1n,
      liquidity: r.liquidity,
      poolSnear: r.poolSnear,
      lpShares:
        r.lpShares === 0n && (r.liquidity > 0n || r.poolSnear > 0n) ? r.liquidity + 1n : r.lpShares,
      curve,
      treasuryCutBps: r.treasuryCutBps,
    })),
);

/** Split `total` into `pieces` positive parts (weights from fast-check), summing to total. */
export function splitAmount(total: bigint, weights: number[]): bigint[] {
  const n = BigInt(weights.length);
  if (total < n) return [total];
  const sum = BigInt(weights.reduce((s, w) => s + w, 0));
  const parts = weights.map((w) => 1n + ((total - n) * BigInt(w)) / sum);
  const used = parts.reduce((s, p) => s + p, 0n);
  parts[parts.length - 1] += total - used;
  return parts;
}

/** Weights for splitAmount: 2..maxPieces positive integers. */
export const weightsArb = (maxPieces: number) =>
  fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: maxPieces });
