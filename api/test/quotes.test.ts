/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import {
  maxSellableSnear,
  poolStateFromContractView,
  quoteAddLiquidity,
  quoteLiquidUnstake,
  quoteLiquidUnstakeExactOut,
  quoteRemoveLiquidity,
  quoteStake,
  quoteToView,
} from '@snear/amm-math';
import type { FastifyInstance } from 'fastify';
import { QuoteCache } from '../src/quotes';
import { snapshotFromView } from '../src/state/snapshot';
import { demoApp, demoView, ONE } from './fixtures';

let app: FastifyInstance;
const state = poolStateFromContractView(demoView());

beforeAll(async () => {
  ({ app } = await demoApp());
});
afterAll(() => app.close());

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /v1/quote/liquid-unstake', () => {
  test('returns amm-math quote fields, the slippage minimum and the block height', async () => {
    const snear = 1234n * ONE + 567n;
    const res = await get(`/v1/quote/liquid-unstake?snear=${snear}&slippage_bps=100`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expected = quoteLiquidUnstake(state, snear);
    expect(body).toMatchObject(quoteToView(expected));
    expect(body.min_near_out).toBe(((expected.nearOut * 9_900n) / 10_000n).toString());
    expect(body.slippage_bps).toBe(100);
    expect(body.block_height).toBe(1000);
    expect(body.kind).toBe('liquid-unstake');
  });

  test('a decimal amount is converted exactly and quotes the same as its yocto', async () => {
    const decimal = await get('/v1/quote/liquid-unstake?amount=1.000000000000000000000001');
    const yocto = await get(`/v1/quote/liquid-unstake?snear=${ONE + 1n}`);
    expect(decimal.statusCode).toBe(200);
    expect(decimal.json().snear_in).toBe((ONE + 1n).toString());
    expect(decimal.json()).toEqual(yocto.json());
  });

  test('the default slippage is 0.5%', async () => {
    const body = (await get(`/v1/quote/liquid-unstake?snear=${ONE}`)).json();
    expect(body.slippage_bps).toBe(50);
    expect(BigInt(body.min_near_out)).toBe((BigInt(body.near_out) * 9_950n) / 10_000n);
  });

  test('more than the pool can pay → 422 naming the largest sellable amount, which itself sells', async () => {
    const max = maxSellableSnear(state);
    const res = await get(`/v1/quote/liquid-unstake?snear=${max + 1n}`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'INSUFFICIENT_LIQUIDITY',
      max_snear_in: max.toString(),
    });
    expect(res.json().message).toMatch(/most you can sell/);
    const ok = await get(`/v1/quote/liquid-unstake?snear=${max}`);
    expect(ok.statusCode).toBe(200);
  });

  test.each([
    ['', 'MISSING_AMOUNT'],
    ['?snear=1&amount=1', 'AMBIGUOUS_AMOUNT'],
    ['?snear=0', 'INVALID_AMOUNT'],
    ['?amount=0.0', 'INVALID_AMOUNT'],
    ['?snear=-5', 'INVALID_REQUEST'],
    ['?snear=1.5', 'INVALID_REQUEST'],
    ['?snear=0x10', 'INVALID_REQUEST'],
    ['?snear=007', 'INVALID_REQUEST'],
    ['?snear=1&snear=2', 'INVALID_REQUEST'],
    ['?amount=1.0000000000000000000000001', 'INVALID_REQUEST'],
    ['?amount=abc', 'INVALID_REQUEST'],
    [`?snear=${'9'.repeat(39)}`, 'AMOUNT_TOO_LARGE'],
    [`?snear=${'9'.repeat(40)}`, 'INVALID_REQUEST'],
    ['?snear=1&slippage_bps=10001', 'INVALID_REQUEST'],
    ['?snear=1&slippage_bps=1.5', 'INVALID_REQUEST'],
    ['?snear=1&slippage_bps=x', 'INVALID_REQUEST'],
    ['?snear=1&slippage_bps=Infinity', 'INVALID_REQUEST'],
    ['?snear=1&slippage_bps=1e400', 'INVALID_REQUEST'],
  ])('bad input %s → 400 %s with an actionable message', async (query, code) => {
    const res = await get(`/v1/quote/liquid-unstake${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
    expect(res.json().message.length).toBeGreaterThan(20);
  });

  test('a validation message names the field and how to write it', async () => {
    const res = await get('/v1/quote/liquid-unstake?snear=1.5');
    expect(res.json().message).toMatch(/snear/);
    expect(res.json().message).toMatch(/yocto/);
  });
});

describe('other quote kinds equal amm-math', () => {
  const near = 2_500n * ONE + 3n;
  test('liquid-unstake-exact-out', async () => {
    const body = (await get(`/v1/quote/liquid-unstake-exact-out?near=${near}`)).json();
    expect(body).toMatchObject(quoteToView(quoteLiquidUnstakeExactOut(state, near)));
    expect(BigInt(body.near_out)).toBeGreaterThanOrEqual(near);
    expect(body.near_wanted).toBe(near.toString());
  });

  test('stake', async () => {
    const q = quoteStake(state, near);
    expect((await get(`/v1/quote/stake?near=${near}`)).json()).toMatchObject({
      near_in: near.toString(),
      snear_out: q.snearOut.toString(),
      from_pool_near: q.fromPoolNear.toString(),
      from_pool_snear: q.fromPoolSnear.toString(),
      minted_snear: q.mintedSnear.toString(),
    });
  });

  test('add-liquidity with a decimal amount', async () => {
    const q = quoteAddLiquidity(state, 10n * ONE + ONE / 2n);
    const body = (await get('/v1/quote/add-liquidity?amount=10.5&slippage_bps=0')).json();
    expect(body.lp_shares).toBe(q.lpShares.toString());
    expect(body.min_shares).toBe(q.lpShares.toString());
  });

  test('remove-liquidity', async () => {
    const shares = 1_000n * ONE;
    const q = quoteRemoveLiquidity(state, shares);
    expect((await get(`/v1/quote/remove-liquidity?shares=${shares}`)).json()).toMatchObject({
      near_out: q.nearOut.toString(),
      snear_out: q.snearOut.toString(),
      min_near_out: ((q.nearOut * 9950n) / 10000n).toString(),
    });
  });

  test('removing more shares than exist is a 4xx, never a 5xx', async () => {
    const res = await get(`/v1/quote/remove-liquidity?shares=${20_000n * ONE}`);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('QuoteCache', () => {
  test('is bounded and emptied by a new snapshot', () => {
    const cache = new QuoteCache(2);
    const snapshot = snapshotFromView(demoView(), 0);
    let computed = 0;
    const compute = () => {
      computed += 1;
      return { n: computed };
    };
    cache.get(snapshot, 'a', compute);
    cache.get(snapshot, 'b', compute);
    expect(cache.get(snapshot, 'a', compute)).toEqual({ n: 1 }); // hit
    cache.get(snapshot, 'c', compute); // evicts the oldest, 'a'
    cache.get(snapshot, 'a', compute);
    expect(computed).toBe(4);
    const next = snapshotFromView(demoView({ block_height: 1001 }), 0);
    cache.get(next, 'a', compute);
    expect(computed).toBe(5);
  });
});

describe('GET /v1/fee-curve', () => {
  test('N points from zero liquidity, with the current liquidity and fee marked', async () => {
    const res = await get('/v1/fee-curve?points=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.points).toHaveLength(5);
    expect(body.points[0]).toEqual({ liquidity: '0', fee_bps: 300 });
    expect(body.points[4].fee_bps).toBe(30);
    expect(body.current.liquidity).toBe(state.liquidity.toString());
    expect(body.current.fee_bps).toBeCloseTo(300 - (270 * 8) / 10, 6);
    expect(body.max_sellable_snear).toBe(maxSellableSnear(state).toString());
  });

  test.each(['points=1', 'points=501', 'points=abc', 'points=2.5', 'points=Infinity'])(
    '%s → 400',
    async (q) => {
      const res = await get(`/v1/fee-curve?${q}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('INVALID_REQUEST');
    },
  );

  test('default 50 points', async () => {
    expect((await get('/v1/fee-curve')).json().points).toHaveLength(50);
  });
});
