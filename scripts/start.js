#!/usr/bin/env node
// `make start`: localnet (in-process) with its JSON-RPC server, the protocol deployed and seeded
// with a demo, the keeper, and the quote API reading localnet through near-api-js. Ctrl-C stops all.
// Settings (environment): SNEAR_RPC_PORT (3030), SNEAR_API_PORT (3000), SNEAR_EPOCH_LENGTH (200
// blocks), SNEAR_BLOCK_MS (1000: one block per second, so epochs pass while you watch; 0 = only
// transactions make blocks), SNEAR_HOST (127.0.0.1).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const {
  deployGovToken,
  deployProtocol,
  GOV,
  NEAR,
  pingUntilIdle,
  USER_GAS,
} = require('../contracts/deploy/protocol.js');

const POOLS = 5;
/** Chain time of one demo epoch: NEAR mainnet's 43,200 one-second blocks. */
const EPOCH_CHAIN_NS = 12n * 3600n * 1_000_000_000n;
/** The account the page's local-key wallet connects as. */
const DEMO_ACCOUNT = 'demo.test.near';
/** The DAO that governs the demo's metapool (its `governance_id`; deployed after the seed). */
const DAO_NAME = 'dao';

const env = process.env;
const settings = {
  host: env.SNEAR_HOST ?? '127.0.0.1',
  rpcPort: Number(env.SNEAR_RPC_PORT ?? 3030),
  apiPort: Number(env.SNEAR_API_PORT ?? 3000),
  epochLength: Number(env.SNEAR_EPOCH_LENGTH ?? 200),
  blockMs: Number(env.SNEAR_BLOCK_MS ?? 1000),
};

const say = (text) => process.stdout.write(`[start] ${text}\n`);

/** Fails early, naming the missing build output and the command that makes it. */
function requireBuilt() {
  const needed = [
    ['localnet/dist/index.js', 'make build'],
    ['localnet/dist/rpc/index.js', 'make build'],
    ['api/dist/server.js', 'make build'],
    ['api/dist/keeper.js', 'make build'],
    ['indexer/dist/cli.js', 'make build'],
    ['contracts/build/whitelist.js', 'make contracts'],
    ['contracts/build/staking-pool.js', 'make contracts'],
    ['contracts/build/metapool.js', 'make contracts'],
    ['contracts/build/gov-token.js', 'make contracts'],
  ];
  const missing = needed.filter(([file]) => !fs.existsSync(path.join(ROOT, file)));
  if (missing.length > 0) {
    for (const [file, command] of missing)
      process.stderr.write(`E_NOT_BUILT: ${file} (run ${command})\n`);
    process.exit(1);
  }
  return {
    localnet: require(path.join(ROOT, 'localnet/dist/index.js')),
    rpc: require(path.join(ROOT, 'localnet/dist/rpc/index.js')),
    server: require(path.join(ROOT, 'api/dist/server.js')),
    config: require(path.join(ROOT, 'api/dist/config.js')),
    keeper: require(path.join(ROOT, 'api/dist/keeper.js')),
  };
}

/**
 * Whitelist, five staking pools (5% fee; NEAR's real whitelist.wasm and staking_pool.wasm unless
 * they cannot run here, see contracts/deploy/protocol.js), the metapool, and the demo's stakers and
 * LPs.
 */
async function deploy(net) {
  const protocol = await deployProtocol(net, {
    pools: POOLS,
    poolFee: { numerator: 5, denominator: 100 },
    weights: Array.from({ length: POOLS }, (_, i) => 1 + (i % 3)),
    // the governance token accrues from launch: 1 token a second, x0.99 a week (docs: metapool README)
    init: {
      max_pool_share_bps: 3_000,
      governance_id: `${DAO_NAME}.${net.root.accountId}`,
      gov_token_id: `gov.${net.root.accountId}`,
      gov_rate_per_second: GOV.toString(),
      gov_weekly_decay_bps: 9_900,
    },
    users: {
      alice: 200_000n * NEAR,
      bob: 200_000n * NEAR,
      carol: 200_000n * NEAR,
      lp1: 100_000n * NEAR,
      lp2: 100_000n * NEAR,
    },
  });
  protocol.gov = await deployGovToken(net.root, protocol.metapool);
  // a little spread in validator returns, as on a real network
  for (const [i, pool] of protocol.pools.entries()) {
    net.setRewardRate(pool.accountId, { num: 8 + i, den: 10_000 });
  }
  return protocol;
}

