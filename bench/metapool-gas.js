// Metapool gas per method under localnet's gas model: every user method is called with the 75 Tgas
// a lockup gives a staking-pool call (it must succeed), maintenance steps with 300 Tgas. Prints a
// table of gas burnt per transaction (all receipts: call, cross-contract calls, callbacks).
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const {
  contractPath,
  deployProtocol,
  NEAR,
  PING_GAS,
  TGAS,
  USER_GAS,
} = require('../contracts/deploy/protocol.js');

/** localnet from dist/ (make build), else from src/ through tsx. */
function loadLocalnet() {
  const dist = path.join(REPO, 'localnet', 'dist', 'index.js');
  if (fs.existsSync(dist)) return require(dist);
  require('tsx/cjs/api').register();
  return require(path.join(REPO, 'localnet', 'src', 'index.ts'));
}

/** The protocol with three whitelisted pools the bench registers itself (add_validator's gas). */
async function setup(Localnet, engine) {
  const net = await Localnet.init({ epochLength: 1000, engine });
  const { owner, metapool, pools, users } = await deployProtocol(net, {
    pools: 0,
    extraPools: 3,
    // no target_liquidity arg: the contract's default (also 10,000 NEAR) is what the figures have
    // always measured, and on the wasm engine the parsed arg costs add_liquidity 0.01 Tgas more
    init: { target_liquidity: undefined },
    users: { alice: 100_000n * NEAR, bob: 100_000n * NEAR },
  });
  return { net, owner, metapool, pools, alice: users.alice, bob: users.bob };
}

/** Runs ping until `action` happens; returns that transaction's outcome. */
async function pingFor(env, action) {
  for (let i = 0; i < 50; i++) {
    const out = await env.owner.callRaw(env.metapool, 'ping', {}, { gas: PING_GAS });
    if (out.status !== 'success') throw new Error(`ping failed: ${out.failureMessage}`);
    if (out.value.action === action) return out;
    if (out.value.action === 'idle' && action !== 'idle')
      throw new Error(`ping went idle before ${action}`);
  }
  throw new Error(`no ${action} step`);
}

function row(method, out, limit) {
  if (out.status !== 'success') throw new Error(`${method} failed: ${out.failureMessage}`);
  const ownReceipts = out.receipts.filter((r) => !r.isRefund);
  let maxReceipt = 0n;
  for (const r of ownReceipts) if (r.gasBurnt > maxReceipt) maxReceipt = r.gasBurnt;
  const tgas = (g) => Number((g * 100n) / TGAS) / 100;
  return {
    method,
    total_tgas: tgas(out.gasBurnt),
    max_receipt_tgas: tgas(maxReceipt),
    receipts: ownReceipts.length,
    limit_tgas: tgas(limit),
  };
}

