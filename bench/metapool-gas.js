// Metapool gas on localnet's wasm engine (the real .wasm builds, metered; the vm engine runs the
// .js bundle and is not a gas model, so it is not measured here). One run measures the same flow
// twice on fresh localnets: "before" with contracts/native/work/metapool/raw.wasm (QuickJS started
// on every call) deployed as the metapool, "after" with contracts/build/metapool.wasm (QuickJS
// pre-initialised at build time), plus NEAR's Rust staking pool (the real staking_pool.wasm,
// SHA256-checked) as the anchor. Prints one table: method | before Tgas | after Tgas |
// after/before | vs previous | target, where "vs previous" is after / the after of the last run
// (bench/.last-metapool-gas.json, written at the end of every run).
//
// Figures: user calls, governance calls and ping steps: the largest function-call receipt the
// metapool itself executes in the transaction (the method, or its callback); views: the receipt of
// a view called as a function call with the 25 Tgas a lockup attaches. Totals per transaction are
// in the returned JSON. User calls attach 75 Tgas (what a lockup gives a staking-pool call), ping
// 300. Targets: lockup balance views <= 5 Tgas, user calls <= 2.5x the Rust pool's
// deposit_and_stake receipt, ping steps <= 15 Tgas per receipt. Targets are reported, not enforced;
// a failing call or one over its attached gas fails the bench.
// Run: node bench/run.js metapool-gas (make bench runs every benchmark).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const {
  contractPath,
  deployGovToken,
  deployProtocol,
  GOV,
  NEAR,
  PING_GAS,
  TGAS,
  USER_GAS,
} = require('../contracts/deploy/protocol.js');
const { deployRealStakingPool, realWasmPath } = require('../contracts/deploy/mainnet-wasm.js');

const BEFORE_WASM = path.join(REPO, 'contracts', 'native', 'work', 'metapool', 'raw.wasm');
const AFTER_WASM = path.join(REPO, 'contracts', 'build', 'metapool.wasm');
const LAST_RUN = path.join(__dirname, '.last-metapool-gas.json');
/** Gas a lockup attaches to get_account_{total,unstaked,staked}_balance. */
const VIEW_GAS = 25n * TGAS;
const TARGET_VIEW_TGAS = 5;
const TARGET_USER_X_RUST = 2.5;
const TARGET_PING_TGAS = 15;
const LOCKUP_VIEWS = [
  'get_account_total_balance',
  'get_account_unstaked_balance',
  'get_account_staked_balance',
];

const log = (msg) => console.log(`[metapool-gas] ${msg}`);
const tgas = (g) => Number(g) / 1e12;
const fmt = (x, digits = 2) => (x === undefined ? '—' : x.toFixed(digits));

/** localnet from dist/ (make build), else from src/ through tsx. */
function loadLocalnet() {
  const dist = path.join(REPO, 'localnet', 'dist', 'index.js');
  if (fs.existsSync(dist)) return require(dist);
  require('tsx/cjs/api').register();
  return require(path.join(REPO, 'localnet', 'src', 'index.ts'));
}

/** Function-call receipts of `out` executed by `accountId` (refunds and transfers left out). */
function ownReceipts(out, accountId) {
  return out.transaction.receipts.filter(
    (r) =>
      !r.isRefund && r.executorId === accountId && r.actions.some((a) => a.type === 'FunctionCall'),
  );
}

/**
 * { max: largest own receipt, total: whole transaction } in gas. A failed call throws, unless
 * `tolerate` (the before build): then it is recorded as failed with its message.
 */
function figures(label, out, accountId, attached, tolerate = false) {
  if (out.status !== 'success') {
    if (!tolerate) throw new Error(`${label} failed: ${out.failureMessage}`);
    log(`  ${label} failed: ${out.failureMessage}`);
    return { max: 0n, total: out.gasBurnt, failed: out.failureMessage ?? 'failed' };
  }
  if (out.gasBurnt > attached) throw new Error(`${label} burnt more than the ${attached} attached`);
  let max = 0n;
  for (const r of ownReceipts(out, accountId)) if (r.gasBurnt > max) max = r.gasBurnt;
  return { max, total: out.gasBurnt };
}

