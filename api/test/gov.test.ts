/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import type { GovStateView } from '@snear/amm-math';
import { demoApp, demoView, ONE } from './fixtures';

function govView(overrides: Partial<GovStateView> = {}): GovStateView {
  return {
    token_id: 'gov.snear.near',
    start_seconds: 1_700_000_000,
    rate_per_second: (ONE / 10n).toString(),
    initial_rate_per_second: (ONE / 10n).toString(),
    weekly_decay_bps: 9_900,
    scale_bps: 10_000,
    stakers_bps: 8_000,
    lps_bps: 2_000,
    emitted: (1_000n * ONE).toString(),
    total: (6_048_000n * ONE).toString(),
    remaining: (6_047_000n * ONE).toString(),
    acc_stake: '0',
    acc_lp: '0',
    precision: (10n ** 30n).toString(),
    eligible_shares: (800_000n * ONE).toString(),
    lp_shares: (10_000n * ONE).toString(),
    treasury_unclaimed: '0',
    claimed: (10n * ONE).toString(),
    in_flight: '0',
    ...overrides,
  };
}

describe('GET /v1/gov', () => {
  test('rate, split, emitted, and what 1,000 sNEAR and one LP share earn in the next day', async () => {
    const view = demoView();
    // one day into week 0: the next 24 hours all run at the first week's rate
    const start = Math.floor(Number(view.block_timestamp_ms) / 1000) - 86_400;
    const { app } = await demoApp({ view: { ...view, gov: govView({ start_seconds: start }) } });
    const res = await app.inject('/v1/gov');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const day = (ONE / 10n) * 86_400n;
    expect(body).toMatchObject({
      enabled: true,
      token_id: 'gov.snear.near',
      stakers_bps: 8_000,
      lps_bps: 2_000,
      emitted: (1_000n * ONE).toString(),
      per_day: day.toString(),
      // 80% of the day over 800,000 eligible sNEAR, for 1,000 of them
      per_1000_snear_per_day: ((day * 8n) / 10n / 800n).toString(),
      // 20% of the day over 10,000 LP shares, for one
      per_lp_share_per_day: ((day * 2n) / 10n / 10_000n).toString(),
    });
    expect(body.per_1000_snear_per_day_text).toBe('8.64 GOV');
  });

  test('a day that crosses a week boundary pays the decayed rate after it', async () => {
    const view = demoView();
    const now = Math.floor(Number(view.block_timestamp_ms) / 1000);
    // half a day before week 1 starts
    const start = now - (604_800 - 43_200);
    const { app } = await demoApp({ view: { ...view, gov: govView({ start_seconds: start }) } });
    const body = (await app.inject('/v1/gov')).json();
    const rate = ONE / 10n;
    const expected = rate * 43_200n + ((rate * 99n) / 100n) * 43_200n;
    expect(BigInt(body.per_day)).toBe(expected);
  });

  test('without a governance token the answer says so', async () => {
    const { app } = await demoApp();
    const body = (await app.inject('/v1/gov')).json();
    expect(body).toMatchObject({ enabled: false, token_id: null, per_day: '0' });
  });
});

describe('GET /v1/gov/account', () => {
  test("answers the contract's get_gov_account for the account", async () => {
    const { app, source } = await demoApp();
    const answer = {
      account_id: 'alice.near',
      claimable: (12n * ONE).toString(),
      forwarded_to_it: '0',
      beneficiary_id: null,
      pending_forward: '0',
    };
    const asked: unknown[] = [];
    source.views.set('get_gov_account', (args) => {
      asked.push(args);
      return answer;
    });
    const res = await app.inject('/v1/gov/account?account_id=alice.near');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(answer);
    expect(asked).toEqual([{ account_id: 'alice.near' }]);
  });

  test('refuses a malformed account id and says when the chain cannot answer', async () => {
    const { app } = await demoApp();
    const bad = await app.inject('/v1/gov/account?account_id=Not%20An%20Account');
    expect(bad.statusCode).toBe(400);
    const down = await app.inject('/v1/gov/account?account_id=alice.near');
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('STATE_UNAVAILABLE');
  });
});
