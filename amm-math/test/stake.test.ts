// deposit_and_stake (PROTOCOL §5): buy the pool's sNEAR fee-free first, mint the rest.
import fc from 'fast-check';
import {
  applyStake,
  nearToSnear,
  type PoolState,
  quoteStake,
  type StakeQuote,
  snearToNear,
} from '../src';
import { NEAR, stateArb } from './arbitraries';

/** §5 word for word: each part rounded on its own. */
function literalSection5(state: PoolState, nearIn: bigint): StakeQuote {
  const cap = snearToNear(state, state.poolSnear);
  const fromPoolNear = nearIn < cap ? nearIn : cap;
  const fromPoolSnear = nearToSnear(state, fromPoolNear);
  const mintedSnear = nearToSnear(state, nearIn - fromPoolNear);
  return { snearOut: fromPoolSnear + mintedSnear, fromPoolNear, fromPoolSnear, mintedSnear };
}

const depositArb = fc.oneof(fc.bigInt(1n, 1000n), fc.bigInt(1n, 10n ** 7n * NEAR));

describe('quoteStake', () => {
  it('equals §5 literally when the deposit fits in the pool sNEAR', () => {
    fc.assert(
      fc.property(stateArb, fc.bigInt({ min: 0n, max: 1n << 64n }), (state, r) => {
        const cap = snearToNear(state, state.poolSnear);
        fc.pre(cap > 0n);
        const nearIn = 1n + (r % cap);
        expect(quoteStake(state, nearIn)).toEqual(literalSection5(state, nearIn));
      }),
      { numRuns: 400 },
    );
  });

  it('past the pool sNEAR: one rounding, at most 1 yocto more than §5, never less', () => {
    fc.assert(
      fc.property(stateArb, depositArb, (state, nearIn) => {
        const q = quoteStake(state, nearIn);
        const literal = literalSection5(state, nearIn);
        expect(q.snearOut).toBe(nearToSnear(state, nearIn));
        expect(q.snearOut - literal.snearOut).toBeGreaterThanOrEqual(0n);
        expect(q.snearOut - literal.snearOut).toBeLessThanOrEqual(1n);
        expect(q.fromPoolSnear + q.mintedSnear).toBe(q.snearOut);
        expect(q.fromPoolSnear).toBeLessThanOrEqual(state.poolSnear);
        expect(q.fromPoolNear).toBeGreaterThanOrEqual(0n);
        expect(q.fromPoolNear).toBeLessThanOrEqual(nearIn);
      }),
      { numRuns: 600 },
    );
  });

  it('never lowers the share price nor the pool value, and conserves NEAR', () => {
    fc.assert(
      fc.property(stateArb, depositArb, (state, nearIn) => {
        fc.pre(state.totalSnear > 0n);
        const after = applyStake(state, nearIn);
        // price N/S non-decreasing: N'·S >= N·S'
        expect(after.totalStakedNear * state.totalSnear).toBeGreaterThanOrEqual(
          state.totalStakedNear * after.totalSnear,
        );
        const poolValue = (s: PoolState) => s.liquidity + snearToNear(s, s.poolSnear);
        expect(poolValue(after)).toBeGreaterThanOrEqual(poolValue(state));
        expect(
          after.liquidity - state.liquidity + (after.totalStakedNear - state.totalStakedNear),
        ).toBe(nearIn);
        expect(state.poolSnear - after.poolSnear + (after.totalSnear - state.totalSnear)).toBe(
          quoteStake(state, nearIn).snearOut,
        );
      }),
      { numRuns: 600 },
    );
  });

  it('clears the pool first: 1,000 sNEAR in the pool at 1.1 NEAR each', () => {
    const state: PoolState = {
      totalStakedNear: 1_100_000n * NEAR,
      totalSnear: 1_000_000n * NEAR,
      liquidity: 500n * NEAR,
      poolSnear: 1_000n * NEAR,
      lpShares: 1_600n * NEAR,
      curve: { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR },
      treasuryCutBps: 1000,
    };
    expect(quoteStake(state, 550n * NEAR)).toEqual({
      snearOut: 500n * NEAR,
      fromPoolNear: 550n * NEAR,
      fromPoolSnear: 500n * NEAR,
      mintedSnear: 0n,
    });
    const q = quoteStake(state, 2_200n * NEAR);
    expect(q).toEqual({
      snearOut: 2_000n * NEAR,
      fromPoolNear: 1_100n * NEAR,
      fromPoolSnear: 1_000n * NEAR,
      mintedSnear: 1_000n * NEAR,
    });
    expect(q).toEqual(literalSection5(state, 2_200n * NEAR));
  });

  it('documents why §5 is rounded once: its literal form pays a split deposit 1 yocto more', () => {
    const state: PoolState = {
      totalStakedNear: 50n,
      totalSnear: 14n,
      liquidity: 5n,
      poolSnear: 12n,
      lpShares: 5n,
      curve: { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 100n },
      treasuryCutBps: 0,
    };
    // Literal §5: whole 49 → 11 + 1 = 12; pieces 19 then 30 → 5 + (7 + 1) = 13.
    const literalWhole = literalSection5(state, 49n).snearOut;
    const literalAfterFirst: PoolState = {
      ...state,
      liquidity: state.liquidity + 19n,
      poolSnear: state.poolSnear - literalSection5(state, 19n).fromPoolSnear,
    };
    const literalPieces =
      literalSection5(state, 19n).snearOut + literalSection5(literalAfterFirst, 30n).snearOut;
    expect(literalPieces).toBeGreaterThan(literalWhole);
    // Ours: the whole gets floor(49·14/50) = 13 and the pieces no more.
    const whole = quoteStake(state, 49n).snearOut;
    const pieces =
      quoteStake(state, 19n).snearOut + quoteStake(applyStake(state, 19n), 30n).snearOut;
    expect(whole).toBe(13n);
    expect(pieces).toBeLessThanOrEqual(whole);
  });
});