/**
 * The protocol (NEAR's real whitelist and three real pools the bench registers itself, as
 * deployProtocol deploys by default; the default timelock, its floor of 6 epochs, after which
 * ping's apply_changes step runs) with `metapoolWasm` as the metapool's code, and a NEP-141
 * receiver (Sputnik's staking contract, real wasm) for ft_transfer_call.
 */
async function setup(Localnet, metapoolWasm) {
  const net = await Localnet.init({ epochLength: 1000, engine: 'wasm' });
  const p = await deployProtocol(net, {
    pools: 0,
    extraPools: 3,
    // no target_liquidity arg: the contract's default (also 10,000 NEAR) is what the figures have
    // always measured, and on the wasm engine the parsed arg costs add_liquidity 0.01 Tgas more
    // the governance token accrues as in production: every balance change settles it
    init: {
      target_liquidity: undefined,
      gov_token_id: `gov.${net.root.accountId}`,
      gov_rate_per_second: GOV.toString(),
    },
    users: { alice: 100_000n * NEAR, bob: 100_000n * NEAR },
  });
  // same state, the build under test as code
  await p.metapool.deploy(metapoolWasm);
  const gov = await deployGovToken(net.root, p.metapool);
  await p.users.alice.call(gov, 'storage_deposit', {}, { attachedDeposit: NEAR / 100n });
  const receiver = await net.root.createSubAccount('dao-staking', { initialBalance: 10n * NEAR });
  await receiver.deploy(realWasmPath('sputnik_staking.wasm'));
  await receiver.call(
    receiver,
    'new',
    { owner_id: p.owner.accountId, token_id: p.metapool.accountId, unstake_period: '0' },
    { gas: PING_GAS },
  );
  await p.owner.call(
    p.metapool,
    'storage_deposit',
    { account_id: receiver.accountId },
    { attachedDeposit: NEAR / 10n, gas: USER_GAS },
  );
  await p.users.alice.call(receiver, 'storage_deposit', {}, { attachedDeposit: NEAR / 10n });
  return { ...p, receiver, alice: p.users.alice, bob: p.users.bob };
}

