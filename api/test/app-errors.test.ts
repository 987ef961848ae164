// The app's error sentences (api/app/src/errors.ts) and amount formatting: what a person reads
// when an action fails must name amounts in NEAR and say what to do, never yocto or a bare code.
import { describeError, errorCode } from '../app/src/errors';
import { formatYocto, parseAmount } from '../app/src/format';

const NEAR = 10n ** 24n;

describe('formatYocto / parseAmount', () => {
  test('truncates (never rounds up) and groups thousands', () => {
    expect(formatYocto(4_131n * NEAR + 999_999n * 10n ** 18n, 0)).toBe('4,131');
    expect(formatYocto(1_234_567n * NEAR + 5n * 10n ** 23n)).toBe('1,234,567.5');
    expect(formatYocto(10n ** 20n - 1n, 4)).toBe('0');
    expect(formatYocto('-1500000000000000000000000', 2)).toBe('-1.5');
  });
  test('reads decimal text exactly and refuses what is not an amount', () => {
    expect(parseAmount('12.5')).toBe(125n * 10n ** 23n);
    expect(parseAmount('1,000')).toBe(1000n * NEAR);
    expect(parseAmount('0.000000000000000000000001')).toBe(1n);
    expect(() => parseAmount('1e3')).toThrow(/Enter the NEAR amount as a number/);
    expect(() => parseAmount('0.0000000000000000000000001', 'sNEAR')).toThrow(/sNEAR amount/);
  });
});

describe('describeError', () => {
  const pool = { maxSellableSnear: 4_131n * NEAR + 7n, liquidityNear: 4_131n * NEAR + 9n };

  test('the quote API refusing a sale too large for the pool: the largest sale and what to do', () => {
    const apiError = {
      code: 'INSUFFICIENT_LIQUIDITY',
      message: 'Selling 5000000000000000000000000000 yocto ...',
      max_snear_in: (4_131n * NEAR + 7n).toString(),
    };
    expect(describeError(apiError, pool)).toBe(
      'The pool can pay at most 4,131 NEAR now; sell 4,131 sNEAR now and unstake the rest, or wait.',
    );
  });

  test('the contract refusing the same sale (E_INSUFFICIENT_LIQUIDITY panic text)', () => {
    const panic = new Error(
      'E_INSUFFICIENT_LIQUIDITY: selling 5000000000000000000000000000 needs more than the pool has',
    );
    expect(errorCode(panic)).toBe('E_INSUFFICIENT_LIQUIDITY');
    const text = describeError(panic, {
      maxSellableSnear: 120n * NEAR,
      liquidityNear: 125n * NEAR,
    });
    expect(text).toBe(
      'The pool can pay at most 125 NEAR now; sell 120 sNEAR now and unstake the rest, or wait.',
    );
  });

  test('an empty pool points to the delayed unstake', () => {
    expect(describeError({ code: 'INSUFFICIENT_LIQUIDITY', max_snear_in: '0' })).toMatch(
      /no NEAR to pay out now; use a delayed unstake/,
    );
    // a drained pool's dust limit is not "sell 0 sNEAR"
    expect(
      describeError(
        { code: 'INSUFFICIENT_LIQUIDITY', max_snear_in: '1234' },
        { liquidityNear: 5n },
      ),
    ).toMatch(/no NEAR to pay out now/);
    // under one token the limit keeps its decimals
    expect(
      describeError(
        { code: 'INSUFFICIENT_LIQUIDITY', max_snear_in: (NEAR / 2n).toString() },
        { liquidityNear: NEAR / 2n + 1n },
      ),
    ).toBe(
      'The pool can pay at most 0.5 NEAR now; sell 0.5 sNEAR now and unstake the rest, or wait.',
    );
  });

  test('slippage, balances, shares, maturity and the governance token in words with NEAR amounts', () => {
    expect(describeError(new Error('E_SLIPPAGE: got 1 < min 2'))).toMatch(
      /price moved past your slippage/,
    );
    expect(
      describeError(new Error('E_INSUFFICIENT_BALANCE: x has 3000000000000000000000000 yocto'), {
        action: 'sell',
        snearBalance: 3n * NEAR + 12n * 10n ** 19n,
      }),
    ).toBe('You have 3.0001 sNEAR; enter at most that.');
    expect(
      describeError(new Error('E_INSUFFICIENT_BALANCE: no'), {
        action: 'stake',
        nearBalance: 5n * NEAR,
      }),
    ).toBe('Your wallet has 5 NEAR; stake less, keeping some for gas.');
    expect(
      describeError({ code: 'INSUFFICIENT_SHARES', message: 'm' }, { lpShares: 2n * NEAR }),
    ).toBe('You have 2 LP shares; remove at most that.');
    expect(describeError(new Error('E_NOT_AVAILABLE: epoch 9 < 12'))).toMatch(/matured/);
    expect(describeError(new Error('E_NOTHING_TO_CLAIM: 0'))).toMatch(
      /no governance token to claim/,
    );
  });

  test('an amount too small names the least sale in sNEAR, not yocto', () => {
    const text = describeError({ code: 'AMOUNT_TOO_SMALL', min_snear_in: '1000000000000000000' });
    expect(text).toBe(
      'That amount is too small to pay anything after the fee; sell at least 0.000001 sNEAR.',
    );
  });

  test('never shows raw yocto or a bare code, whatever the error', () => {
    const inputs: unknown[] = [
      new Error('E_BAD_ARGS: amount 1000000000000000000000000000 is not valid'),
      new Error('Something 123456789012345678901234 failed'),
      { code: 'INTERNAL_ERROR', message: 'boom' },
      'plain string',
      null,
    ];
    for (const input of inputs) {
      const text = describeError(input);
      expect(text).not.toMatch(/\d{19,}/);
      expect(text).not.toMatch(/\bE_[A-Z_]+\b/);
      expect(text).toMatch(/[.!]$/);
    }
    expect(describeError(new Error('Failed to fetch'))).toMatch(/network did not answer/);
    expect(describeError(new Error('User rejected the request'))).toMatch(/cancelled/);
  });

  test('sentences the app itself writes pass through unchanged', () => {
    const own = 'You have 1.5 sNEAR; enter at most that.';
    expect(describeError(new Error(own))).toBe(own);
  });
});
