import type { ContractStateView } from '@snear/amm-math';

// A fixed metapool view for tests, benchmarks and offline demos of the API (FakeStateSource).

/** 1 NEAR (or sNEAR) in yocto. */
export const ONE = 10n ** 24n;

/** A plausible metapool view: 1M NEAR staked, 8,000 NEAR of liquidity against a 10,000 target. */
export function demoView(overrides: Partial<ContractStateView> = {}): ContractStateView {
  return {
    total_staked_near: (1_000_000n * ONE + 123_456_789n).toString(),
    total_snear: (950_000n * ONE).toString(),
    liquidity: (8_000n * ONE).toString(),
    pool_snear: (2_000n * ONE).toString(),
    lp_shares: (10_000n * ONE).toString(),
    min_fee_bps: 30,
    max_fee_bps: 300,
    target_liquidity: (10_000n * ONE).toString(),
    treasury_cut_bps: 2500,
    epoch_height: 12,
    block_height: 1000,
    block_timestamp_ms: 1_764_000_000_000,
    reserve_near: '0',
    pending_deposit_near: '0',
    pending_unstake_near: '0',
    validators: [
      {
        account_id: 'pool-1.test.near',
        weight: 1,
        staked: (1_000_000n * ONE).toString(),
        unstaked: '0',
        target: (1_000_000n * ONE).toString(),
        max_stake: (2_000_000n * ONE).toString(),
        unstake_unlock_epoch: 0,
        in_flight: false,
      },
    ],
    params: { max_pool_share_bps: 3000, max_network_share_bps: 1000, unbonding_epochs: 4 },
    owner_id: 'owner.test.near',
    governance_id: 'gov.test.near',
    treasury_id: 'treasury.test.near',
    ...overrides,
  };
}
