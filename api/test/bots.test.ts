/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import {
  arbitrageLiquidUnstake,
  externalCost,
  marginalFeeBps,
  maxSellableSnear,
  poolStateFromContractView,
  quoteLiquidUnstake,
} from '@snear/amm-math';
import type { FastifyInstance } from 'fastify';
import { demoApp, demoView, ONE } from './fixtures';

let app: FastifyInstance;
const state = poolStateFromContractView(demoView());

beforeAll(async () => {
  ({ app } = await demoApp());
});
afterAll(() => app.close());

describe('GET /v1/arbitrage', () => {
  // the demo sNEAR is worth ~1.0526 NEAR; the pool's fee is 0.84% at its 8,000 NEAR
  test('sizes the sale from the marginal fee and gives its ready-to-sign quote and profit', async () => {
    const res = await app.inject('/v1/arbitrage?external_price=1.035');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const price = 1_035n * 10n ** 21n;
    const best = arbitrageLiquidUnstake(state, price);
    expect(body).toMatchObject({
      external_price: '1.035',
      external_price_yocto: price.toString(),
      profitable: true,
      snear_in: best.quote?.snearIn.toString(),
      near_out: best.quote?.nearOut.toString(),
      cost_near: best.costNear.toString(),
      profit_near: best.profitNear.toString(),
      block_height: 1000,
    });
    expect(body.quote.snear_in).toBe(body.snear_in);
    expect(body.quote.call).toMatchObject({ method_name: 'liquid_unstake', deposit: '1' });
    // the marginal sNEAR sold last pays about the external price: 1.0526/(1 + f) ≈ 1.035
    const priceHere = Number(body.pool_price_yocto) / 1e24;
    const fAfter = marginalFeeBps(state.curve, BigInt(body.quote.liquidity_after)) / 1e4;
    expect(priceHere / (1 + fAfter)).toBeCloseTo(1.035, 6);
    // selling a little more or less earns less
    const snear = BigInt(body.snear_in);
    for (const other of [snear - ONE / 10n, snear + ONE / 10n]) {
      const q = quoteLiquidUnstake(state, other);
      expect(q.nearOut - externalCost(other, price)).toBeLessThan(BigInt(body.profit_near));
    }
  });

  test('nothing to do when sNEAR costs more elsewhere than the pool pays', async () => {
    const body = (await app.inject('/v1/arbitrage?external_price=1.06')).json();
    expect(body).toMatchObject({
      profitable: false,
      snear_in: '0',
      profit_near: '0',
      quote: null,
    });
  });

  test('when sNEAR is very cheap elsewhere, it sells all the pool can take', async () => {
    const body = (await app.inject('/v1/arbitrage?external_price=0.5')).json();
    expect(body.snear_in).toBe(maxSellableSnear(state).toString());
  });

  test.each([
    ['', 'INVALID_REQUEST'],
    ['?external_price=0', 'INVALID_AMOUNT'],
    ['?external_price=-1', 'INVALID_REQUEST'],
    ['?external_price=1e0', 'INVALID_REQUEST'],
    ['?external_price=1&price=2', 'UNKNOWN_PARAMETER'],
  ])('bad input %s → 400 %s', async (query, code) => {
    const res = await app.inject(`/v1/arbitrage${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
  });
});

test('GET /v1/metrics.json: what a wallet shows, in one shape', async () => {
  const res = await app.inject('/v1/metrics.json');
  expect(res.statusCode).toBe(200);
  const view = demoView();
  expect(res.json()).toEqual({
    contract_id: 'metapool.test.near',
    price: '1.052631578947368421052761',
    price_yocto: '1052631578947368421052761',
    instant_exit_fee_bps: marginalFeeBps(state.curve, state.liquidity),
    min_fee_bps: 30,
    max_fee_bps: 300,
    liquidity_near: view.liquidity,
    target_liquidity_near: view.target_liquidity,
    max_instant_exit_snear: maxSellableSnear(state).toString(),
    total_staked_near: view.total_staked_near,
    total_snear: view.total_snear,
    validator_count: 1,
    delayed_unstake_epochs: 4,
    epoch_height: 12,
    block_height: 1000,
    block_timestamp_ms: 1_764_000_000_000,
    state_age_ms: 0,
    rpc_ok: true,
  });
});
