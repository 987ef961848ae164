// The core scenario: whitelist, two staking pools (NEAR's real contracts where they can run: the
// chain adapters choose) and the metapool; stake, keeper, liquidity, liquid unstake (checked
// against amm-math to the yocto), delayed unstake and withdraw at the predicted epoch. Plain assertions so it runs under jest (localnet) and under tsx (sandbox).
import { poolStateFromContractView, quoteLiquidUnstake, quoteToView } from '@snear/amm-math';
import { metapoolInitArgs } from '../../../contracts/deploy/protocol';
import type { Chain, ChainAccount } from '../chain';

const NEAR = 10n ** 24n;
const USER_GAS = 75n * 10n ** 12n;
const PING_GAS = 300n * 10n ** 12n;

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(`scenario check failed: ${message}`);
}

interface StateView {
  epoch_height: number;
  total_staked_near: string;
  total_snear: string;
  reserve_near: string;
  validators: { staked: string }[];
  [k: string]: unknown;
}

async function pingUntilIdle(keeper: ChainAccount, metapool: ChainAccount): Promise<string[]> {
  const steps: string[] = [];
  for (let i = 0; i < 60; i++) {
    const step = await keeper.call<{ action: string }>(
      metapool.accountId,
      'ping',
      {},
      { gas: PING_GAS },
    );
    if (step.action === 'idle') return steps;
    steps.push(step.action);
  }
  throw new Error('ping never went idle');
}

/** Runs the core scenario; returns a short summary for logs. */
export async function coreScenario(
  chain: Chain,
  log: (line: string) => void = () => {},
): Promise<Record<string, string>> {
  const root = chain.root;
  const owner = await root.createSubAccount('owner', 100n * NEAR);
  const whitelist = await root.createSubAccount('whitelist', 20n * NEAR);
  await whitelist.deploy('whitelist');
  await whitelist.call(whitelist.accountId, 'new', { foundation_account_id: owner.accountId });
  const pools: ChainAccount[] = [];
  for (const name of ['poola', 'poolb']) {
    const pool = await root.createSubAccount(name, 50n * NEAR);
    await pool.deploy('staking-pool');
    await pool.call(pool.accountId, 'new', {
      owner_id: owner.accountId,
      stake_public_key: chain.stakePublicKey(pool.accountId),
      reward_fee_fraction: { numerator: 0, denominator: 1 },
    });
    await owner.call(whitelist.accountId, 'add_staking_pool', {
      staking_pool_account_id: pool.accountId,
    });
    pools.push(pool);
  }
  const treasury = await root.createSubAccount('treasury', 5n * NEAR);
  const metapool = await root.createSubAccount('metapool', 40n * NEAR);
  await metapool.deploy('metapool');
  await metapool.call(metapool.accountId, 'new', {
    ...metapoolInitArgs(
      owner.accountId,
      treasury.accountId,
      whitelist.accountId,
      chain.epochLength,
    ),
    target_liquidity: (100n * NEAR).toString(),
    // the first list is given at init (nobody holds sNEAR yet): due at once, applied by the
    // keeper's first ping after the whitelist check; later changes wait out the timelock
    validators: pools.map((pool) => ({ account_id: pool.accountId, weight: 1 })),
  });
  log(`${chain.name}: contracts deployed`);

  const alice = await root.createSubAccount('alice', 500n * NEAR);
  const lp = await root.createSubAccount('lp', 500n * NEAR);
  const sNear = await alice.call<string>(
    metapool.accountId,
    'deposit_and_stake',
    {},
    { deposit: 200n * NEAR, gas: USER_GAS },
  );
  check(BigInt(sNear) > 0n, 'deposit_and_stake returns the sNEAR received');
  await lp.call(metapool.accountId, 'add_liquidity', {}, { deposit: 100n * NEAR, gas: USER_GAS });
  const steps = await pingUntilIdle(owner, metapool);
  check(steps.includes('stake'), 'the keeper delegates the deposit');
  let state = await metapool.view<StateView>('get_contract_state');
  check(
    state.validators.every((v) => BigInt(v.staked) > 0n),
    'both pools received stake',
  );
  log(`${chain.name}: staked, steps ${steps.join(',')}`);

  // liquid unstake: the contract pays exactly amm-math's quote
  const sell = 30n * NEAR;
  const expected = quoteToView(quoteLiquidUnstake(poolStateFromContractView(state as never), sell));
  const got = await alice.call<Record<string, string>>(
    metapool.accountId,
    'liquid_unstake',
    { snear_amount: sell.toString(), min_near_out: expected.near_out },
    { deposit: 1n, gas: USER_GAS },
  );
  check(
    JSON.stringify(got) === JSON.stringify(expected),
    `liquid_unstake ${JSON.stringify(got)} == amm-math ${JSON.stringify(expected)}`,
  );

  // delayed unstake, withdrawable at the predicted epoch
  const unlock = await alice.call<number>(
    metapool.accountId,
    'unstake',
    { amount: (50n * NEAR).toString() },
    { gas: USER_GAS },
  );
  await pingUntilIdle(owner, metapool);
  state = await metapool.view<StateView>('get_contract_state');
  const wait = unlock - state.epoch_height;
  check(wait >= 4 && wait <= 5, `unstake waits 4 epochs (got ${wait})`);
  while ((await metapool.view<StateView>('get_contract_state')).epoch_height < unlock) {
    await chain.fastForwardEpochs(1);
    await pingUntilIdle(owner, metapool);
  }
  await pingUntilIdle(owner, metapool);
  check(
    (await metapool.view<boolean>('is_account_unstaked_balance_available', {
      account_id: alice.accountId,
    })) === true,
    'unstaked balance available at the predicted epoch',
  );
  const before = await alice.balance();
  const paid = await alice.call<string>(metapool.accountId, 'withdraw_all', {}, { gas: USER_GAS });
  check(paid === (50n * NEAR).toString(), `withdraw_all pays the unstaked amount (${paid})`);
  check((await alice.balance()) > before + 49n * NEAR, 'the NEAR arrived');
  state = await metapool.view<StateView>('get_contract_state');
  log(`${chain.name}: done at epoch ${state.epoch_height}`);
  return {
    chain: chain.name,
    unlock_epoch: String(unlock),
    liquid_near_out: got.near_out,
    total_staked_near: state.total_staked_near,
  };
}