/**
 * The governing DAO (real sputnikdao2.wasm + sputnik_staking.wasm, the default policy with a
 * demo-sized quorum): alice, bob and carol claim the GOV they earned, stake and delegate it; one
 * proposal passes (its change waits in the metapool's timelock) and one stays pending. Returns
 * null where NEAR's real contracts cannot run here.
 */
async function governance(protocol) {
  if (protocol.peers !== 'real') return null;
  const {
    defaultPolicy,
    deployGovernanceDao,
    functionCallKind,
    propose,
    stakeAndDelegate,
    TOKEN,
    vote,
  } = require('../contracts/deploy/dao.js');
  const { root, metapool, gov, users, pools } = protocol;
  const holders = [users.alice, users.bob, users.carol];
  const dao = await deployGovernanceDao(root, {
    token: gov,
    name: DAO_NAME,
    members: holders,
    policy: defaultPolicy({ quorum: TOKEN }),
  });
  for (const who of holders) {
    await who.call(metapool, 'claim_gov', {}, { gas: USER_GAS });
    const amount = BigInt(await gov.view('ft_balance_of', { account_id: who.accountId }));
    if (amount > 0n) await stakeAndDelegate(who, { token: gov, staking: dao.staking, amount });
  }
  const passed = await propose(
    users.alice,
    dao.dao,
    `weight 3 for ${pools[0].accountId}`,
    functionCallKind(metapool.accountId, 'set_validator_weight', {
      account_id: pools[0].accountId,
      weight: 3,
    }),
  );
  await vote(users.alice, dao.dao, passed);
  await vote(users.bob, dao.dao, passed);
  const pending = await propose(
    users.carol,
    dao.dao,
    'protocol fee on rewards 8%',
    functionCallKind(metapool.accountId, 'propose_fee_params', { reward_fee_bps: 800 }),
  );
  await vote(users.carol, dao.dao, pending);
  return { dao: dao.dao, passed, pending };
}

/** Calls ping until idle (the demo's own keeper while seeding). */
const pingToIdle = ({ owner, metapool }) => pingUntilIdle(owner, metapool, { maxSteps: 300 });

/** Liquidity, stakes, a few epochs of rewards, some liquid and delayed unstakes. */
async function seed(net, protocol) {
  const { metapool, users } = protocol;
  const call = (who, method, args, deposit = 0n) =>
    who.call(metapool, method, args, { attachedDeposit: deposit, gas: USER_GAS });
  await call(users.lp1, 'add_liquidity', {}, 6_000n * NEAR);
  await call(users.lp2, 'add_liquidity', {}, 2_500n * NEAR);
  await call(users.alice, 'deposit_and_stake', {}, 60_000n * NEAR);
  await call(users.bob, 'deposit_and_stake', {}, 35_000n * NEAR);
  await call(users.carol, 'deposit_and_stake', {}, 12_000n * NEAR);
  await pingToIdle(protocol);
  for (let epoch = 0; epoch < 4; epoch++) {
    await net.fastForwardEpochs(1);
    await pingToIdle(protocol);
  }
  await call(
    users.alice,
    'liquid_unstake',
    { snear_amount: (1_500n * NEAR).toString(), min_near_out: '0' },
    1n,
  );
  await call(
    users.bob,
    'liquid_unstake',
    { snear_amount: (800n * NEAR).toString(), min_near_out: '0' },
    1n,
  );
  await call(
    users.carol,
    'liquid_unstake',
    { snear_amount: (2_200n * NEAR).toString(), min_near_out: '0' },
    1n,
  );
  await call(users.bob, 'unstake', { amount: (3_000n * NEAR).toString() });
  await pingToIdle(protocol);
  // alice registers on the governance token and claims what she has earned so far
  const bounds = await protocol.gov.view('storage_balance_bounds', {});
  await users.alice.call(
    protocol.gov,
    'storage_deposit',
    {},
    { attachedDeposit: BigInt(bounds.min) },
  );
  await call(users.alice, 'claim_gov', {});
}

