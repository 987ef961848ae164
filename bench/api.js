// Benchmark: GET /v1/quote/liquid-unstake beside a bare route returning a constant, in the same run.
// Fair by construction: the bare route is mounted on the same app, in the same process, behind the
// same plugins and hooks (CORS, rate limit, metrics, logging), so the ratio isolates what the quote
// path itself costs. A plain Fastify instance with no plugins is measured too, for reference.
// The app runs with production defaults: pino at info (into a counting sink, so no terminal I/O),
// quote cache on, and the rate limiter on with its production code path; its limit is set above
// anything one run can send (one client, the bench), so it counts every request but never answers 429.
// The servers run in a child process (one core), autocannon in this one (the other core); rounds are
// interleaved (order rotated each round) after a warm-up, and each figure is the median of ROUNDS.
// Run: npx tsc -b amm-math localnet api && node bench/api.js   (or via bench/run.js, which calls run())
// Targets: quote route >= 85% of the bare route's req/s, and its p99 latency <= 2x the bare one's.
const path = require('node:path');
const { fork } = require('node:child_process');
const os = require('node:os');
const { Writable } = require('node:stream');

const DURATION_S = Number(process.env.BENCH_API_DURATION_S ?? 4);
const CONNECTIONS = 16;
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 5);
const NEAR = 10n ** 24n;

const BARE_PATH = '/bench/constant';
/** Never reached by one run (one client for ROUNDS x 4 loads of DURATION_S s): no 429 in the figures. */
const BENCH_RATE_LIMIT = { max: 1_000_000_000, timeWindowMs: 60_000 };

/** Child process: the quote API (cache on and off, each with the bare route) and a plain Fastify. */
async function serve() {
  const Fastify = require('fastify');
  const { buildApp, demoView: fixedView, FakeStateSource } = require(
    path.join(__dirname, '..', 'api', 'dist'),
  );
  // The API's demo view (8,000 NEAR of liquidity, target 10,000), stamped now.
  const demoView = () => fixedView({ block_timestamp_ms: Date.now() });
  let logBytes = 0;
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logBytes += chunk.length;
      callback();
    },
  });
  const opts = {
    rateLimit: BENCH_RATE_LIMIT,
    logger: { level: 'info', stream: sink },
    maxStaleMs: 3_600_000,
  };
  const constant = async () => ({ ok: true });
  const api = await buildApp({ source: new FakeStateSource(demoView()), ...opts });
  api.get(BARE_PATH, constant);
  const apiNoCache = await buildApp({
    source: new FakeStateSource(demoView()),
    quoteCacheEntries: 0,
    ...opts,
  });
  apiNoCache.get(BARE_PATH, constant);
  const plain = Fastify({ logger: false });
  plain.get(BARE_PATH, constant);
  const urls = {};
  for (const [name, app] of Object.entries({ api, apiNoCache, plain })) {
    urls[name] = await app.listen({ host: '127.0.0.1', port: 0 });
  }
  // the parent asks for this process's CPU time around each load, to get CPU per request
  process.on('message', () => process.send({ cpu: process.cpuUsage(), logBytes }));
  process.send(urls);
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

/** Asks the server process for its CPU time (µs) and the log bytes written so far. */
function serverUsage(child) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send('usage');
  });
}

async function load(autocannon, child, url, paths) {
  let i = 0;
  const before = await serverUsage(child);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  const after = await serverUsage(child);
  const cpuUs = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  return {
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // server CPU per answered request: steadier than req/s on a shared machine
    serverCpuUsPerReq: Math.round((cpuUs / Math.max(result.requests.total, 1)) * 10) / 10,
    logBytes: after.logBytes - before.logBytes,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The run with the median req/s (its latency figures come along). */
function median(results) {
  const sorted = [...results].sort((a, b) => a.reqPerSec - b.reqPerSec);
  return sorted[Math.floor(sorted.length / 2)];
}

const medianOf = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round3 = (x) => Math.round(x * 1000) / 1000;

/** Runs the benchmark and returns the figures. */
async function run() {
  const autocannon = require('autocannon');
  const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const urls = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`E_BENCH_SERVER: server exited (${code})`)));
  });
  try {
    const quotes = quotePaths();
    const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
    const targets = {
      bare: [urls.api, [BARE_PATH]],
      quote: [urls.api, quotes],
      quoteUncached: [urls.apiNoCache, quotes],
      plainFastify: [urls.plain, [BARE_PATH]],
    };
    const names = Object.keys(targets);
    // warm up every target (JIT, connection handling, the quote cache), then measure interleaved
    // rounds, rotating the order: the machine is shared, so each figure is the median of ROUNDS
    // runs taken side by side with the others.
    for (const name of names) await load(autocannon, child, ...targets[name]);
    const runs = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        runs[name].push(await load(autocannon, child, ...targets[name]));
      }
    }
    const pick = Object.fromEntries(names.map((name) => [name, median(runs[name])]));
    const { bare, quote, quoteUncached, plainFastify } = pick;
    const ratio = (x) => round3(x.reqPerSec / bare.reqPerSec);
    const p99 = (x) => Math.round((x.p99Ms / Math.max(bare.p99Ms, 1)) * 100) / 100;
    // the same ratio taken within each round (both figures measured minutes apart at most)
    const perRound = (name) =>
      runs[name].map((r, i) => round3(r.reqPerSec / runs.bare[i].reqPerSec));
    return {
      name: 'api: GET /v1/quote/liquid-unstake vs a bare route on the same app',
      connections: CONNECTIONS,
      durationS: DURATION_S,
      rounds: ROUNDS,
      setup:
        'one app: pino at info, rate limiter on (limit never reached), CORS, metrics; bare route = GET /bench/constant on it',
      // the machine may be shared: the 1-minute load average before and after the run
      loadAverage: [loadBefore, Math.round(os.loadavg()[0] * 100) / 100],
      bare,
      quote,
      quoteUncached,
      plainFastify,
      reqPerSecRuns: Object.fromEntries(names.map((n) => [n, runs[n].map((r) => r.reqPerSec)])),
      reqPerSecRatio: ratio(quote),
      reqPerSecRatioPerRound: perRound('quote'),
      reqPerSecRatioUncached: ratio(quoteUncached),
      // reference only: the quote route against Fastify with no plugins at all
      reqPerSecRatioVsPlainFastify: round3(quote.reqPerSec / plainFastify.reqPerSec),
      p99Ratio: p99(quote),
      p99RatioUncached: p99(quoteUncached),
      serverCpuUsPerReq: Object.fromEntries(
        names.map((n) => [n, medianOf(runs[n].map((r) => r.serverCpuUsPerReq))]),
      ),
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
