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
      unstakingNear: 0n,
      unstaking: [],
    });
    expect(quoteRemoveLiquidity(pool, pool.lpShares)).toEqual({
      nearOut: pool.liquidity,
      snearOut: pool.poolSnear,
      unstakingNear: 0n,
      unstaking: [],
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

  describe("the pool's own delayed unstake (lpUnstakingNear)", () => {
    // 6,000 NEAR on its way back: pool value 18,000 NEAR
    const unstaking: PoolState = { ...pool, lpUnstakingNear: 6_000n * NEAR };

    it('counts as pool NEAR when pricing new shares, as the contract does', () => {
      expect(quoteAddLiquidity(unstaking, 1_800n * NEAR)).toEqual({ lpShares: 1_000n * NEAR });
      // without it the same NEAR would buy half again as many shares, diluting the other LPs
      expect(quoteAddLiquidity(pool, 1_800n * NEAR)).toEqual({ lpShares: 1_500n * NEAR });
    });

    it('is paid pro rata on removal, rounded down, as unstakingNear', () => {
      const q = quoteRemoveLiquidity({ ...unstaking, lpUnstakingNear: 10n }, 3n * NEAR);
      expect(q.unstakingNear).toBe(0n); // 10 · 3e24 / 1e28 rounds to 0
      expect(quoteRemoveLiquidity(unstaking, 1_000n * NEAR)).toMatchObject({
        nearOut: 600n * NEAR,
        snearOut: 500n * NEAR,
        unstakingNear: 600n * NEAR,
        unstaking: [],
      });
    });

    it('with a schedule, each bucket is split and rounded down on its own, zero parts dropped', () => {
      const scheduled: PoolState = {
        ...pool,
        lpShares: 3n,
        lpUnstakingNear: 11n,
        lpUnstakingSchedule: [
          { unlockEpoch: 7, near: 10n },
          { unlockEpoch: 9, near: 1n },
        ],
      };
      const q = quoteRemoveLiquidity(scheduled, 1n);
      // floor(10/3) + floor(1/3) = 3, where floor(11/3) would be 3 too; with 2 shares 6 + 0 vs 7
      expect(q.unstaking).toEqual([{ unlockEpoch: 7, near: 3n }]);
      expect(quoteRemoveLiquidity(scheduled, 2n).unstakingNear).toBe(6n);
      const after = applyRemoveLiquidity(scheduled, 2n);
      expect(after.lpUnstakingNear).toBe(5n);
      expect(after.lpUnstakingSchedule).toEqual([
        { unlockEpoch: 7, near: 4n },
        { unlockEpoch: 9, near: 1n },
      ]);
    });

    it('a schedule that does not sum to lpUnstakingNear is an invalid state', () => {
      expect(() =>
        quoteRemoveLiquidity(
          { ...pool, lpUnstakingNear: 5n, lpUnstakingSchedule: [{ unlockEpoch: 1, near: 4n }] },
          1n,
        ),
      ).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    });
  });
});
