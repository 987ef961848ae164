// Benchmark: liquid-unstake quotes per second, closed form vs the slow exact reference, on the
// same deterministic random realistic states in one run.
// Run:  npx tsc -b amm-math && node bench/amm-math.js
// From bench/run.js:  require('./amm-math.js').run({ durationMs?: 2000, cases?: 2000 }) returns
// { closedFormQuotesPerSecond, referenceQuotesPerSecond, speedup, ...PerCpuSecond, targets }.
// Targets: >= 300,000 closed-form quotes/s and >= 20x the reference. On a shared machine the
// CPU-time figures are the steadier ones.

const path = require('node:path');
const amm = require(path.join(__dirname, '..', 'amm-math', 'dist'));

const NEAR = 10n ** 24n;

// Deterministic xorshift32 so every run measures the same states.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A realistic yocto amount: `near` NEAR times a random factor, with random low digits. */
function yocto(rand, near) {
  const whole = BigInt(Math.floor(rand() * near * 1000));
  return (whole * NEAR) / 1000n + BigInt(Math.floor(rand() * 1e15));
}

/** `count` random realistic (state, snearIn) cases that the pool can absorb. */
function makeCases(count, seed = 42) {
  const rand = rng(seed);
  const cases = [];
  while (cases.length < count) {
    const minFeeBps = Math.floor(rand() * 100);
    const maxFeeBps = minFeeBps + Math.floor(rand() * (1000 - minFeeBps));
    const totalSnear = yocto(rand, 50_000_000) + NEAR;
    const state = {
      totalSnear,
      totalStakedNear: (totalSnear * BigInt(1_000_000 + Math.floor(rand() * 300_000))) / 1_000_000n,
      liquidity: yocto(rand, 2_000_000),
      poolSnear: yocto(rand, 1_000_000),
      lpShares: yocto(rand, 2_000_000) + NEAR,
      curve: { minFeeBps, maxFeeBps, targetLiquidity: yocto(rand, 1_000_000) + NEAR },
      treasuryCutBps: Math.floor(rand() * 5001),
    };
    const max = amm.maxSellableSnear(state);
    if (max < NEAR) continue;
    // Mostly everyday sales, sometimes most of what the pool can take.
    const share = rand() < 0.8 ? rand() * 0.05 : rand();
    const snearIn = (max * BigInt(Math.floor(share * 1e9))) / 1_000_000_000n + 1n;
    cases.push({ state, snearIn });
  }
  return cases;
}

// Wall-clock and CPU-time rates: on a shared machine the CPU-time rate (this process's user +
// system time) is the steadier figure; with an idle machine the two agree.
function measure(fn, cases, minMs) {
  let n = 0;
  let sink = 0n;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const c of cases) sink ^= fn(c.state, c.snearIn).nearOut;
    n += cases.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    quotes: n,
    perSecond: Math.round((n * 1000) / elapsed),
    perCpuSecond: Math.round((n * 1000) / cpuMs),
    sink,
  };
}

/** Run the benchmark; returns the figures (quotes/s of each and the ratio). */
function run(options = {}) {
  const ms = options.durationMs ?? 2000;
  const cases = makeCases(options.cases ?? 2000);
  // Same answers first: the benchmark compares two implementations of one definition.
  for (const c of cases.slice(0, 200)) {
    const a = amm.quoteLiquidUnstake(c.state, c.snearIn);
    const b = amm.referenceQuoteLiquidUnstake(c.state, c.snearIn);
    if (a.nearOut !== b.nearOut) throw new Error('closed form and reference disagree');
  }
  measure(amm.quoteLiquidUnstake, cases, ms / 4); // warm-up
  const closed = measure(amm.quoteLiquidUnstake, cases, ms);
  const reference = measure(amm.referenceQuoteLiquidUnstake, cases, ms);
  // The sales that end below T take the square-root branch: the slowest case, reported apart.
  const deep = cases.filter(
    (c) =>
      c.state.liquidity - amm.quoteLiquidUnstake(c.state, c.snearIn).nearOut <
      c.state.curve.targetLiquidity,
  );
  const closedDeep = measure(amm.quoteLiquidUnstake, deep, ms / 2);
  return {
    name: 'amm-math liquid-unstake quotes',
    closedFormQuotesPerSecond: closed.perSecond,
    referenceQuotesPerSecond: reference.perSecond,
    speedup: round1(closed.perSecond / reference.perSecond),
    closedFormQuotesPerCpuSecond: closed.perCpuSecond,
    referenceQuotesPerCpuSecond: reference.perCpuSecond,
    cpuSpeedup: round1(closed.perCpuSecond / reference.perCpuSecond),
    belowTargetShare: round1((deep.length / cases.length) * 100) / 100,
    closedFormBelowTargetQuotesPerSecond: closedDeep.perSecond,
    targets: { closedFormQuotesPerSecond: 300_000, speedup: 20 },
    cases: cases.length,
  };
}

function round1(x) {
  return Math.round(x * 10) / 10;
}

module.exports = { run, makeCases };

if (require.main === module) {
  const r = run();
  const f = (x) => x.toLocaleString('en');
  console.log(
    `${r.name} (${r.cases} random states; targets >= 300,000/s and >= 20x the reference)\n` +
      `  wall clock: closed form ${f(r.closedFormQuotesPerSecond)}/s, ` +
      `reference ${f(r.referenceQuotesPerSecond)}/s, speedup ${r.speedup}x\n` +
      `  CPU time:   closed form ${f(r.closedFormQuotesPerCpuSecond)}/s, ` +
      `reference ${f(r.referenceQuotesPerCpuSecond)}/s, speedup ${r.cpuSpeedup}x\n` +
      `  sales ending below T (${Math.round(r.belowTargetShare * 100)}% of cases, square-root branch): ` +
      `closed form ${f(r.closedFormBelowTargetQuotesPerSecond)}/s`,
  );
}
