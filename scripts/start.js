#!/usr/bin/env node
// `make start`: localnet (in-process) with its JSON-RPC server, the protocol deployed and seeded
// with a demo, the keeper, and the quote API reading localnet through near-api-js. Ctrl-C stops all.
// Settings (environment): SNEAR_RPC_PORT (3030), SNEAR_API_PORT (3000), SNEAR_EPOCH_LENGTH (200
// blocks), SNEAR_BLOCK_MS (1000: one block per second, so epochs pass while you watch; 0 = only
// transactions make blocks), SNEAR_HOST (127.0.0.1).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const NEAR = 10n ** 24n;
const TGAS = 10n ** 12n;
const GAS = 300n * TGAS;
const USER_GAS = 75n * TGAS;
const POOLS = 5;
// Any valid ed25519 key: localnet's staking pools only need a well-formed one.
const STAKE_PUBLIC_KEY = 'ed25519:KuTCtARNzxZQ3YvXDeLjx83FDqxv2SdQTSbiq876zR7';

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
    ['contracts/build/whitelist.js', 'make contracts'],
    ['contracts/build/staking-pool.js', 'make contracts'],
    ['contracts/build/metapool.js', 'make contracts'],
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

const contract = (name) => path.join(ROOT, 'contracts', 'build', `${name}.js`);

/** Whitelist, five staking pools and the metapool, deployed and initialised. */
async function deploy(net) {
  const root = net.root;
  const owner = await root.createSubAccount('owner', { initialBalance: 1_000n * NEAR });
  const treasury = await root.createSubAccount('treasury', { initialBalance: 10n * NEAR });
  const whitelist = await root.createSubAccount('whitelist', { initialBalance: 20n * NEAR });
  await whitelist.deploy(contract('whitelist'));
  await whitelist.call(whitelist, 'new', { foundation_account_id: owner.accountId }, { gas: GAS });
  const pools = [];
  for (let i = 0; i < POOLS; i++) {
    const pool = await root.createSubAccount(`pool${i}`, { initialBalance: 50n * NEAR });
    await pool.deploy(contract('staking-pool'));
    await pool.call(
      pool,
      'new',
      {
        owner_id: owner.accountId,
        stake_public_key: STAKE_PUBLIC_KEY,
        reward_fee_fraction: { numerator: 5, denominator: 100 },
      },
      { gas: GAS },
    );
    await owner.call(
      whitelist,
      'add_staking_pool',
      { staking_pool_account_id: pool.accountId },
      { gas: GAS },
    );
    // a little spread in validator returns, as on a real network
    net.setRewardRate(pool.accountId, { num: 8 + i, den: 10_000 });
    pools.push(pool);
  }
  const metapool = await root.createSubAccount('metapool', { initialBalance: 50n * NEAR });
  await metapool.deploy(contract('metapool'));
  await metapool.call(
    metapool,
    'new',
    {
      owner_id: owner.accountId,
      treasury_id: treasury.accountId,
      whitelist_id: whitelist.accountId,
      timelock_epochs: 0,
      max_pool_share_bps: 3_000,
      max_network_share_bps: 10_000,
      target_liquidity: (10_000n * NEAR).toString(),
    },
    { gas: GAS },
  );
  for (const [i, pool] of pools.entries()) {
    await owner.call(
      metapool,
      'add_validator',
      { account_id: pool.accountId, weight: 1 + (i % 3) },
      { gas: GAS },
    );
  }
  return { owner, metapool, pools };
}

/** Calls ping until idle (the demo's own keeper while seeding). */
async function pingUntilIdle(keeper, metapool) {
  for (let i = 0; i < 300; i++) {
    const step = await keeper.call(metapool, 'ping', {}, { gas: GAS });
    if (step?.action === 'idle') return i;
  }
  throw new Error('E_PING: not idle after 300 steps');
}