/** A free loopback port (asked of the OS). */
function freePort(host) {
  return new Promise((resolve, reject) => {
    const probe = require('node:net').createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The indexer, its own process (indexer/dist/cli.js) following localnet over JSON-RPC into a fresh
 * PGlite store served on a free port for the API; its progress lines are printed as
 * `[indexer] ...`. Returns the store URL for the API and how to stop it. Always PGlite, even when
 * DATABASE_URL is set: this chain is new on every run, so a server's history from an earlier run
 * (or from another demo running at the same time, as the test suites do) would not follow it
 * (DATABASE_URL is for the indexer run against testnet or mainnet, indexer/README.md).
 */
async function startIndexer(rpcUrl, contractId) {
  const dataDir = path.join(ROOT, '.localnet', `indexer-${new URL(rpcUrl).port}`);
  fs.rmSync(dataDir, { recursive: true, force: true }); // a new localnet: a new history
  const pgPort = await freePort(settings.host);
  const child = require('node:child_process').spawn(
    process.execPath,
    [path.join(ROOT, 'indexer/dist/cli.js'), '--start-block', '0', '--progress-ms', '10000'],
    {
      env: {
        ...env,
        SNEAR_RPC_URL: rpcUrl,
        SNEAR_CONTRACT_ID: contractId,
        SNEAR_INDEXER_DATA_DIR: dataDir,
        SNEAR_INDEXER_PG_HOST: settings.host,
        SNEAR_INDEXER_PG_PORT: String(pgPort),
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let rest = '';
  child.stdout.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const text of lines) {
      try {
        const entry = JSON.parse(text);
        if (entry.level >= 30)
          say(
            `indexer: ${entry.msg}${entry.blocks_per_s ? ` (${entry.blocks_per_s} blocks/s, ${entry.events} events)` : ''}`,
          );
      } catch {
        if (text.trim()) say(`indexer: ${text}`);
      }
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: `postgres://postgres@${settings.host}:${pgPort}/postgres`,
    label: `PGlite served on ${settings.host}:${pgPort}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Listens on `port`, or on a free port when it is taken. */
async function onFreePort(label, port, start) {
  try {
    return await start(port);
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    say(`${label}: port ${port} is taken; using a free port`);
    return start(0);
  }
}

async function main() {
  const built = requireBuilt();
  const started = Date.now();
  say(
    `localnet: epoch length ${settings.epochLength} blocks, one block every ${settings.blockMs || '∞'} ms (12 h of chain time an epoch)`,
  );
  // Chain time runs at mainnet's pace per epoch (12 h), so rewards per epoch annualise as they
  // would on NEAR and the app's APY is a real figure after a chain day (two epochs).
  const blockTimeNs = EPOCH_CHAIN_NS / BigInt(settings.epochLength);
  const net = await built.localnet.Localnet.init({
    epochLength: settings.epochLength,
    blockTimeNs,
  });
  const protocol = await deploy(net);
  const peers = protocol.peers === 'real' ? "NEAR's real" : 'our stand-in';
  say(`deployed ${peers} whitelist and ${POOLS} staking pools, and ${protocol.metapool.accountId}`);
  await seed(net, protocol);
  say(
    `seeded stakers, LPs, 4 epochs of rewards and a few liquid unstakes (${Date.now() - started} ms)`,
  );
  const claimed = await protocol.gov.view('ft_balance_of', {
    account_id: protocol.users.alice.accountId,
  });
  say(
    `governance token ${protocol.gov.accountId}: accruing to stakers and LPs; ${protocol.users.alice.accountId} claimed ${claimed} (smallest units)`,
  );

  const dao = await governance(protocol);
  if (dao === null) {
    say("governance: no DAO (NEAR's real contracts cannot run here); the owner governs");
  } else {
    const queued = await protocol.metapool.view('get_pending_changes', {});
    const p = await dao.dao.view('get_proposal', { id: dao.pending });
    say(
      `governance: ${dao.dao.accountId} (Sputnik DAO, GOV-weighted) governs; proposal ${dao.passed} passed and waits in the timelock until epoch ${queued.map((c) => c.apply_epoch).join(', ')}; proposal ${dao.pending} is ${p.status}`,
    );
  }

  const rpc = await onFreePort('RPC', settings.rpcPort, (port) =>
    built.rpc.startRpcServer(net, { port, host: settings.host }),
  );

  // the keeper signs over JSON-RPC with its own key, like it would against any NEAR node
  const keeperKey = built.rpc.createAccountWithKey(net, 'keeper.test.near', 100n * NEAR);
  // One key file per instance (named by its RPC port, unique while it runs), created exclusively:
  // two `make start` side by side never overwrite each other's keeper key.
  const keyDir = path.join(ROOT, '.localnet');
  fs.mkdirSync(keyDir, { recursive: true });
  const keyFile = path.join(keyDir, `keeper.test.near.${rpc.port}.json`);
  fs.rmSync(keyFile, { force: true }); // a previous run on this port that did not stop cleanly
  fs.writeFileSync(
    keyFile,
    `${JSON.stringify({ account_id: keeperKey.accountId, public_key: keeperKey.publicKey, private_key: keeperKey.secretKey }, null, 2)}\n`,
    { mode: 0o600, flag: 'wx' },
  );
  const keeperChain = await built.keeper.nearKeeperChain({
    rpcUrl: rpc.url,
    contractId: protocol.metapool.accountId,
    accountId: keeperKey.accountId,
    secretKey: keeperKey.secretKey,
  });
  const keeper = new built.keeper.Keeper(keeperChain, { pollMs: 2_000, retryDelayMs: 500 });
  keeper.start();

  const indexer = await startIndexer(rpc.url, protocol.metapool.accountId);
  // The page's local-key wallet signs as this account (localnet only: the key is handed to the API
  // in process, never through its flags or environment, and lives as long as this run).
  const demo = built.rpc.createAccountWithKey(net, DEMO_ACCOUNT, 10_000n * NEAR);

  const blockMs = settings.blockMs;
  const epochMs = blockMs > 0 ? blockMs * settings.epochLength : 12 * 3600 * 1000;
  const api = await onFreePort('API', settings.apiPort, (port) =>
    built.server.startServer(
      built.config.parseServerConfig([], {
        ...env,
        SNEAR_RPC_URL: rpc.url,
        SNEAR_CONTRACT_ID: protocol.metapool.accountId,
        SNEAR_API_HOST: settings.host,
        SNEAR_API_PORT: String(port),
        SNEAR_EPOCH_MS: String(epochMs),
        SNEAR_HISTORY_DATABASE_URL: indexer.url,
        SNEAR_LOG_LEVEL: env.SNEAR_LOG_LEVEL ?? 'warn',
        // localnet runs in this process and blocks the event loop while it executes blocks:
        // that is not overload, so no load shedding in the demo unless asked
        SNEAR_SHED_LOOP_DELAY_MS: env.SNEAR_SHED_LOOP_DELAY_MS ?? '0',
        SNEAR_NETWORK_ID: 'localnet',
      }),
      { demo: { accountId: demo.accountId, secretKey: demo.secretKey, rpcUrl: rpc.url } },
    ),
  );

  const blocks = blockMs > 0 ? setInterval(() => net.fastForward(1), blockMs) : undefined;

  const line = '-'.repeat(64);
  process.stdout.write(
    `\n${line}\n` +
      `  sNEAR demo is running (${Date.now() - started} ms to start)\n` +
      `  page:     ${api.url}/\n` +
      `  app:      ${api.url}/  (Connect wallet → "Local demo wallet" signs as ${demo.accountId}, 10,000 NEAR)\n` +
      `  API docs: ${api.url}/docs   (OpenAPI: ${api.url}/openapi.json)\n` +
      `  quote:    ${api.url}/v1/quote/liquid-unstake?amount=100\n` +
      `  history:  ${api.url}/v1/apy  ${api.url}/v1/history/exits   (indexer store: ${indexer.label})\n` +
      `  RPC:      ${rpc.url}   (metapool: ${protocol.metapool.accountId})\n` +
      `  keeper:   ${keeperKey.accountId}, key in ${path.relative(process.cwd(), keyFile)}\n` +
      `  Ctrl-C stops everything.\n${line}\n\n`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping ...');
    if (blocks) clearInterval(blocks);
    await keeper.stop();
    await api.close();
    await indexer.stop();
    await rpc.close();
    fs.rmSync(keyFile, { force: true });
    say('stopped');
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`E_START: ${error?.stack ?? error}\n`);
  process.exit(1);
});
