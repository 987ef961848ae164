// Bad input fails with AmmError and a stable code, never with a wrong number.
import {
  AmmError,
  type FeeCurve,
  feeCurvePoints,
  isAmmError,
  marginalFeeBps,
  maxSellableSnear,
  nearToSnear,
  type PoolState,
  quoteAddLiquidity,
  quoteLiquidUnstake,
  quoteLiquidUnstakeExactOut,
  quoteRemoveLiquidity,
  quoteStake,
  snearToNear,
  U128_MAX,
  validateCurve,
  validatePoolState,
} from '../src';
import { NEAR } from './arbitraries';

const curve: FeeCurve = { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR };
const state: PoolState = {
  totalStakedNear: 1_100n * NEAR,
  totalSnear: 1_000n * NEAR,
  liquidity: 8_000n * NEAR,
  poolSnear: 0n,
  lpShares: 8_000n * NEAR,
  curve,
  treasuryCutBps: 2500,
};

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AmmError);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe('AmmError');
    expect((e as Error).message.startsWith(`${(e as AmmError).code}: `)).toBe(true);
    return (e as AmmError).code;
  }
  return undefined;
}

// Deliberately ill-typed input, as from untyped JavaScript or JSON.
const anyAmount = (x: unknown) => x as bigint;

describe('AmmError', () => {
  it('keeps its prototype, name, code and stack (set by hand for QuickJS)', () => {
    const e = new AmmError('INVALID_AMOUNT', 'x must be positive');
    expect(Object.getPrototypeOf(e)).toBe(AmmError.prototype);
    expect(e instanceof AmmError && e instanceof Error).toBe(true);
    expect([e.name, e.code, e.message]).toEqual([
      'AmmError',
      'INVALID_AMOUNT',
      'INVALID_AMOUNT: x must be positive',
    ]);
    expect(isAmmError(e, 'INVALID_AMOUNT')).toBe(true);
    expect(isAmmError(e, 'INVALID_CURVE')).toBe(false);
    expect(isAmmError(new Error('x'))).toBe(false);
  });
});

describe('amounts', () => {
  const ops: Array<[string, (x: bigint) => unknown]> = [
    ['quoteLiquidUnstake', (x) => quoteLiquidUnstake(state, x)],
    ['quoteLiquidUnstakeExactOut', (x) => quoteLiquidUnstakeExactOut(state, x)],
    ['quoteStake', (x) => quoteStake(state, x)],
    ['quoteAddLiquidity', (x) => quoteAddLiquidity(state, x)],
    ['quoteRemoveLiquidity', (x) => quoteRemoveLiquidity(state, x)],
  ];
  it.each(ops)('%s rejects zero, negative, non-bigint and above-u128 amounts', (_name, op) => {
    for (const bad of [
      0n,
      -1n,
      -(10n ** 24n),
      U128_MAX + 1n,
      anyAmount(5),
      anyAmount('5'),
      anyAmount(null),
    ]) {
      expect(codeOf(() => op(bad))).toBe('INVALID_AMOUNT');
    }
    expect(codeOf(() => op(1n))).toBeUndefined();
  });

  it('snearToNear / nearToSnear accept 0 but not negatives', () => {
    expect(snearToNear(state, 0n)).toBe(0n);
    expect(codeOf(() => snearToNear(state, -1n))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => nearToSnear(state, anyAmount(1.5)))).toBe('INVALID_AMOUNT');
  });

  it('a sale worth 0 yoctoNEAR is INVALID_AMOUNT (its fee rate would be undefined)', () => {
    const cheap = { ...state, totalStakedNear: 1n, totalSnear: 3n };
    expect(codeOf(() => quoteLiquidUnstake(cheap, 2n))).toBe('INVALID_AMOUNT');
  });

  it('selling more than the pool can pay is INSUFFICIENT_LIQUIDITY naming the limit', () => {
    let error: AmmError | undefined;
    try {
      quoteLiquidUnstake(state, 1_000n * NEAR * 1000n);
    } catch (e) {
      error = e as AmmError;
    }
    expect(error?.code).toBe('INSUFFICIENT_LIQUIDITY');
    expect(error?.maxSnearIn).toBe(maxSellableSnear(state));
    expect(error?.message).toMatch(/the most you can sell now is [0-9.]+ sNEAR \(\d+ yocto\)/);
  });
});

