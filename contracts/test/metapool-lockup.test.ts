// A real lockup contract (the core-contracts stand-in) staking through the metapool: it gives
// each call 75 Tgas, withdraws exactly what get_account_unstaked_balance reports (§9).
import {
  Auditor,
  buildPath,
  epochs,
  NEAR,
  PING_GAS,
  pingUntilIdle,
  setup,
  viewBig,
} from './metapool-fixture';

jest.setTimeout(180_000);

it('a lockup stakes, unstakes and withdraws exact amounts through the metapool', async () => {
  const f = await setup({
    pools: 5,
    users: ['lockupowner'],
    init: { lockup_suffix: '.lockup.test.near' },
  });
  // lockups may only pick whitelisted pools: the metapool is on the whitelist
  await f.owner.call(
    f.whitelist,
    'add_staking_pool',
    { staking_pool_account_id: f.metapool.accountId },
    { gas: PING_GAS },
  );
  const factory = await f.root.createSubAccount('lockup', { initialBalance: 1_100n * NEAR });
  const lockup = await factory.createSubAccount('a1b2c3', { initialBalance: 1_000n * NEAR });
  await lockup.deploy(buildPath('lockup'));
  const owner = f.users.lockupowner;
  await lockup.call(
    lockup,
    'new',
    {
      owner_account_id: owner.accountId,
      lockup_duration: '0',
      lockup_timestamp: (2n ** 63n).toString(),
      staking_pool_whitelist_account_id: f.whitelist.accountId,
    },
    { gas: PING_GAS },
  );
  const ownerCall = (method: string, args: Record<string, unknown> = {}) =>
    owner.call(lockup, method, args, { gas: PING_GAS });
  const audit = new Auditor(f);

  expect(
    await ownerCall('select_staking_pool', { staking_pool_account_id: f.metapool.accountId }),
  ).toBe(true);
  const stake = 600n * NEAR;
  expect(await ownerCall('deposit_and_stake', { amount: stake.toString() })).toBe(true);
  audit.netUserNear += stake;
  await audit.check();
  // non-transferable: no sNEAR balance, shares counted apart
  expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: lockup.accountId })).toBe(0n);
  expect(
    await viewBig(f.metapool, 'get_account_total_balance', { account_id: lockup.accountId }),
  ).toBeGreaterThanOrEqual(stake - 1n);
  await pingUntilIdle(f);
  await epochs(f, 3);
  expect(await ownerCall('refresh_staking_pool_balance')).toBe(true);
  const known = await viewBig(lockup, 'get_known_deposited_balance');
  expect(known).toBeGreaterThan(stake);

  const unstake = 250n * NEAR + 123n;
  expect(await ownerCall('unstake', { amount: unstake.toString() })).toBe(true);
  expect(
    await viewBig(f.metapool, 'get_account_unstaked_balance', { account_id: lockup.accountId }),
  ).toBe(unstake);
  const schedule = (await f.metapool.view('get_account_unstake_schedule', {
    account_id: lockup.accountId,
  })) as {
    buckets: { unlock_epoch: number }[];
  };
  const unlock = schedule.buckets[0].unlock_epoch;
  await pingUntilIdle(f);
  // too early: the lockup's withdraw finds nothing available and changes nothing
  expect(await ownerCall('withdraw_all_from_staking_pool')).toBe(false);
  while (f.net.epochHeight() < unlock) await epochs(f, 1);
  await pingUntilIdle(f);
  const before = await viewBig(lockup, 'get_balance');
  expect(await ownerCall('withdraw_all_from_staking_pool')).toBe(true);
  audit.netUserNear -= unstake;
  expect(
    await viewBig(f.metapool, 'get_account_unstaked_balance', { account_id: lockup.accountId }),
  ).toBe(0n);
  // the lockup's own balance is whole again (moving NEAR back costs only gas)
  expect((await viewBig(lockup, 'get_balance')) - before).toBeGreaterThan(-NEAR / 100n);
  // the rest: unstake_all, then withdraw all
  expect(await ownerCall('unstake_all')).toBe(true);
  const rest = await viewBig(f.metapool, 'get_account_unstaked_balance', {
    account_id: lockup.accountId,
  });
  expect(rest).toBeGreaterThan(stake - unstake);
  await epochs(f, 5);
  expect(await ownerCall('withdraw_all_from_staking_pool')).toBe(true);
  audit.netUserNear -= rest;
  expect(
    await viewBig(f.metapool, 'get_account_total_balance', { account_id: lockup.accountId }),
  ).toBe(0n);
  await audit.check(true);
});
