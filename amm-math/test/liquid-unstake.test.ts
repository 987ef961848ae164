// Liquid unstake (PROTOCOL §3): monotonicity, fee bounds, the inverse quote, limits, state updates.
import fc from 'fast-check';
import {
  AmmError,
  applyLiquidUnstake,
  formatNear,
  maxSellableSnear,
  nearToSnear,
  type PoolState,
  quoteLiquidUnstake,
  quoteLiquidUnstakeExactOut,
  snearToNear,
} from '../src';
import { NEAR, stateArb } from './arbitraries';
import { EXAMPLE_STATE } from './examples';

/** A state that can absorb a sale, and an amount it can absorb (1 yocto to the limit). */
const saleInStateArb = stateArb.chain((state) => {
  const max = maxSellableSnear(state);
  return fc
    .oneof(fc.bigInt(1n, 1000n), fc.bigInt(1n, max > 1n ? max : 1n), fc.constant(max))
    .map((snearIn) => ({ state, snearIn, max }));
});

const sellable = ({ state, snearIn, max }: { state: PoolState; snearIn: bigint; max: bigint }) =>
  max > 0n && snearIn <= max && snearToNear(state, snearIn) > 0n;

const example = EXAMPLE_STATE;

describe('quoteLiquidUnstake', () => {
  it('prices a sale by the integral of the marginal fee (worked example)', () => {
    // Taking 1,000 NEAR from 8,000 to 7,000: the fee falls linearly from 111 to 84 bps over that
    // range, 97.5 bps on average, so v = 1000 + 9.75 NEAR buys exactly 1,000 NEAR.
    const snearIn = nearToSnear(example, 1_009_750n * 10n ** 21n);
    const q = quoteLiquidUnstake(example, snearIn + 1n);
    expect(q.nearOut).toBe(1_000n * NEAR);
    expect(q.feeNear).toBe(q.valueNear - q.nearOut);
    expect(q.feeBps).toBe(97);
    expect(q.treasurySnear).toBe((nearToSnear(example, q.feeNear) * 2500n) / 10_000n);
  });

  it('more sNEAR in never gives less NEAR out', () => {
    fc.assert(
      fc.property(saleInStateArb, fc.bigInt({ min: 1n, max: 10n ** 30n }), (sale, extra) => {
        fc.pre(sellable(sale));
        const bigger = sale.snearIn + (extra % (sale.max - sale.snearIn + 1n));
        expect(quoteLiquidUnstake(sale.state, bigger).nearOut).toBeGreaterThanOrEqual(
          quoteLiquidUnstake(sale.state, sale.snearIn).nearOut,
        );
        const less = sale.snearIn - 1n;
        if (less > 0n && snearToNear(sale.state, less) > 0n) {
          expect(quoteLiquidUnstake(sale.state, sale.snearIn).nearOut).toBeGreaterThanOrEqual(
            quoteLiquidUnstake(sale.state, less).nearOut,
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('effective fee: >= minFeeBps always, <= maxFeeBps once nearOut >= 10000 + maxFeeBps yocto', () => {
    fc.assert(
      fc.property(saleInStateArb, (sale) => {
        fc.pre(sellable(sale));
        const q = quoteLiquidUnstake(sale.state, sale.snearIn);
        const { minFeeBps, maxFeeBps } = sale.state.curve;
        expect(q.feeBps).toBeGreaterThanOrEqual(minFeeBps);
        if (q.nearOut >= 10_000n + BigInt(maxFeeBps))
          expect(q.feeBps).toBeLessThanOrEqual(maxFeeBps);
        expect(q.feeBps).toBeLessThanOrEqual(10_000);
        expect(Number.isInteger(q.feeBps)).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('the treasury gets floor(nearToSnear(feeNear) · cut / 10000) of the sNEAR paid', () => {
    fc.assert(
      fc.property(saleInStateArb, (sale) => {
        fc.pre(sellable(sale));
        const q = quoteLiquidUnstake(sale.state, sale.snearIn);
        expect(q.treasurySnear).toBe(
          (nearToSnear(sale.state, q.feeNear) * BigInt(sale.state.treasuryCutBps)) / 10_000n,
        );
        expect(q.treasurySnear).toBeLessThanOrEqual(q.snearIn);
      }),
      { numRuns: 500 },
    );
  });

  it('maxSellableSnear is the exact limit; one more yocto fails and the error names the limit', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const max = maxSellableSnear(state);
        if (max > 0n)
          expect(quoteLiquidUnstake(state, max).nearOut).toBeLessThanOrEqual(state.liquidity);
        let error: unknown;
        try {
          quoteLiquidUnstake(state, max + 1n);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(AmmError);
        const e = error as AmmError;
        if (e.code === 'INSUFFICIENT_LIQUIDITY') {
          expect(e.maxSnearIn).toBe(max);
          expect(e.message).toContain(`${max} yocto`);
          expect(e.message).toContain(`${formatNear(max)} sNEAR`);
        } else {
          // Only a sale worth 0 NEAR can fail otherwise (max is then 0 or worthless).
          expect(e.code).toBe('INVALID_AMOUNT');
          expect(snearToNear(state, max + 1n)).toBe(0n);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('swaps move NEAR out and sNEAR in; LPs pool value never falls; supply unchanged', () => {
    fc.assert(
      fc.property(saleInStateArb, (sale) => {
        fc.pre(sellable(sale));
        const { state, snearIn } = sale;
        const q = quoteLiquidUnstake(state, snearIn);
        const after = applyLiquidUnstake(state, snearIn);
        expect(after.liquidity).toBe(state.liquidity - q.nearOut);
        expect(after.poolSnear).toBe(state.poolSnear + snearIn - q.treasurySnear);
        expect(after.totalSnear).toBe(state.totalSnear);
        expect(after.totalStakedNear).toBe(state.totalStakedNear);
        expect(after.lpShares).toBe(state.lpShares);
        const poolValue = (s: PoolState) => s.liquidity + snearToNear(s, s.poolSnear);
        expect(poolValue(after)).toBeGreaterThanOrEqual(poolValue(state));
      }),
      { numRuns: 400 },
    );
  });
});

describe('quoteLiquidUnstakeExactOut', () => {
  it('returns the smallest snearIn giving at least nearOut (snearIn - 1 gives less)', () => {
    fc.assert(
      fc.property(stateArb, fc.bigInt({ min: 0n, max: 1n << 80n }), (state, r) => {
        fc.pre(state.liquidity > 0n);
        const wanted = 1n + (r % state.liquidity);
        let q: ReturnType<typeof quoteLiquidUnstake>;
        try {
          q = quoteLiquidUnstakeExactOut(state, wanted);
        } catch (e) {
          // Only possible when even the largest sellable amount pays out less.
          expect((e as AmmError).code).toBe('INSUFFICIENT_LIQUIDITY');
          const max = maxSellableSnear(state);
          if (max > 0n) expect(quoteLiquidUnstake(state, max).nearOut).toBeLessThan(wanted);
          return;
        }
        expect(q).toEqual(quoteLiquidUnstake(state, q.snearIn));
        expect(q.nearOut).toBeGreaterThanOrEqual(wanted);
        const less = q.snearIn - 1n;
        if (less > 0n && snearToNear(state, less) > 0n) {
          expect(quoteLiquidUnstake(state, less).nearOut).toBeLessThan(wanted);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('inverts the worked example', () => {
    const q = quoteLiquidUnstakeExactOut(example, 1_000n * NEAR);
    expect(q.nearOut).toBe(1_000n * NEAR);
    expect(quoteLiquidUnstake(example, q.snearIn - 1n).nearOut).toBeLessThan(1_000n * NEAR);
  });

  it('asking for more than the pool holds fails with INSUFFICIENT_LIQUIDITY', () => {
    expect(() => quoteLiquidUnstakeExactOut(example, example.liquidity + 1n)).toThrow(
      expect.objectContaining({
        code: 'INSUFFICIENT_LIQUIDITY',
        maxSnearIn: maxSellableSnear(example),
      }),
    );
  });
});
