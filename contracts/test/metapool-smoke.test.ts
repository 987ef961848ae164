import { contractState, epochs, NEAR, pingUntilIdle, setup, USER_GAS } from './metapool-fixture';

jest.setTimeout(120_000);

it('smoke', async () => {
  const f = await setup({ pools: 3, users: ['alice'] });
  const { alice } = f.users;
  const out = await alice.callRaw(
    f.metapool,
    'deposit_and_stake',
    {},
    { attachedDeposit: 100n * NEAR, gas: USER_GAS },
  );
  console.log(out.status, out.failureMessage, out.gasBurnt, out.logs);
  const steps = await pingUntilIdle(f);
  console.log(steps);
  console.log(JSON.stringify(await contractState(f), null, 1));
  await epochs(f, 2);
  console.log(JSON.stringify(await contractState(f), null, 1));
  const u = await alice.callRaw(
    f.metapool,
    'unstake',
    { amount: (10n * NEAR).toString() },
    { gas: USER_GAS },
  );
  console.log(u.status, u.failureMessage, u.value, u.gasBurnt);
  console.log(await pingUntilIdle(f));
  console.log(JSON.stringify(await contractState(f), null, 1));
});