/** Runs the whole flow on one build; returns method → { kind, max, total } (gas, bigint). */
async function measureBuild(Localnet, label, metapoolWasm) {
  log(`${label}: deploying the protocol with ${path.relative(REPO, metapoolWasm)}`);
  const env = await setup(Localnet, metapoolWasm);
  const { net, owner, metapool, pools, alice, bob, receiver } = env;
  const id = metapool.accountId;
  const results = new Map();
  const tolerate = label === 'before';
  const record = (method, kind, f) => {
    const prev = results.get(method);
    if (f.failed && prev) prev.failed = f.failed;
    if (prev === undefined) results.set(method, { kind, ...f, count: 1 });
    else {
      if (f.max > prev.max) prev.max = f.max;
      if (f.total > prev.total) prev.total = f.total;
      prev.count++;
    }
  };
  const user = async (who, method, args, deposit = 0n, name = method) => {
    const out = await who.callRaw(metapool, method, args, {
      attachedDeposit: deposit,
      gas: USER_GAS,
    });
    record(name, 'user', figures(name, out, id, USER_GAS, tolerate));
    return out;
  };
  const governance = async (method, args, name = method) => {
    const out = await owner.callRaw(metapool, method, args, { gas: PING_GAS });
    record(name, 'admin', figures(name, out, id, PING_GAS, tolerate));
    return out;
  };
  /** One ping, recorded under its action (every step of a kind: the largest receipt). */
  const ping = async () => {
    const out = await owner.callRaw(metapool, 'ping', {}, { gas: PING_GAS });
    const step = out.value?.action ?? '?';
    record(`ping: ${step}`, 'ping', figures(`ping (${step})`, out, id, PING_GAS));
    return step;
  };
  const pingFor = async (action) => {
    for (let i = 0; i < 50; i++) {
      const step = await ping();
      if (step === action) return;
      if (step === 'idle') throw new Error(`${label}: ping went idle before ${action}`);
    }
    throw new Error(`${label}: no ${action} step`);
  };
  const pingUntilIdle = async () => {
    for (let i = 0; i < 200; i++) if ((await ping()) === 'idle') return;
    throw new Error(`${label}: ping did not go idle`);
  };
  const advanceUntil = async (action) => {
    const seen = () => results.has(`ping: ${action}`);
    for (let i = 0; i < 20 && !seen(); i++) {
      await net.fastForwardEpochs(1);
      await pingUntilIdle();
    }
    if (!seen()) throw new Error(`${label}: no ${action} step within 20 epochs`);
  };

  log(`${label}: governance (add_validator with the whitelist check, timelocked)`);
  await governance(
    'add_validator',
    { account_id: pools[0].accountId, weight: 1 },
    'add_validator (+ whitelist callback)',
  );
  for (const p of pools.slice(1))
    await owner.call(
      metapool,
      'add_validator',
      { account_id: p.accountId, weight: 1 },
      { gas: PING_GAS },
    );
  await net.fastForwardEpochs(6); // the timelock's floor: unbonding 4 + 2
  await pingFor('apply_changes');

  log(`${label}: user calls`);
  await user(alice, 'deposit_and_stake', {}, 10_000n * NEAR, 'deposit_and_stake (new account)');
  await user(alice, 'deposit_and_stake', {}, 1000n * NEAR);
  await user(bob, 'storage_deposit', {}, NEAR / 100n);
  await user(bob, 'add_liquidity', {}, 5000n * NEAR);
  await pingFor('stake');
  await pingUntilIdle();
  await user(
    alice,
    'ft_transfer',
    { receiver_id: bob.accountId, amount: (10n * NEAR).toString() },
    1n,
  );
  await user(
    alice,
    'liquid_unstake',
    { snear_amount: (500n * NEAR).toString(), min_near_out: '0' },
    1n,
  );
  await user(
    alice,
    'ft_transfer_call',
    {
      receiver_id: id,
      amount: (100n * NEAR).toString(),
      msg: JSON.stringify({ action: 'liquid_unstake', min_near_out: '0' }),
    },
    1n,
    'ft_transfer_call (liquid unstake msg)',
  );
  await user(
    alice,
    'ft_transfer_call',
    { receiver_id: receiver.accountId, amount: (10n * NEAR).toString(), msg: '' },
    1n,
    'ft_transfer_call (+ ft_resolve_transfer)',
  );
  await user(bob, 'lp_transfer', { receiver_id: alice.accountId, shares: NEAR.toString() });
  await user(bob, 'remove_liquidity', { shares: (100n * NEAR).toString() });
  await user(alice, 'deposit', {}, 10n * NEAR);
  await user(alice, 'stake', { amount: (5n * NEAR).toString() });
  await user(alice, 'withdraw', { amount: (5n * NEAR).toString() });

  log(`${label}: epochs, unstakes, withdrawals (ping steps)`);
  await net.fastForwardEpochs(1);
  await pingFor('sync');
  await pingUntilIdle();
  await user(alice, 'unstake', { amount: (1000n * NEAR).toString() });
  await pingFor('unstake');
  await pingUntilIdle();
  await user(bob, 'unstake_all', {});
  // the governance token's claim: zero the accrual, mint on the token, the callback books it
  await user(alice, 'claim_gov', {}, 0n, 'claim_gov (+ mint, on_gov_minted)');
  await advanceUntil('withdraw');
  await user(alice, 'withdraw_all', {});
  await user(
    alice,
    'liquid_unstake',
    { snear_amount: (3000n * NEAR).toString(), min_near_out: '0' },
    1n,
  );
  await advanceUntil('pool_self_unstake');
  await advanceUntil('refill_liquidity');
  log(`${label}: remove_validator (drain, then drop)`);
  await governance('remove_validator', { account_id: pools[2].accountId });
  await advanceUntil('remove_validator');
  log(`${label}: timelock, guardian and pause`);
  const fee = await governance('propose_fee_params', { reward_fee_bps: 900 });
  await governance('cancel_change', { id: fee.value?.id ?? 0 });
  await governance('set_guardian', { guardian_id: bob.accountId });
  await governance('pause_deposits', {});
  await governance('resume_deposits', {});

  log(`${label}: views with the 25 Tgas a lockup attaches`);
  for (const method of [...LOCKUP_VIEWS, 'get_owner_id']) {
    const out = await alice.callRaw(
      metapool,
      method,
      { account_id: alice.accountId },
      { gas: VIEW_GAS },
    );
    record(
      method,
      method === 'get_owner_id' ? 'trivial' : 'view',
      figures(method, out, id, VIEW_GAS, tolerate),
    );
  }
  return results;
}

