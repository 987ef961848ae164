// parseNear / formatNear: exact decimal NEAR text <-> yocto.
import fc from 'fast-check';
import { formatNear, parseNear, U128_MAX } from '../src';
import { codeOf } from './examples';

describe('parseNear', () => {
  it('parses whole and fractional NEAR exactly', () => {
    expect(parseNear('1')).toBe(10n ** 24n);
    expect(parseNear('0')).toBe(0n);
    expect(parseNear('1.5')).toBe(15n * 10n ** 23n);
    expect(parseNear('0.000000000000000000000001')).toBe(1n);
    expect(parseNear('123456789.123456789123456789123456')).toBe(
      123456789123456789123456789123456n,
    );
    expect(parseNear('007.10')).toBe(71n * 10n ** 23n);
  });

  it.each([
    '-1',
    '-0.5',
    '1e3',
    '1.',
    '.5',
    ' 1',
    '1 ',
    '1,5',
    '0x10',
    '',
    'abc',
    '1.2.3',
    '+1',
    'Infinity',
    '0.0000000000000000000000001', // 25 decimals: finer than a yocto
    '1'.repeat(100),
    '340282366920938463463374607431768211455.1', // above u128 once in yocto
  ])('rejects %p with INVALID_DECIMAL', (text) => {
    expect(codeOf(() => parseNear(text))).toBe('INVALID_DECIMAL');
  });

  it('rejects non-strings with INVALID_DECIMAL', () => {
    expect(codeOf(() => parseNear(1 as unknown as string))).toBe('INVALID_DECIMAL');
  });
});

describe('formatNear', () => {
  it('formats exactly, without exponent or trailing zeros', () => {
    expect(formatNear(10n ** 24n)).toBe('1');
    expect(formatNear(0n)).toBe('0');
    expect(formatNear(1n)).toBe('0.000000000000000000000001');
    expect(formatNear(15n * 10n ** 23n)).toBe('1.5');
    expect(formatNear(U128_MAX)).toBe('340282366920938.463463374607431768211455');
    expect(formatNear(-15n * 10n ** 23n)).toBe('-1.5');
  });

  it('with decimals: exactly that many places, truncated toward zero', () => {
    expect(formatNear(1_239n * 10n ** 21n, 2)).toBe('1.23');
    expect(formatNear(10n ** 24n, 3)).toBe('1.000');
    expect(formatNear(999n, 0)).toBe('0');
    expect(formatNear(-5n, 2)).toBe('0.00');
    expect(formatNear(-1_239n * 10n ** 21n, 2)).toBe('-1.23');
    expect(codeOf(() => formatNear(1n, 25))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => formatNear(1n, 1.5))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => formatNear(1 as unknown as bigint))).toBe('INVALID_AMOUNT');
  });
});

describe('round trip', () => {
  it('parseNear(formatNear(x)) === x for every u128', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt(0n, U128_MAX), fc.bigInt(0n, 10n ** 30n)), (yocto) => {
        expect(parseNear(formatNear(yocto))).toBe(yocto);
      }),
      { numRuns: 2000 },
    );
  });

  it('formatNear(parseNear(text)) is the canonical form of text', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9]\d{0,12}$/),
        fc.stringMatching(/^\d{0,24}$/),
        (whole, fraction) => {
          const text = fraction === '' ? whole : `${whole}.${fraction}`;
          const canonical =
            fraction.replace(/0+$/, '') === '' ? whole : `${whole}.${fraction.replace(/0+$/, '')}`;
          expect(formatNear(parseNear(text))).toBe(canonical);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
