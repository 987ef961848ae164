// Arbitrage: buy sNEAR elsewhere at an external price, sell it to the pool while that pays.
import {
  arbitrageLiquidUnstake,
  externalCost,
  marginalFeeBps,
  maxSellableSnear,
  type PoolState,
  quoteLiquidUnstake,
} from '../src';
import { NEAR } from './arbitraries';

/** A state small enough to try every sale size. */
function tiny(overrides: Partial<PoolState> = {}): PoolState {
  return {
    totalStakedNear: 11_000n,
    totalSnear: 10_000n,
    liquidity: 3_000n,
    poolSnear: 0n,
    lpShares: 3_000n,
    curve: { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 4_000n },
    treasuryCutBps: 0,
    ...overrides,
  };
}

function bruteForce(state: PoolState, price: bigint): { snear: bigint; profit: bigint } {
  let best = { snear: 0n, profit: 0n };
  const max = maxSellableSnear(state);
  for (let s = 1n; s <= max; s++) {
    let nearOut: bigint;
    try {
      nearOut = quoteLiquidUnstake(state, s).nearOut;
    } catch {
      continue;
    }
    const profit = nearOut - externalCost(s, price);
    if (profit > best.profit) best = { snear: s, profit };
  }
  return best;
}

describe('arbitrageLiquidUnstake', () => {
  // external prices around the pool's (1.1 NEAR per sNEAR, fee 0.3%..3%)
  const prices = ['1.0', '1.05', '1.07', '1.08', '1.09', '1.095', '1.0967', '1.1', '1.2'].map(
    (p) => BigInt(Math.round(Number(p) * 1e6)) * 10n ** 18n,
  );

  it.each(prices)('at %s yocto per sNEAR its profit is the brute-force maximum', (price) => {
    for (const state of [
      tiny(),
      tiny({ liquidity: 5_000n }),
      tiny({ totalStakedNear: 10_000n, treasuryCutBps: 2500, poolSnear: 77n }),
      tiny({ curve: { minFeeBps: 0, maxFeeBps: 1000, targetLiquidity: 2_500n } }),
    ]) {
      const got = arbitrageLiquidUnstake(state, price);
      const want = bruteForce(state, price);
      expect(got.profitNear).toBe(want.profit);
      if (want.profit === 0n) {
        expect(got.quote).toBeNull();
      } else {
        expect(got.quote).toEqual(quoteLiquidUnstake(state, got.quote?.snearIn ?? 0n));
        expect(got.costNear).toBe(externalCost(got.quote?.snearIn ?? 0n, price));
        expect(got.quote?.nearOut ?? 0n).toBe(got.costNear + got.profitNear);
      }
    }
  });

  it('sells down to where the marginal fee meets the external price', () => {
    const state: PoolState = {
      totalStakedNear: 1_100_000n * NEAR,
      totalSnear: 1_000_000n * NEAR,
      liquidity: 10_000n * NEAR,
      poolSnear: 0n,
      lpShares: 10_000n * NEAR,
      curve: { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR },
      treasuryCutBps: 0,
    };
    // the curve charges f per NEAR paid out: the marginal sNEAR pays 1.1/(1 + f), which is 1.078
    // at f = 204.08 bps (≈ 1.1·(1 − f) at f = 200), reached at liquidity ≈ 3,552.5 NEAR
    const price = 1_078n * 10n ** 21n;
    const got = arbitrageLiquidUnstake(state, price);
    expect(got.quote).not.toBeNull();
    const after = state.liquidity - (got.quote?.nearOut ?? 0n);
    expect(marginalFeeBps(state.curve, after)).toBeCloseTo(204.0816, 3);
    const s = got.quote?.snearIn ?? 0n;
    // a NEAR more or less sold earns less
    for (const other of [s - NEAR, s + NEAR]) {
      const q = quoteLiquidUnstake(state, other);
      expect(q.nearOut - externalCost(other, price)).toBeLessThan(got.profitNear);
    }
  });

  it('no sale when the pool pays less than the external price even at its lowest fee', () => {
    const got = arbitrageLiquidUnstake(tiny(), 1_099n * 10n ** 21n);
    expect(got).toEqual({
      externalPrice: 1_099n * 10n ** 21n,
      quote: null,
      costNear: 0n,
      profitNear: 0n,
    });
  });
});
