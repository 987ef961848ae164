// indexer benchmark: blocks per second the indexer stores from localnet over JSON-RPC (PGlite in
// memory), on a chain of the protocol's deployment, 60 user transactions and 10 epochs of pings,
// then again over a stretch of empty blocks. localnet, its RPC server and the indexer share this
// one process (and event loop), so these are lower bounds of an indexer against a separate node.
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const { Localnet, startRpcServer } = require(path.join(REPO, 'localnet', 'dist', 'index.js'));
const { Indexer, migrate, openDb } = require(path.join(REPO, 'indexer', 'dist', 'index.js'));
const { deployProtocol, NEAR, pingUntilIdle, USER_GAS } = require(
  path.join(REPO, 'contracts', 'deploy', 'protocol.js'),
);
const pino = require('pino');

async function indexAll(rpcUrl, contractId, startBlock) {
  const db = await openDb({});
  await migrate(db);
  const indexer = new Indexer({
    rpcUrl,
    contractId,
    db,
    logger: pino({ level: 'silent' }),
    startBlock,
    batchBlocks: 200,
    progressMs: 1e9,
  });
  await indexer.init();
  const t0 = process.hrtime.bigint();
  await indexer.catchUp();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const p = indexer.progress();
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM events');
  await db.close();
  return { blocks: p.block - startBlock + 1, events: n, seconds };
}

async function run() {
  const net = await Localnet.init({ epochLength: 100 });
  const { owner, metapool, users } = await deployProtocol(net, {
    pools: 2,
    users: { alice: 1_000_000n * NEAR, lp: 1_000_000n * NEAR },
  });
  await users.lp.call(
    metapool,
    'add_liquidity',
    {},
    { attachedDeposit: 5_000n * NEAR, gas: USER_GAS },
  );
  for (let i = 0; i < 30; i++) {
    await users.alice.call(
      metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 100n * NEAR, gas: USER_GAS },
    );
    await users.alice.call(
      metapool,
      'liquid_unstake',
      { snear_amount: (10n * NEAR).toString(), min_near_out: '0' },
      { attachedDeposit: 1n, gas: USER_GAS },
    );
  }
  for (let e = 0; e < 10; e++) {
    net.chain.fastForwardEpochs(1);
    await pingUntilIdle(owner, metapool);
  }
  const txHeight = net.chain.height;
  const rpc = await startRpcServer(net, { port: 0 });
  const busy = await indexAll(rpc.url, metapool.accountId, 0);
  net.chain.fastForward(20_000);
  const empty = await indexAll(rpc.url, metapool.accountId, txHeight + 1);
  await rpc.close();
  const rate = (r) => Math.round(r.blocks / r.seconds);
  return {
    busy_chain: { ...busy, seconds: Number(busy.seconds.toFixed(2)), blocks_per_s: rate(busy) },
    empty_blocks: {
      ...empty,
      seconds: Number(empty.seconds.toFixed(2)),
      blocks_per_s: rate(empty),
    },
  };
}

module.exports = { run };

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
