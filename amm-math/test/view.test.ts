// Wire formats: the metapool's get_contract_state view, the quote view, and the chart points.
import {
  type ContractStateView,
  feeCurvePoints,
  marginalFeeBps,
  poolStateFromContractView,
  quoteFromView,
  quoteLiquidUnstake,
  quoteToView,
} from '../src';
import { NEAR } from './arbitraries';
import { codeOf, EXAMPLE_STATE } from './examples';

const view: ContractStateView = {
  total_staked_near: '1100000000000000000000000000000',
  total_snear: '1000000000000000000000000000000',
  liquidity: '8000000000000000000000000000',
  pool_snear: '0',
  lp_shares: '8000000000000000000000000000',
  min_fee_bps: 30,
  max_fee_bps: '300',
  target_liquidity: '10000000000000000000000000000',
  treasury_cut_bps: 2500,
  epoch_height: 42,
  block_height: '1234',
  block_timestamp_ms: '1764115200000',
  reserve_near: '0',
  pending_deposit_near: '0',
  pending_unstake_near: '0',
  validators: [
    {
      account_id: 'v1.poolv1.near',
      weight: 1,
      staked: '1',
      unstaked: '0',
      target: '1',
      max_stake: '10',
      unstake_unlock_epoch: 0,
      in_flight: false,
    },
  ],
  params: { max_pool_share_bps: 2000, max_network_share_bps: 500, unbonding_epochs: 4 },
  owner_id: 'owner.near',
  governance_id: 'gov.near',
  treasury_id: 'treasury.near',
};

describe('poolStateFromContractView', () => {
  it('reads the PoolState fields (bps as numbers or strings)', () => {
    expect(poolStateFromContractView(view)).toEqual(EXAMPLE_STATE);
  });

  it.each([
    ['liquidity', '-5'],
    ['liquidity', '1.5'],
    ['liquidity', 5],
    ['total_snear', '1e24'],
    ['pool_snear', ''],
    ['lp_shares', '0x10'],
    ['min_fee_bps', 30.5],
    ['max_fee_bps', '-1'],
    ['liquidity', '340282366920938463463374607431768211456'], // u128 max + 1
  ])('%s = %p is INVALID_STATE', (field, value) => {
    expect(codeOf(() => poolStateFromContractView({ ...view, [field]: value }))).toBe(
      'INVALID_STATE',
    );
  });

  it('reads lp_unstaking_near and its schedule when the view has them', () => {
    const state = poolStateFromContractView({
      ...view,
      lp_unstaking_near: '30',
      lp_unstaking_schedule: [
        { unlock_epoch: 45, amount: '10' },
        { unlock_epoch: '46', amount: '20' },
      ],
    });
    expect(state.lpUnstakingNear).toBe(30n);
    expect(state.lpUnstakingSchedule).toEqual([
      { unlockEpoch: 45, near: 10n },
      { unlockEpoch: 46, near: 20n },
    ]);
    expect(codeOf(() => poolStateFromContractView({ ...view, lp_unstaking_near: '0x1e' }))).toBe(
      'INVALID_STATE',
    );
  });

  it('fee parameters outside the caps are INVALID_CURVE', () => {
    expect(codeOf(() => poolStateFromContractView({ ...view, max_fee_bps: 1001 }))).toBe(
      'INVALID_CURVE',
    );
    expect(codeOf(() => poolStateFromContractView({ ...view, treasury_cut_bps: '6000' }))).toBe(
      'INVALID_CURVE',
    );
    expect(codeOf(() => poolStateFromContractView({ ...view, target_liquidity: '0' }))).toBe(
      'INVALID_CURVE',
    );
  });
});

describe('quote view', () => {
  it('is the quote in snake_case decimal strings, JSON-safe, and parses back', () => {
    const quote = quoteLiquidUnstake(poolStateFromContractView(view), 1_000n * NEAR);
    const wire = quoteToView(quote);
    expect(Object.keys(wire)).toEqual([
      'snear_in',
      'value_near',
      'near_out',
      'fee_near',
      'fee_bps',
      'treasury_snear',
    ]);
    expect(Object.values(wire).every((v) => typeof v === 'string' && /^\d+$/.test(v))).toBe(true);
    expect(wire.near_out).toBe(quote.nearOut.toString());
    expect(wire.fee_bps).toBe(String(quote.feeBps));
    expect(quoteFromView(JSON.parse(JSON.stringify(wire)))).toEqual(quote);
  });
});

describe('fee curve for charts', () => {
  const curve = { minFeeBps: 30, maxFeeBps: 300, targetLiquidity: 10_000n * NEAR };

  it('marginalFeeBps is max at 0, falls linearly, min from T on', () => {
    expect(marginalFeeBps(curve, 0n)).toBe(300);
    expect(marginalFeeBps(curve, 5_000n * NEAR)).toBe(165);
    expect(marginalFeeBps(curve, 2_500n * NEAR)).toBe(232.5);
    expect(marginalFeeBps(curve, 10_000n * NEAR)).toBe(30);
    expect(marginalFeeBps(curve, 10n ** 9n * NEAR)).toBe(30);
    expect(marginalFeeBps({ ...curve, targetLiquidity: 3n }, 1n)).toBe(210);
  });

  it('feeCurvePoints gives `points` evenly spaced samples up to 2T by default', () => {
    const points = feeCurvePoints(curve, 5);
    expect(points).toEqual([
      { liquidity: 0n, feeBps: 300 },
      { liquidity: 5_000n * NEAR, feeBps: 165 },
      { liquidity: 10_000n * NEAR, feeBps: 30 },
      { liquidity: 15_000n * NEAR, feeBps: 30 },
      { liquidity: 20_000n * NEAR, feeBps: 30 },
    ]);
    const custom = feeCurvePoints(curve, 3, 4_000n * NEAR);
    expect(custom.map((p) => p.liquidity)).toEqual([0n, 2_000n * NEAR, 4_000n * NEAR]);
    expect(custom[1].feeBps).toBe(246);
  });
});
