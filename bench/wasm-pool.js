// Real staking-pool calls per second on localnet's wasm engine: NEAR's Rust staking pool
// (staking_pool.wasm, SHA256-checked) deployed on a fresh localnet, then a cycle of
// deposit_and_stake / get_account / ping / unstake from four delegators, each a transaction with
// its receipts. Measured twice in one run, each in a child process of its own: with the engine's
// default shared `env.memory` and with LOCALNET_WASM_MEMORY=unshared (what the engine did before;
// see localnet/src/engine/wasm.ts SHARED_MEMORY), so the ratio is taken on the same machine at the
// same time. The gas burnt by the whole cycle must be identical in both, or the bench fails.
// Run: node bench/run.js wasm-pool (make bench runs every benchmark); WASM_POOL_CALLS=n to change
// the number of timed calls (default 200).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const CALLS = Number(process.env.WASM_POOL_CALLS ?? 200);
const WARMUP = 20;
const MODES = ['shared', 'unshared'];

/** One measurement in this process (the child): figures as JSON on stdout. */
async function child() {
  const { Localnet } = require(path.join(REPO, 'localnet', 'dist', 'index.js'));
  const { NEAR, TGAS } = require('../contracts/deploy/protocol.js');
  const { deployRealStakingPool } = require('../contracts/deploy/mainnet-wasm.js');
  const net = await Localnet.init({ epochLength: 1000, engine: 'wasm' });
  const owner = await net.root.createSubAccount('owner', { initialBalance: 1000n * NEAR });
  const users = [];
  for (let i = 0; i < 4; i++) {
    users.push(await net.root.createSubAccount(`d${i}`, { initialBalance: 1_000_000n * NEAR }));
  }
  const pool = await deployRealStakingPool(net.root, 'rustpool', owner);
  const methods = [
    ['deposit_and_stake', () => ({}), 10n * NEAR, 75n * TGAS],
    ['get_account', (u) => ({ account_id: u.accountId }), 0n, 25n * TGAS],
    ['ping', () => ({}), 0n, 75n * TGAS],
    ['unstake', () => ({ amount: NEAR.toString() }), 0n, 75n * TGAS],
  ];
  const byMethod = {};
  let gas = 0n;
  const receiptGas = require('node:crypto').createHash('sha256');
  const call = async (i, timed) => {
    const [method, args, attachedDeposit, g] = methods[i % methods.length];
    const user = users[Math.floor(i / methods.length) % users.length];
    const start = process.hrtime.bigint();
    const out = await user.callRaw(pool, method, args(user), { attachedDeposit, gas: g });
    const ns = process.hrtime.bigint() - start;
    const failed = out.receipts.find((r) => r.status === 'failure');
    if (out.status === 'failure' || failed) {
      throw new Error(`E_BENCH: ${method} failed: ${out.failureMessage ?? failed.failureMessage}`);
    }
    if (!timed) return;
    gas += out.gasBurnt;
    receiptGas.update(`${out.receipts.map((r) => r.gasBurnt).join(',')};`);
    byMethod[method] ??= { calls: 0, ns: 0n };
    const m = byMethod[method];
    m.calls++;
    m.ns += ns;
  };
  for (let i = 0; i < WARMUP; i++) await call(i, false);
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await call(WARMUP + i, true);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const ms = {};
  for (const [name, m] of Object.entries(byMethod)) ms[name] = Number(m.ns) / 1e6 / m.calls;
  return {
    calls: CALLS,
    callsPerSecond: CALLS / seconds,
    msPerCall: (seconds * 1000) / CALLS,
    msPerMethod: ms,
    gasBurnt: gas.toString(),
    receiptGasSha256: receiptGas.digest('hex'),
  };
}

function measure(mode) {
  const out = execFileSync(process.execPath, [__filename, '--child'], {
    cwd: REPO,
    env: { ...process.env, LOCALNET_WASM_MEMORY: mode },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

async function run() {
  const { mainnetWasmUnavailableReason } = require('../contracts/deploy/mainnet-wasm.js');
  const why = mainnetWasmUnavailableReason();
  if (why) {
    console.log(`[wasm-pool] skipped: ${why}`);
    return { skipped: why };
  }
  const results = {};
  for (const mode of MODES) {
    console.log(`[wasm-pool] ${CALLS} real-pool calls, LOCALNET_WASM_MEMORY=${mode} ...`);
    results[mode] = measure(mode);
  }
  for (const key of ['gasBurnt', 'receiptGasSha256']) {
    if (results.shared[key] !== results.unshared[key]) {
      throw new Error(
        `E_BENCH: ${key} differs between memory modes: shared ${results.shared[key]}, unshared ${results.unshared[key]}`,
      );
    }
  }
  const round = (x) => +x.toFixed(2);
  const table = ['method | shared ms | unshared ms | unshared/shared'];
  for (const name of Object.keys(results.shared.msPerMethod)) {
    const a = results.shared.msPerMethod[name];
    const b = results.unshared.msPerMethod[name];
    table.push(`${name} | ${round(a)} | ${round(b)} | ${round(b / a)}x`);
  }
  table.push(
    `all (calls/s) | ${round(results.shared.callsPerSecond)} | ${round(results.unshared.callsPerSecond)} | ${round(results.unshared.msPerCall / results.shared.msPerCall)}x`,
  );
  for (const line of table) console.log(`[wasm-pool] ${line}`);
  return {
    calls: CALLS,
    sharedCallsPerSecond: round(results.shared.callsPerSecond),
    sharedMsPerCall: round(results.shared.msPerCall),
    unsharedCallsPerSecond: round(results.unshared.callsPerSecond),
    unsharedMsPerCall: round(results.unshared.msPerCall),
    speedup: round(results.unshared.msPerCall / results.shared.msPerCall),
    gasBurntIdentical: results.shared.gasBurnt,
    receiptGasSha256: results.shared.receiptGasSha256,
  };
}

if (process.argv[2] === '--child') {
  child().then(
    (figures) => console.log(JSON.stringify(figures)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

module.exports = { run };
