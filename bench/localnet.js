// localnet benchmark: calls per second of a simple state-changing near-sdk-js method on the VM
// engine, and the wall time of a 100-transaction scenario compared with a sandbox, where each
// dependent transaction waits for about one block (~1 s).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const COUNTER = path.join(REPO, 'localnet', 'test', 'fixtures', 'build', 'counter.js');
const HOST_TEST = path.join(REPO, 'contracts', 'build', 'host-test.js');
const SANDBOX_SECONDS_PER_DEPENDENT_TX = 1;
const NEAR = 10n ** 24n;
const TGAS = 10n ** 12n;

/** localnet from dist/ (make build), else from src/ through tsx. */
function loadLocalnet() {
  const dist = path.join(REPO, 'localnet', 'dist', 'index.js');
  if (fs.existsSync(dist)) return require(dist);
  require('tsx/cjs/api').register();
  return require(path.join(REPO, 'localnet', 'src', 'index.ts'));
}

function ensureCounter() {
  if (!fs.existsSync(COUNTER)) {
    execFileSync(
      process.execPath,
      [path.join(REPO, 'localnet', 'test', 'fixtures', 'build.mjs'), 'counter'],
      {
        cwd: REPO,
        stdio: 'inherit',
      },
    );
  }
}

async function callsPerSecond(Localnet, calls) {
  const net = await Localnet.init();
  const alice = await net.root.createSubAccount('alice');
  const counter = await net.root.devDeploy(COUNTER, { initialBalance: 20n * NEAR });
  for (let i = 0; i < 200; i++) await alice.call(counter, 'increment', {}); // compile + warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await alice.call(counter, 'increment', {});
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const viewStart = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await counter.view('get_count', {});
  const viewSeconds = Number(process.hrtime.bigint() - viewStart) / 1e9;
  const gas = (await alice.callRaw(counter, 'increment', {})).gasBurnt;
  return {
    calls,
    callsPerSecond: Math.round(calls / seconds),
    msPerCall: +((seconds * 1000) / calls).toFixed(3),
    viewsPerSecond: Math.round(calls / viewSeconds),
    tgasPerCall: Number(gas / 10n ** 9n) / 1000,
  };
}

/** 100 dependent transactions: sub-accounts, deploys, transfers, calls and promise chains. */
async function scenario(Localnet) {
  const start = process.hrtime.bigint();
  const net = await Localnet.init({ epochLength: 50 });
  const startHeight = net.blockHeight();
  let txs = 0;
  const users = [];
  for (let i = 0; i < 10; i++) {
    users.push(await net.root.createSubAccount(`user${i}`, { initialBalance: 50n * NEAR }));
    txs++;
  }
  const counter = await net.root.devDeploy(COUNTER, { initialBalance: 20n * NEAR });
  txs++;
  const hostTest = fs.existsSync(HOST_TEST)
    ? await net.root.devDeploy(HOST_TEST, { initialBalance: 20n * NEAR })
    : undefined;
  if (hostTest) txs++;
  while (txs < 100) {
    const user = users[txs % users.length];
    const kind = txs % 4;
    if (kind === 0) await user.transfer(users[(txs + 1) % users.length], NEAR);
    else if (kind === 1 && hostTest) {
      await user.call(
        hostTest,
        'call_other',
        { account_id: hostTest.accountId, method: 'echo', args: { value: txs } },
        { gas: 100n * TGAS },
      );
    } else await user.call(counter, 'increment', {});
    txs++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const blocks = net.blockHeight() - startHeight;
  const sandboxSeconds = txs * SANDBOX_SECONDS_PER_DEPENDENT_TX;
  return {
    transactions: txs,
    wallMs: Math.round(seconds * 1000),
    blocksProduced: blocks,
    sandboxEstimateSeconds: sandboxSeconds,
    speedupVsSandbox: Math.round(sandboxSeconds / seconds),
  };
}

async function run() {
  ensureCounter();
  const { Localnet } = loadLocalnet();
  const vm = await callsPerSecond(Localnet, 3000);
  const hundredTxFirstRun = await scenario(Localnet); // includes compiling the contracts
  const hundredTx = await scenario(Localnet);
  return {
    vmEngine: { ...vm, target: 1000, meetsTarget: vm.callsPerSecond >= 1000 },
    hundredTx,
    hundredTxFirstRunWallMs: hundredTxFirstRun.wallMs,
  };
}

module.exports = { run };

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