/** Stakers, LPs, a few epochs of rewards, some liquid and delayed unstakes. */
async function seed(net, { owner, metapool }) {
  const user = (name, near) => net.root.createSubAccount(name, { initialBalance: near * NEAR });
  const stakers = {
    alice: await user('alice', 200_000n),
    bob: await user('bob', 200_000n),
    carol: await user('carol', 200_000n),
  };
  const lps = { lp1: await user('lp1', 100_000n), lp2: await user('lp2', 100_000n) };
  const call = (who, method, args, deposit = 0n) =>
    who.call(metapool, method, args, { attachedDeposit: deposit, gas: USER_GAS });
  await call(lps.lp1, 'add_liquidity', {}, 6_000n * NEAR);
  await call(lps.lp2, 'add_liquidity', {}, 2_500n * NEAR);
  await call(stakers.alice, 'deposit_and_stake', {}, 60_000n * NEAR);
  await call(stakers.bob, 'deposit_and_stake', {}, 35_000n * NEAR);
  await call(stakers.carol, 'deposit_and_stake', {}, 12_000n * NEAR);
  await pingUntilIdle(owner, metapool);
  for (let epoch = 0; epoch < 4; epoch++) {
    await net.fastForwardEpochs(1);
    await pingUntilIdle(owner, metapool);
  }
  await call(stakers.alice, 'liquid_unstake', {
    snear_amount: (1_500n * NEAR).toString(),
    min_near_out: '0',
  });
  await call(stakers.bob, 'liquid_unstake', {
    snear_amount: (800n * NEAR).toString(),
    min_near_out: '0',
  });
  await call(stakers.carol, 'liquid_unstake', {
    snear_amount: (2_200n * NEAR).toString(),
    min_near_out: '0',
  });
  await call(stakers.bob, 'unstake', { amount: (3_000n * NEAR).toString() });
  await pingUntilIdle(owner, metapool);
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
    `localnet: epoch length ${settings.epochLength} blocks, one block every ${settings.blockMs || '∞'} ms`,
  );
  const net = await built.localnet.Localnet.init({ epochLength: settings.epochLength });
  const protocol = await deploy(net);
  say(`deployed whitelist, ${POOLS} staking pools and ${protocol.metapool.accountId}`);
  await seed(net, protocol);
  say(
    `seeded stakers, LPs, 4 epochs of rewards and a few liquid unstakes (${Date.now() - started} ms)`,
  );

  const rpc = await onFreePort('RPC', settings.rpcPort, (port) =>
    built.rpc.startRpcServer(net, { port, host: settings.host }),
  );

  // the keeper signs over JSON-RPC with its own key, like it would against any NEAR node
  const keeperKey = built.rpc.createAccountWithKey(net, 'keeper.test.near', 100n * NEAR);
  const keyDir = path.join(ROOT, '.localnet');
  fs.mkdirSync(keyDir, { recursive: true });
  const keyFile = path.join(keyDir, 'keeper.test.near.json');
  fs.writeFileSync(
    keyFile,
    `${JSON.stringify({ account_id: keeperKey.accountId, public_key: keeperKey.publicKey, private_key: keeperKey.secretKey }, null, 2)}\n`,
    { mode: 0o600 },
  );
  const keeperChain = await built.keeper.nearKeeperChain({
    rpcUrl: rpc.url,
    contractId: protocol.metapool.accountId,
    accountId: keeperKey.accountId,
    secretKey: keeperKey.secretKey,
  });
  const keeper = new built.keeper.Keeper(keeperChain, { pollMs: 2_000, retryDelayMs: 500 });
  keeper.start();

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
        SNEAR_LOG_LEVEL: env.SNEAR_LOG_LEVEL ?? 'warn',
      }),
    ),
  );

  const blocks = blockMs > 0 ? setInterval(() => net.fastForward(1), blockMs) : undefined;

  const line = '-'.repeat(64);
  process.stdout.write(
    `\n${line}\n` +
      `  sNEAR demo is running (${Date.now() - started} ms to start)\n` +
      `  page:     ${api.url}/\n` +
      `  API docs: ${api.url}/docs   (OpenAPI: ${api.url}/openapi.json)\n` +
      `  quote:    ${api.url}/v1/quote/liquid-unstake?amount=100\n` +
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
    await rpc.close();
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
