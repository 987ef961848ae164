// LP shares (PROTOCOL §4): add NEAR for shares, burn shares for NEAR and sNEAR pro rata.
import fc from 'fast-check';
import {
  applyAddLiquidity,
  applyRemoveLiquidity,
  type PoolState,
  quoteAddLiquidity,
  quoteRemoveLiquidity,
  snearToNear,
} from '../src';
import { NEAR, stateArb } from './arbitraries';

const pool: PoolState = {
  totalStakedNear: 1_200_000n * NEAR,
  totalSnear: 1_000_000n * NEAR,
  liquidity: 6_000n * NEAR,
  poolSnear: 5_000n * NEAR, // worth 6,000 NEAR: pool value 12,000 NEAR
  lpShares: 10_000n * NEAR,
  curve: { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR },
  treasuryCutBps: 0,
};

describe('LP shares', () => {
  it('the first LP gets one share per yocto', () => {
    const empty = { ...pool, liquidity: 0n, poolSnear: 0n, lpShares: 0n };
    expect(quoteAddLiquidity(empty, 123n * NEAR)).toEqual({ lpShares: 123n * NEAR });
  });

  it('later LPs get floor(nearIn · lpShares / poolValue), the pool valued at the sNEAR price', () => {
    expect(quoteAddLiquidity(pool, 1_200n * NEAR)).toEqual({ lpShares: 1_000n * NEAR });
    expect(quoteAddLiquidity(pool, 7n)).toEqual({ lpShares: 5n }); // 7·10000/12000 = 5.83
  });

  it('removing shares pays floor pro-rata NEAR and sNEAR; all shares take everything', () => {
    expect(quoteRemoveLiquidity(pool, 1_000n * NEAR)).toEqual({
      nearOut: 600n * NEAR,
      snearOut: 500n * NEAR,
    });
    expect(quoteRemoveLiquidity(pool, pool.lpShares)).toEqual({
      nearOut: pool.liquidity,
      snearOut: pool.poolSnear,
    });
    const emptied = applyRemoveLiquidity(pool, pool.lpShares);
    expect([emptied.liquidity, emptied.poolSnear, emptied.lpShares]).toEqual([0n, 0n, 0n]);
  });

  it('burning more shares than exist fails with INSUFFICIENT_SHARES', () => {
    expect(() => quoteRemoveLiquidity(pool, pool.lpShares + 1n)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_SHARES' }),
    );
  });

  it('add then remove never returns more value than was added (share value never falls)', () => {
    fc.assert(
      fc.property(stateArb, fc.bigInt({ min: 1n, max: 10n ** 6n * NEAR }), (state, nearIn) => {
        fc.pre(state.lpShares === 0n || state.liquidity + snearToNear(state, state.poolSnear) > 0n);
        fc.pre(state.lpShares + nearIn * (state.lpShares + 1n) < 1n << 127n);
        const minted = quoteAddLiquidity(state, nearIn).lpShares;
        fc.pre(minted > 0n);
        const added = applyAddLiquidity(state, nearIn);
        expect(added.liquidity).toBe(state.liquidity + nearIn);
        expect(added.lpShares).toBe(state.lpShares + minted);
        const back = quoteRemoveLiquidity(added, minted);
        const value = back.nearOut + snearToNear(state, back.snearOut);
        expect(value).toBeLessThanOrEqual(nearIn);
      }),
      { numRuns: 500 },
    );
  });
});
