// One fixed flow of calls for comparing gas between localnet's engines (contracts/test/
// vm-gas-calibration.test.ts and `node bench/run.js vm-gas`): the metapool's user calls, lockup
// balance views and ping steps, and a few host-test methods. Plain CommonJS like protocol.js.
const { contractPath, deployProtocol, NEAR, PING_GAS, TGAS, USER_GAS } = require('./protocol.js');

/** Gas a lockup attaches to a balance view. */
const VIEW_GAS = 25n * TGAS;

/**
 * Runs the flow on `net`; returns one row per function-call receipt executed by the metapool or
 * host-test: { contract, label (the method called), gasBurnt }. Throws on any failed call.
 */
async function gasFlow(net) {
  const rows = [];
  const record = (contract, method, out) => {
    if (out.status !== 'success')
      throw new Error(`E_GAS_FLOW: ${method} failed: ${out.failureMessage}`);
    for (const r of out.transaction.receipts) {
      const call = r.actions.find((a) => a.type === 'FunctionCall');
      if (r.isRefund || r.executorId !== contract.accountId || !call) continue;
      rows.push({ contract: contract.accountId, label: call.methodName, gasBurnt: r.gasBurnt });
    }
  };
  const { metapool, owner, users } = await deployProtocol(net, {
    pools: 2,
    users: { alice: 100_000n * NEAR, bob: 100_000n * NEAR },
  });
  const { alice, bob } = users;
  const call = async (who, method, args, deposit = 0n, gas = USER_GAS) =>
    record(
      metapool,
      method,
      await who.callRaw(metapool, method, args, { attachedDeposit: deposit, gas }),
    );
  await call(alice, 'deposit_and_stake', {}, 1_000n * NEAR);
  await call(alice, 'deposit_and_stake', {}, 10n * NEAR);
  await call(bob, 'storage_deposit', {}, NEAR / 100n);
  await call(bob, 'add_liquidity', {}, 5_000n * NEAR);
  await call(alice, 'ft_transfer', { receiver_id: bob.accountId, amount: NEAR.toString() }, 1n);
  await call(
    alice,
    'liquid_unstake',
    { snear_amount: (10n * NEAR).toString(), min_near_out: '1' },
    1n,
  );
  await call(alice, 'unstake', { amount: (5n * NEAR).toString() });
  for (const view of [
    'get_account_total_balance',
    'get_account_unstaked_balance',
    'get_account_staked_balance',
  ]) {
    await call(alice, view, { account_id: alice.accountId }, 0n, VIEW_GAS);
  }
  for (let i = 0; i < 3; i++) await call(owner, 'ping', {}, 0n, PING_GAS);

  const hostTest = await net.root.devDeploy(contractPath('host-test'), {
    initialBalance: 50n * NEAR,
  });
  for (const [method, args] of [
    ['increment', {}],
    ['get_count', {}],
    ['set_value', { key: 'a', value: 'b' }],
    ['map_set', { key: 'k', value: 'v' }],
    ['hashes', { data: 'abc' }],
    ['burn_gas', { iterations: 1_000 }],
    ['burn_gas', { iterations: 20_000 }],
  ]) {
    record(hostTest, method, await alice.callRaw(hostTest, method, args, { gas: PING_GAS }));
  }
  return rows;
}

module.exports = { gasFlow, VIEW_GAS };