/** Measures every user method and maintenance step on one engine; returns the rows. */
async function measure(Localnet, engine) {
  const env = await setup(Localnet, engine);
  const { net, owner, metapool, pools, alice, bob } = env;
  const rows = [];
  const user = (who, method, args, deposit = 0n) =>
    who.callRaw(metapool, method, args, { attachedDeposit: deposit, gas: USER_GAS }).then((out) => {
      rows.push(row(method, out, USER_GAS));
      return out;
    });
  const keeper = async (label, action) => {
    const out = await pingFor(env, action);
    rows.push(row(`ping (${label})`, out, PING_GAS));
  };

  rows.push(
    row(
      'add_validator (+ whitelist callback)',
      await owner.callRaw(
        metapool,
        'add_validator',
        { account_id: pools[0].accountId, weight: 1 },
        { gas: PING_GAS },
      ),
      PING_GAS,
    ),
  );
  for (const p of pools.slice(1))
    await owner.call(
      metapool,
      'add_validator',
      { account_id: p.accountId, weight: 1 },
      { gas: PING_GAS },
    );
  rows.push(
    row(
      'deposit_and_stake (new account)',
      await alice.callRaw(
        metapool,
        'deposit_and_stake',
        {},
        { attachedDeposit: 10000n * NEAR, gas: USER_GAS },
      ),
      USER_GAS,
    ),
  );
  await user(alice, 'deposit_and_stake', {}, 1000n * NEAR);
  await user(bob, 'storage_deposit', {}, NEAR / 100n);
  await user(bob, 'add_liquidity', {}, 5000n * NEAR);
  await keeper('stake to a pool', 'stake');
  await pingFor(env, 'idle');
  await user(
    alice,
    'ft_transfer',
    { receiver_id: bob.accountId, amount: (10n * NEAR).toString() },
    1n,
  );
  await user(alice, 'liquid_unstake', {
    snear_amount: (500n * NEAR).toString(),
    min_near_out: '0',
  });
  await user(
    alice,
    'ft_transfer_call',
    {
      receiver_id: metapool.accountId,
      amount: (100n * NEAR).toString(),
      msg: JSON.stringify({ action: 'liquid_unstake', min_near_out: '0' }),
    },
    1n,
  );
  await user(bob, 'lp_transfer', { receiver_id: alice.accountId, shares: NEAR.toString() });
  await user(bob, 'remove_liquidity', { shares: (100n * NEAR).toString() });
  await user(alice, 'deposit', {}, 10n * NEAR);
  await user(alice, 'stake', { amount: (5n * NEAR).toString() });
  await user(alice, 'withdraw', { amount: (5n * NEAR).toString() });
  await net.fastForwardEpochs(1);
  await keeper('sync rewards of a pool', 'sync');
  await pingFor(env, 'idle');
  await user(alice, 'unstake', { amount: (1000n * NEAR).toString() });
  await keeper('unstake from a pool', 'unstake');
  await pingFor(env, 'idle');
  await user(bob, 'unstake_all', {});
  for (let i = 0; i < 4; i++) {
    await net.fastForwardEpochs(1);
    await pingFor(env, 'idle');
  }
  await net.fastForwardEpochs(1);
  await keeper('withdraw from a pool', 'withdraw');
  await pingFor(env, 'idle');
  await user(alice, 'withdraw_all', {});
  await user(alice, 'liquid_unstake', {
    snear_amount: (3000n * NEAR).toString(),
    min_near_out: '0',
  });
  await net.fastForwardEpochs(1);
  await keeper('pool self-unstake', 'pool_self_unstake');
  await keeper('idle', 'idle');
  const view = await metapool.view('quote_liquid_unstake', { snear_amount: NEAR.toString() });
  if (!view) throw new Error('quote view failed');

  const width = Math.max(...rows.map((r) => r.method.length));
  console.log(
    `\nmetapool gas on localnet, engine ${engine}${engine === 'vm' ? " (localnet's gas model for .js)" : ' (QuickJS compiled to wasm, metered)'}`,
  );
  console.log(`${'method'.padEnd(width)}  total Tgas  max receipt  receipts  limit`);
  for (const r of rows) {
    console.log(
      `${r.method.padEnd(width)}  ${String(r.total_tgas).padStart(10)}  ${String(r.max_receipt_tgas).padStart(11)}  ${String(r.receipts).padStart(8)}  ${r.limit_tgas}`,
    );
  }
  const over = rows.filter((r) => r.total_tgas > r.limit_tgas);
  if (over.length) throw new Error(`over the gas limit: ${over.map((r) => r.method).join(', ')}`);
  return rows;
}

/** The gas table on the VM engine and, when available, on the wasm engine. */
async function run() {
  const localnet = loadLocalnet();
  for (const c of ['metapool', 'staking-pool', 'whitelist']) contractPath(c);
  const result = { vm: await measure(localnet.Localnet, 'vm') };
  const reason = localnet.wasmEngineUnavailableReason();
  if (reason) console.log(`metapool-gas: wasm engine skipped (${reason})`);
  else result.wasm = await measure(localnet.Localnet, 'wasm');
  return result;
}

module.exports = { run };

if (require.main === module) {
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