/** NEAR's Rust staking pool on the same engine: the anchor figures. */
async function measureRustPool(Localnet) {
  log('Rust staking pool (staking_pool.wasm): deposit_and_stake and views');
  const net = await Localnet.init({ epochLength: 1000, engine: 'wasm' });
  const owner = await net.root.createSubAccount('owner', { initialBalance: 1000n * NEAR });
  const alice = await net.root.createSubAccount('alice', { initialBalance: 100_000n * NEAR });
  const pool = await deployRealStakingPool(net.root, 'rustpool', owner);
  const results = new Map();
  const call = async (name, method, args, deposit, gas) => {
    const out = await alice.callRaw(pool, method, args, { attachedDeposit: deposit, gas });
    results.set(name, { kind: 'rust', ...figures(`Rust ${name}`, out, pool.accountId, gas) });
  };
  await call('deposit_and_stake (new account)', 'deposit_and_stake', {}, 10_000n * NEAR, USER_GAS);
  await call('deposit_and_stake', 'deposit_and_stake', {}, 1000n * NEAR, USER_GAS);
  for (const m of ['get_account_total_balance', 'get_owner_id'])
    await call(m, m, { account_id: alice.accountId }, 0n, VIEW_GAS);
  return results;
}

function readPrevious() {
  if (!fs.existsSync(LAST_RUN)) return null;
  try {
    return JSON.parse(fs.readFileSync(LAST_RUN, 'utf8'));
  } catch (err) {
    log(`ignoring ${path.relative(REPO, LAST_RUN)} (${err.message})`);
    return null;
  }
}

