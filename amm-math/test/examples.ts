// Fixed inputs and checks shared by the amm-math tests (the generators live in arbitraries.ts).
import { AmmError, type PoolState } from '../src';
import { NEAR } from './arbitraries';

/** The worked example: price 1.1 NEAR, 8,000 NEAR of liquidity below a 10,000 NEAR target. */
export const EXAMPLE_STATE: PoolState = {
  totalStakedNear: 1_100_000n * NEAR,
  totalSnear: 1_000_000n * NEAR,
  liquidity: 8_000n * NEAR,
  poolSnear: 0n,
  lpShares: 8_000n * NEAR,
  curve: { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR },
  treasuryCutBps: 2500,
};

/** The AmmError code `f` throws (failing the test on any other error), or undefined. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AmmError);
    return (e as AmmError).code;
  }
  return undefined;
}
