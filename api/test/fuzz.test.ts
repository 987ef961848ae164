/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { demoApp } from './fixtures';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await demoApp());
});
afterAll(() => app.close());

const paths = [
  '/v1/quote/liquid-unstake',
  '/v1/quote/liquid-unstake-exact-out',
  '/v1/quote/stake',
  '/v1/quote/add-liquidity',
  '/v1/quote/remove-liquidity',
  '/v1/fee-curve',
  '/v1/state',
  '/ready',
];
const keys = fc.constantFrom(
  'snear',
  'near',
  'shares',
  'amount',
  'slippage_bps',
  'points',
  'x',
  '',
);
const values = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.bigInt({ min: -(10n ** 45n), max: 10n ** 45n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    '0',
    '-0',
    '1e24',
    '0x1',
    ' 1',
    '1 ',
    '1.',
    '.5',
    'NaN',
    'Infinity',
    '%00',
    '1,5',
  ),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 30n }))
    .map(([a, b]) => `${a}.${b}`),
);

describe('fuzz: no client input produces a 5xx', () => {
  test('GET query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.array(fc.tuple(keys, values), { maxLength: 4 }),
        async (path, pairs) => {
          const query = pairs
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join('&');
          const res = await app.inject({ method: 'GET', url: `${path}?${query}` });
          if (res.statusCode >= 500)
            throw new Error(`${path}?${query} → ${res.statusCode} ${res.body}`);
          if (res.statusCode >= 400) expect(res.json().code).toMatch(/^[A-Z_]+$/);
        },
      ),
      { numRuns: 1500 },
    );
  });

  test('raw (unencoded) URLs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.string(), async (path, tail) => {
        const res = await app.inject({ method: 'GET', url: `${path}?${tail}` });
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 500 },
    );
  });

  const item = fc.record(
    {
      kind: fc.oneof(
        fc.constantFrom(
          'liquid-unstake',
          'liquid-unstake-exact-out',
          'stake',
          'add-liquidity',
          'remove-liquidity',
        ),
        fc.string(),
      ),
      snear: values,
      near: values,
      shares: values,
      amount: values,
      slippage_bps: fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.double(), values),
    },
    { requiredKeys: [] },
  );

  test('POST /v1/quotes bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ quotes: fc.array(item, { maxLength: 120 }) }),
          fc.anything(),
          fc.jsonValue(),
        ),
        async (body) => {
          const res = await app.inject({
            method: 'POST',
            url: '/v1/quotes',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(body) ?? 'undefined',
          });
          if (res.statusCode >= 500) throw new Error(`${JSON.stringify(body)} → ${res.body}`);
        },
      ),
      { numRuns: 800 },
    );
  });

  test('POST /v1/quotes raw payloads and content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 400 }),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'foo/bar',
          '',
        ),
        async (payload, type) => {
          const res = await app.inject({
            method: 'POST',
            url: '/v1/quotes',
            headers: type ? { 'content-type': type } : {},
            payload,
          });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 500 },
    );
  });
});