function gitDescribe() {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: REPO,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** The target cell and whether it passes (undefined: no target). */
function target(kind, after, rustAnchor) {
  if (after === undefined) return { text: '—', pass: undefined };
  const mark = (ok) => (ok ? 'pass' : 'FAIL');
  if (kind === 'view') {
    const ok = after <= TARGET_VIEW_TGAS;
    return { text: `<= ${TARGET_VIEW_TGAS}  ${mark(ok)}`, pass: ok };
  }
  if (kind === 'user') {
    const x = after / rustAnchor;
    const ok = x <= TARGET_USER_X_RUST;
    return { text: `${x.toFixed(2)}x Rust <= ${TARGET_USER_X_RUST}x  ${mark(ok)}`, pass: ok };
  }
  if (kind === 'ping') {
    const ok = after <= TARGET_PING_TGAS;
    return { text: `<= ${TARGET_PING_TGAS}/receipt  ${mark(ok)}`, pass: ok };
  }
  if (kind === 'trivial' || kind === 'rust') return { text: '(reference)', pass: undefined };
  return { text: '—', pass: undefined };
}

const SECTIONS = [
  ['code', 'code size'],
  ['user', `user calls (75 Tgas attached; target ${TARGET_USER_X_RUST}x the Rust pool)`],
  ['view', 'views as a lockup calls them (25 Tgas attached)'],
  ['trivial', 'views as a lockup calls them (25 Tgas attached)'],
  ['ping', 'ping steps (largest metapool receipt; 300 Tgas attached)'],
  ['admin', 'governance'],
  ['rust', "NEAR's Rust staking pool (staking_pool.wasm), the anchor"],
];

function printTable(rows, previous) {
  const head = ['method', 'before Tgas', 'after Tgas', 'after/before', 'vs previous', 'target'];
  const cells = rows.map((r) => [
    r.method,
    r.before_failed ? 'failed' : fmt(r.before),
    fmt(r.after),
    r.before !== undefined && r.after !== undefined ? `${(r.after / r.before).toFixed(3)}x` : '—',
    r.vs_previous === undefined ? '—' : `${r.vs_previous.toFixed(3)}x`,
    r.target,
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((x, i) => (i === 0 || i === 5 ? x.padEnd(width[i]) : x.padStart(width[i])))
      .join(' | ')
      .trimEnd();
  console.log('');
  console.log(
    'metapool gas on localnet, wasm engine (before: raw.wasm, QuickJS started per call; after: ' +
      'contracts/build/metapool.wasm, pre-initialised)',
  );
  console.log(
    previous
      ? `vs previous: after / the after of the run saved ${previous.savedAt} at ${previous.commit}`
      : 'vs previous: no previous run',
  );
  console.log(line(head));
  console.log(width.map((w) => '-'.repeat(w)).join('-|-'));
  let section;
  for (let i = 0; i < rows.length; i++) {
    const title = SECTIONS.find(([k]) => k === rows[i].kind)?.[1];
    if (title !== section) {
      section = title;
      console.log(`  ${title}`);
    }
    console.log(line(cells[i]));
  }
}

/** The gas table (wasm engine only); also saved as the next run's "previous". */
async function run() {
  const localnet = loadLocalnet();
  const reason = localnet.wasmEngineUnavailableReason();
  if (reason) {
    log(`skipped: localnet's wasm engine is unavailable (${reason})`);
    return { skipped: reason };
  }
  for (const file of [BEFORE_WASM, AFTER_WASM]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing; run make contracts`);
  }
  for (const c of ['metapool', 'staking-pool', 'whitelist']) contractPath(c);
  // fail early and clearly when a real contract is missing or not the pinned one
  for (const f of ['staking_pool.wasm', 'sputnik_staking.wasm']) realWasmPath(f);

  const { Localnet } = localnet;
  const before = await measureBuild(Localnet, 'before', BEFORE_WASM);
  const after = await measureBuild(Localnet, 'after', AFTER_WASM);
  const rust = await measureRustPool(Localnet);
  const rustAnchor = tgas(rust.get('deposit_and_stake').max);
  const previous = readPrevious();
  const prevAfter = new Map((previous?.rows ?? []).map((r) => [r.method, r.after]));

  const rows = [];
  const add = (method, kind, b, a, extra = {}) => {
    const t = target(kind, a, rustAnchor);
    const prev = prevAfter.get(method);
    rows.push({
      method,
      kind,
      before: b,
      after: a,
      after_over_before: b !== undefined && a !== undefined ? a / b : undefined,
      vs_previous: prev !== undefined && a !== undefined ? a / prev : undefined,
      target: t.text,
      pass: t.pass,
      ...extra,
    });
  };
  const kb = (file) => fs.statSync(file).size / 1024;
  add('code size (KiB)', 'code', kb(BEFORE_WASM), kb(AFTER_WASM));
  const names = [...new Set([...before.keys(), ...after.keys()])];
  for (const [kind] of SECTIONS.slice(1, -1)) {
    for (const m of names) {
      const b = before.get(m);
      const a = after.get(m);
      if ((a ?? b).kind !== kind) continue;
      add(m, kind, b && !b.failed ? tgas(b.max) : undefined, a && tgas(a.max), {
        before_failed: b?.failed,
        before_total_tgas: b && tgas(b.total),
        after_total_tgas: a && tgas(a.total),
      });
    }
  }
  add('Rust code size (KiB)', 'rust', undefined, kb(realWasmPath('staking_pool.wasm')));
  for (const [m, f] of rust) {
    add(`Rust ${m}`, 'rust', undefined, tgas(f.max), { after_total_tgas: tgas(f.total) });
  }
  printTable(rows, previous);

  const judged = rows.filter((r) => r.pass !== undefined);
  const failing = judged.filter((r) => !r.pass);
  console.log(
    `\ntargets: ${judged.length - failing.length}/${judged.length} pass` +
      (failing.length ? `; over target: ${failing.map((r) => r.method).join(', ')}` : ''),
  );
  console.log(
    `Rust deposit_and_stake receipt ${rustAnchor.toFixed(2)} Tgas: user-call target ` +
      `${(TARGET_USER_X_RUST * rustAnchor).toFixed(2)} Tgas`,
  );

  const result = {
    engine: 'wasm',
    savedAt: new Date().toISOString(),
    commit: gitDescribe(),
    rust_deposit_and_stake_tgas: rustAnchor,
    targets: { pass: judged.length - failing.length, total: judged.length },
    rows,
  };
  fs.writeFileSync(LAST_RUN, `${JSON.stringify(result, null, 2)}\n`);
  log(`saved as the next run's previous: ${path.relative(REPO, LAST_RUN)}`);
  return result;
}

module.exports = { run, printsOwnReport: true };

if (require.main === module) {
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
