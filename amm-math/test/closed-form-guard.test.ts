// With an exact integer root the closed form lands on ceil(u0) directly; its exact checks
// (P(u-1) < c <= P(u)) must still repair a root that is off, so a faulty isqrt cannot misprice.
import fc from 'fast-check';
import { referenceNearOut } from '../src';
import { solveNearOut } from '../src/curve';
import { saleArb } from './arbitraries';

jest.mock('../src/bigmath', () => {
  const actual = jest.requireActual('../src/bigmath');
  let calls = 0;
  return {
    ...actual,
    // Wrong by +1, -1 or +3 in turn (never below 0).
    isqrt: (n: bigint): bigint => {
      const r: bigint = actual.isqrt(n);
      calls += 1;
      const delta = [1n, -1n, 3n][calls % 3];
      return r + delta >= 0n ? r + delta : r;
    },
  };
});

describe('closed form with a perturbed integer root', () => {
  it('still equals the reference definition', () => {
    fc.assert(
      fc.property(saleArb, ({ curve, liquidity, valueNear }) => {
        expect(solveNearOut(curve, liquidity, valueNear)).toBe(
          referenceNearOut(curve, liquidity, valueNear),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
