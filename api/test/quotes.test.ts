/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import {
  marginalFeeBps,
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
    expect(body).toMatchObject({ ...quoteToView(expected), fee_bps: expected.feeBps });
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

  test.each([
    ['/v1/quote/liquid-unstake?snear=1000&slippage=10', 'slippage'],
    ['/v1/quote/stake?near=1000&slippage_bps=10', 'slippage_bps'],
    ['/v1/fee-curve?point=5', 'point'],
    ['/v1/state?x=1', 'x'],
  ])('an unknown or misspelt parameter is refused, not dropped: %s', async (url, name) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'UNKNOWN_PARAMETER', field: name });
    expect(res.json().message).toContain(`"${name}"`);
  });

  test.each(['0x10', '1e1', '16.0', ' 16', '+16', '016', '0b10'])(
    'integers are decimal digits only: slippage_bps=%s is refused',
    async (value) => {
      const res = await get(
        `/v1/quote/liquid-unstake?snear=${ONE}&slippage_bps=${encodeURIComponent(value)}`,
      );
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST', field: 'slippage_bps' });
      expect((await get(`/v1/fee-curve?points=${encodeURIComponent(value)}`)).statusCode).toBe(400);
    },
  );

  test('decimal integers still work, in the query and as JSON numbers in a batch', async () => {
    expect(
      (await get(`/v1/quote/liquid-unstake?snear=${ONE}&slippage_bps=16`)).json().slippage_bps,
    ).toBe(16);
    const batch = (kind: string, slippage: unknown) =>
      app.inject({
        method: 'POST',
        url: '/v1/quotes',
        payload: { quotes: [{ kind, snear: ONE.toString(), slippage_bps: slippage }] },
      });
    expect((await batch('liquid-unstake', 16)).statusCode).toBe(200);
    for (const bad of ['16', '0x10', 16.5]) {
      const res = await batch('liquid-unstake', bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('INVALID_REQUEST');
    }
    const extra = await app.inject({
      method: 'POST',
      url: '/v1/quotes',
      payload: { quotes: [{ kind: 'stake', near: ONE.toString(), slipage_bps: 5 }] },
    });
    expect(extra.json()).toMatchObject({
      code: 'UNKNOWN_PARAMETER',
      field: 'quotes.0.slipage_bps',
    });
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
    const q = quoteLiquidUnstakeExactOut(state, near);
    expect(body).toMatchObject({ ...quoteToView(q), fee_bps: q.feeBps });
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

describe("LP quotes count the pool's own delayed unstake (lp_unstaking_near)", () => {
  const unstaking = demoView({ lp_unstaking_near: (3_000n * ONE).toString() });
  const lpState = poolStateFromContractView(unstaking);

  test('add-liquidity prices shares with it as pool NEAR, as the contract does', async () => {
    const { app: lp } = await demoApp({ view: unstaking });
    const body = (await lp.inject(`/v1/quote/add-liquidity?near=${10n * ONE}`)).json();
    const withIt = quoteAddLiquidity(lpState, 10n * ONE).lpShares;
    expect(body.lp_shares).toBe(withIt.toString());
    // the old quote ignored it and promised more shares than the contract mints
    expect(withIt).toBeLessThan(quoteAddLiquidity(state, 10n * ONE).lpShares);
    await lp.close();
  });

  test('remove-liquidity includes the delayed part with its unlock epoch and the total value', async () => {
    const { app: lp } = await demoApp({ view: unstaking });
    const shares = 1_000n * ONE;
    const body = (await lp.inject(`/v1/quote/remove-liquidity?shares=${shares}`)).json();
    const q = quoteRemoveLiquidity(lpState, shares);
    expect(q.unstakingNear).toBe(300n * ONE);
    expect(body).toMatchObject({
      near_out: q.nearOut.toString(),
      snear_out: q.snearOut.toString(),
      unstaking_near: (300n * ONE).toString(),
      // no schedule in this view: unbonding epochs from now, marked as an estimate
      unstaking: [{ unlock_epoch: 16, near: (300n * ONE).toString(), estimated: true }],
    });
    const snearValue =
      (q.snearOut * 1_000_000n * ONE + q.snearOut * 123_456_789n) / (950_000n * ONE);
    expect(body.value_near).toBe((q.nearOut + snearValue + q.unstakingNear).toString());
    await lp.close();
  });

  test('with the schedule in the view, each bucket is split as the contract splits it', async () => {
    const { app: lp } = await demoApp({
      view: demoView({
        lp_shares: '3',
        liquidity: '3',
        pool_snear: '0',
        lp_unstaking_near: '11',
        lp_unstaking_schedule: [
          { unlock_epoch: 14, amount: '10' },
          { unlock_epoch: 15, amount: '1' },
        ],
      }),
    });
    const body = (await lp.inject('/v1/quote/remove-liquidity?shares=2')).json();
    expect(body.unstaking_near).toBe('6');
    expect(body.unstaking).toEqual([{ unlock_epoch: 14, near: '6', estimated: false }]);
    await lp.close();
  });
});

describe('every quote is ready to sign', () => {
  test.each([
    ['liquid-unstake', `snear=${ONE}`, 'liquid_unstake', '1'],
    ['liquid-unstake-exact-out', `near=${ONE}`, 'liquid_unstake', '1'],
    ['stake', `near=${2n * ONE}`, 'deposit_and_stake', (2n * ONE).toString()],
    ['add-liquidity', `near=${3n * ONE}`, 'add_liquidity', (3n * ONE).toString()],
    ['remove-liquidity', `shares=${ONE}`, 'remove_liquidity', '0'],
  ])(
    '%s: call arguments, liquidity and marginal fee after the trade',
    async (kind, query, method, deposit) => {
      // stake has no minimum to guard, so no slippage_bps
      const slippage = kind === 'stake' ? '' : '&slippage_bps=100';
      const body = (await get(`/v1/quote/${kind}?${query}${slippage}`)).json();
      expect(body.call).toMatchObject({
        contract_id: 'metapool.test.near',
        method_name: method,
        deposit,
        gas: '75000000000000',
      });
      if (method === 'liquid_unstake') {
        expect(body.call.args).toEqual({
          snear_amount: body.snear_in,
          min_near_out: body.min_near_out,
        });
        expect(BigInt(body.liquidity_after)).toBe(state.liquidity - BigInt(body.near_out));
      }
      if (method === 'add_liquidity') {
        expect(body.call.args).toEqual({ min_shares: body.min_shares });
        expect(BigInt(body.liquidity_after)).toBe(state.liquidity + 3n * ONE);
      }
      if (method === 'remove_liquidity') {
        expect(body.call.args).toEqual({
          shares: ONE.toString(),
          min_near_out: body.min_near_out,
          min_snear_out: body.min_snear_out,
        });
      }
      expect(body.marginal_fee_bps_after).toBe(
        marginalFeeBps(state.curve, BigInt(body.liquidity_after)),
      );
    },
  );

  test('a sale that pays 0 NEAR is 422 AMOUNT_TOO_SMALL naming the least sale that pays', async () => {
    const res = await get('/v1/quote/liquid-unstake?snear=1');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('AMOUNT_TOO_SMALL');
    const least = res.json().min_snear_in as string;
    expect((await get(`/v1/quote/liquid-unstake?snear=${least}`)).json().near_out).toBe('1');
    expect((await get(`/v1/quote/liquid-unstake?snear=${BigInt(least) - 1n}`)).statusCode).toBe(
      422,
    );
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
