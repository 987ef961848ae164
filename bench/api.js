// Benchmark: GET /v1/quote/liquid-unstake beside a bare Fastify route returning a constant, in the
// same run. The servers run in a child process (one core), autocannon in this one (the other core).
// Run: make build && node bench/api.js   (or via bench/run.js, which calls run())
// Targets: quote route >= 85% of the bare route's req/s, and its p99 latency <= 2x the bare one's.
const path = require('node:path');
const { fork } = require('node:child_process');
const os = require('node:os');

const DURATION_S = Number(process.env.BENCH_API_DURATION_S ?? 4);
const CONNECTIONS = 16;
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 5);
const NEAR = 10n ** 24n;

/** The metapool view the fake source serves (8,000 NEAR of liquidity, target 10,000). */
function demoView() {
  return {
    total_staked_near: (1_000_000n * NEAR + 123_456_789n).toString(),
    total_snear: (950_000n * NEAR).toString(),
    liquidity: (8_000n * NEAR).toString(),
    pool_snear: (2_000n * NEAR).toString(),
    lp_shares: (10_000n * NEAR).toString(),
    min_fee_bps: 30,
    max_fee_bps: 300,
    target_liquidity: (10_000n * NEAR).toString(),
    treasury_cut_bps: 2500,
    epoch_height: 12,
    block_height: 1000,
    block_timestamp_ms: Date.now(),
    reserve_near: '0',
    pending_deposit_near: '0',
    pending_unstake_near: '0',
    validators: [],
    params: { max_pool_share_bps: 3000, max_network_share_bps: 1000, unbonding_epochs: 4 },
    owner_id: 'owner.near',
    governance_id: 'gov.near',
    treasury_id: 'treasury.near',
  };
}

/** Child process: the quote API (cache on and off) and the bare route, each on its own port. */
async function serve() {
  const Fastify = require('fastify');
  const { buildApp, FakeStateSource } = require(path.join(__dirname, '..', 'api', 'dist'));
  const source = () => new FakeStateSource(demoView());
  const opts = { rateLimit: false, logger: false, maxStaleMs: 3_600_000 };
  const api = await buildApp({ source: source(), ...opts });
  const apiNoCache = await buildApp({ source: source(), quoteCacheEntries: 0, ...opts });
  const bare = Fastify({ logger: false });
  bare.get('/constant', async () => ({ ok: true }));
  const ports = {};
  for (const [name, app] of Object.entries({ api, apiNoCache, bare })) {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    ports[name] = address;
  }
  process.send(ports);
}

/** 1,000 distinct sale sizes (so that cached and uncached runs both see many amounts). */
function quotePaths() {
  const paths = [];
  for (let i = 1; i <= 1000; i++) {
    const snear = BigInt(i) * 3n * NEAR + BigInt(i * 7919);
    paths.push(`/v1/quote/liquid-unstake?snear=${snear}`);
  }
  return paths;
}

async function load(autocannon, url, paths) {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  return {
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The run with the median req/s (its latency figures come along). */
function median(results) {
  const sorted = [...results].sort((a, b) => a.reqPerSec - b.reqPerSec);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the benchmark and returns the figures. */
async function run() {
  const autocannon = require('autocannon');
  const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`E_BENCH_SERVER: server exited (${code})`)));
  });
  try {
    const quotes = quotePaths();
    const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
    // warm up both (JIT, connection pools), then measure interleaved rounds: the machine is shared,
    // so each figure is the median of ROUNDS runs taken side by side with the others.
    await load(autocannon, ports.bare, ['/constant']);
    await load(autocannon, ports.api, quotes);
    const runs = { bare: [], quote: [], quoteUncached: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.bare.push(await load(autocannon, ports.bare, ['/constant']));
      runs.quote.push(await load(autocannon, ports.api, quotes));
      runs.quoteUncached.push(await load(autocannon, ports.apiNoCache, quotes));
    }
    const bare = median(runs.bare);
    const quote = median(runs.quote);
    const quoteUncached = median(runs.quoteUncached);
    const ratio = (x) => Math.round((x.reqPerSec / bare.reqPerSec) * 1000) / 1000;
    const p99 = (x) => Math.round((x.p99Ms / Math.max(bare.p99Ms, 1)) * 100) / 100;
    return {
      name: 'api: GET /v1/quote/liquid-unstake vs a bare Fastify route',
      connections: CONNECTIONS,
      durationS: DURATION_S,
      rounds: ROUNDS,
      // the machine may be shared: the 1-minute load average before and after the run
      loadAverage: [loadBefore, Math.round(os.loadavg()[0] * 100) / 100],
      bare,
      quote,
      quoteUncached,
      reqPerSecRuns: {
        bare: runs.bare.map((r) => r.reqPerSec),
        quote: runs.quote.map((r) => r.reqPerSec),
        quoteUncached: runs.quoteUncached.map((r) => r.reqPerSec),
      },
      reqPerSecRatio: ratio(quote),
      reqPerSecRatioUncached: ratio(quoteUncached),
      p99Ratio: p99(quote),
      p99RatioUncached: p99(quoteUncached),
      targets: { reqPerSecRatio: 0.85, p99Ratio: 2 },
      meetsTargets: ratio(quote) >= 0.85 && p99(quote) <= 2,
    };
  } finally {
    child.kill();
  }
}

module.exports = { run };

if (process.argv[2] === '--serve') {
  serve().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else if (require.main === module) {
  run().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