describe('curve caps (PROTOCOL §3)', () => {
  const bad: Array<[string, Partial<FeeCurve>]> = [
    ['maxFeeBps above 1000', { maxFeeBps: 1001 }],
    ['minFeeBps above maxFeeBps', { minFeeBps: 301 }],
    ['negative minFeeBps', { minFeeBps: -1 }],
    ['fractional bps', { minFeeBps: 30.5 }],
    ['NaN bps', { maxFeeBps: Number.NaN }],
    ['string bps', { maxFeeBps: '300' as unknown as number }],
    ['T = 0', { targetLiquidity: 0n }],
    ['T < 0', { targetLiquidity: -5n }],
    ['T not a bigint', { targetLiquidity: 10 as unknown as bigint }],
  ];
  it.each(bad)('%s is INVALID_CURVE', (_name, change) => {
    const c = { ...curve, ...change };
    expect(codeOf(() => validateCurve(c))).toBe('INVALID_CURVE');
    expect(codeOf(() => validatePoolState({ ...state, curve: c }))).toBe('INVALID_CURVE');
    expect(codeOf(() => quoteLiquidUnstake({ ...state, curve: c }, NEAR))).toBe('INVALID_CURVE');
    expect(codeOf(() => marginalFeeBps(c, 0n))).toBe('INVALID_CURVE');
  });

  it('the caps themselves are allowed: max 1000, min = max, T = 1 yocto', () => {
    expect(
      codeOf(() => validateCurve({ minFeeBps: 1000, maxFeeBps: 1000, targetLiquidity: 1n })),
    ).toBeUndefined();
    expect(
      codeOf(() => validateCurve({ minFeeBps: 0, maxFeeBps: 0, targetLiquidity: 1n })),
    ).toBeUndefined();
  });

  it('treasuryCutBps above 5000 or fractional is INVALID_CURVE; 5000 is allowed', () => {
    expect(codeOf(() => validatePoolState({ ...state, treasuryCutBps: 5001 }))).toBe(
      'INVALID_CURVE',
    );
    expect(codeOf(() => validatePoolState({ ...state, treasuryCutBps: 2.5 }))).toBe(
      'INVALID_CURVE',
    );
    expect(codeOf(() => validatePoolState({ ...state, treasuryCutBps: -1 }))).toBe('INVALID_CURVE');
    expect(codeOf(() => validatePoolState({ ...state, treasuryCutBps: 5000 }))).toBeUndefined();
  });
});

describe('pool state', () => {
  it.each(['totalStakedNear', 'totalSnear', 'liquidity', 'poolSnear', 'lpShares'] as const)(
    '%s negative, above u128 or not a bigint is INVALID_STATE',
    (field) => {
      for (const value of [-1n, U128_MAX + 1n, anyAmount(1), anyAmount(undefined)]) {
        expect(codeOf(() => validatePoolState({ ...state, [field]: value }))).toBe('INVALID_STATE');
      }
    },
  );

  it('sNEAR without backing NEAR has no price: INVALID_STATE', () => {
    expect(codeOf(() => validatePoolState({ ...state, totalStakedNear: 0n }))).toBe(
      'INVALID_STATE',
    );
    expect(codeOf(() => snearToNear({ totalStakedNear: 0n, totalSnear: 5n }, 1n))).toBe(
      'INVALID_STATE',
    );
  });

  it('LP shares over a pool worth nothing cannot be priced: INVALID_STATE', () => {
    const hollow = { ...state, liquidity: 0n, poolSnear: 0n, lpShares: 10n };
    expect(codeOf(() => quoteAddLiquidity(hollow, NEAR))).toBe('INVALID_STATE');
  });

  it('not an object is INVALID_STATE', () => {
    expect(codeOf(() => validatePoolState(null as unknown as PoolState))).toBe('INVALID_STATE');
  });
});

describe('chart arguments', () => {
  it('feeCurvePoints needs 2..100000 integer points and a positive range', () => {
    expect(codeOf(() => feeCurvePoints(curve, 1))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => feeCurvePoints(curve, 2.5))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => feeCurvePoints(curve, 10, 0n))).toBe('INVALID_AMOUNT');
    const noTarget = { ...curve, targetLiquidity: undefined as unknown as bigint };
    expect(codeOf(() => feeCurvePoints(noTarget, 10))).toBe('INVALID_CURVE');
  });
});
