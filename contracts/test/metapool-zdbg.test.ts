import {
  Auditor,
  contractState,
  epochs,
  NEAR,
  pingUntilIdle,
  poolAccount,
  setup,
  TimerWatch,
  viewBig,
} from './metapool-fixture';

jest.setTimeout(60000);
it('dbg', async () => {
  const f = await setup({
    pools: 2,
    users: ['lockup'],
    init: { lockup_suffix: '.lockup.test.near' },
  });
  const lockup = await f.users.lockup.createSubAccount('vest', { initialBalance: 2_000n * NEAR });
  const audit = new Auditor(f);
  await audit.stake(lockup, 1_000n * NEAR);
  await pingUntilIdle(f);
  await epochs(f, 2);
  const exact = 123_456_789_000_000_000_000_000n;
  const unlock = (await audit.unstake(lockup, exact))!;
  console.log(unlock, f.net.epochHeight(), JSON.stringify(await contractState(f)));
  while (f.net.epochHeight() < unlock) {
    await epochs(f, 1);
  }
  console.log(await pingUntilIdle(f));
  console.log(unlock, f.net.epochHeight(), JSON.stringify(await contractState(f)));
  console.log(
    await f.metapool.view('get_account_unstake_schedule', { account_id: lockup.accountId }),
  );
});
