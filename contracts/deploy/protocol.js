// Deploys the sNEAR protocol on a localnet: the whitelist, staking pools, the metapool with its init
// args, its validators, and funded users. One home for the jest suites (TypeScript, through
// protocol.d.ts) and the plain Node scripts (scripts/start.js, bench/metapool-gas.js). It requires
// nothing from localnet: callers pass their Localnet, built from src (jest) or dist (node).
//
// The metapool's counterparts are NEAR's real contracts by default: core-contracts' whitelist.wasm
// and staking_pool.wasm (deploy/mainnet-wasm.js checks them against the pinned sha256), run by
// localnet's wasm engine whatever engine the metapool is on. Where they cannot run (no real
// contracts on this machine, no wasm engine), our near-sdk-js stand-ins take their place and one
// line on stderr says so and why, once per process.
const fs = require('node:fs');
const path = require('node:path');

const NEAR = 10n ** 24n;
const TGAS = 10n ** 12n;
/** Gas users attach (a lockup gives 75 Tgas per staking-pool call). */
const USER_GAS = 75n * TGAS;
/** Gas of setup calls and of the keeper's ping (the most a transaction may attach). */
const PING_GAS = 300n * TGAS;
/** Any valid ed25519 key: localnet's staking pools only need a well-formed one. */
const STAKE_PUBLIC_KEY = 'ed25519:KuTCtARNzxZQ3YvXDeLjx83FDqxv2SdQTSbiq876zR7';
const BUILD = path.join(__dirname, '..', 'build');

/** Real files of the counterparts (in deploy/mainnet-wasm.sha256). */
const REAL_FILES = { whitelist: 'whitelist.wasm', 'staking-pool': 'staking_pool.wasm' };

/** deploy/mainnet-wasm.js, required on first use (it requires this module for its helpers). */
function mainnetWasm() {
  return require('./mainnet-wasm.js');
}

/**
 * Marks the fallback notice as printed on the process's stderr stream itself: jest loads this
 * module afresh for every test file, but the stream is the process's own, so the line is printed
 * once per process.
 */
const FALLBACK_SAID = Symbol.for('snear.deploy.peersFallbackSaid');
let wasmEngineReason;

/**
 * Why the real counterparts cannot run here (no real contracts on this machine, or no wasm engine
 * in this localnet), else undefined. A real contract that is present but differs from its pinned
 * sha256 is an error (realWasmPath throws), never a reason to fall back.
 */
function realPeersUnavailableReason(net) {
  const missing = mainnetWasm().mainnetWasmUnavailableReason();
  if (missing) return missing;
  if (net && wasmEngineReason === undefined) {
    try {
      net.readContract(mainnetWasm().realWasmPath(REAL_FILES.whitelist));
      wasmEngineReason = '';
    } catch (err) {
      if (!/E_WASM_ENGINE_MISSING/.test(err.message)) throw err;
      wasmEngineReason = err.message;
    }
  }
  return wasmEngineReason || undefined;
}

/**
 * Which counterparts a deploy gets: `peers` 'real' forces NEAR's contracts (E_REAL_PEERS where they
 * cannot run), 'stand-in' ours; by default the real ones, else ours with the one-line notice.
 */
function resolvePeers(net, peers) {
  if (peers === 'stand-in') return 'stand-in';
  if (peers !== undefined && peers !== 'real') {
    throw new Error(`E_PEERS: peers is "${peers}"; use "real" or "stand-in"`);
  }
  const reason = realPeersUnavailableReason(net);
  if (reason === undefined) return 'real';
  if (peers === 'real') {
    throw new Error(
      `E_REAL_PEERS: NEAR's real staking pool and whitelist cannot run here: ${reason}`,
    );
  }
  if (!process.stderr[FALLBACK_SAID]) {
    process.stderr[FALLBACK_SAID] = true;
    process.stderr.write(
      `sNEAR: NEAR's real staking pool and whitelist are unavailable (${reason}); using our near-sdk-js stand-ins\n`,
    );
  }
  return 'stand-in';
}

/**
 * Path of a counterpart's code (`whitelist` or `staking-pool`) as resolvePeers chooses it; `net`
 * (a Localnet) also checks its wasm engine, left out for a chain that runs wasm natively.
 */
function peerCode(net, contract, peers) {
  return resolvePeers(net, peers) === 'real'
    ? mainnetWasm().realWasmPath(REAL_FILES[contract])
    : contractPath(contract);
}

/** Path of a built contract bundle; E_NO_CONTRACT when `make contracts` has not run. */
function contractPath(name) {
  const file = path.join(BUILD, `${name}.js`);
  if (!fs.existsSync(file)) {
    throw new Error(`E_NO_CONTRACT: ${file} is missing; run make contracts`);
  }
  return file;
}

/**
 * Creates `<name>.<root>` with the whitelist, its foundation being `foundation`: NEAR's real one
 * unless `peers` is 'stand-in' (or the real one cannot run here) or `code` names the file.
 */
async function deployWhitelist(
  root,
  foundation,
  { name = 'whitelist', code, peers, initialBalance = 20n * NEAR } = {},
) {
  const whitelist = await root.createSubAccount(name, { initialBalance });
  await whitelist.deploy(code ?? peerCode(root.net, 'whitelist', peers));
  await whitelist.call(
    whitelist,
    'new',
    { foundation_account_id: foundation.accountId },
    { gas: PING_GAS },
  );
  return whitelist;
}

/**
 * Creates `<name>.<root>` and deploys + initialises a staking pool (no owner fee by default): NEAR's
 * real one unless `peers` is 'stand-in' (or the real one cannot run here) or `code` names the file.
 */
async function deployStakingPool(
  root,
  name,
  owner,
  { fee = { numerator: 0, denominator: 1 }, initialBalance = 50n * NEAR, code, peers } = {},
) {
  const pool = await root.createSubAccount(name, { initialBalance });
  await pool.deploy(code ?? peerCode(root.net, 'staking-pool', peers));
  await pool.call(
    pool,
    'new',
    { owner_id: owner.accountId, stake_public_key: STAKE_PUBLIC_KEY, reward_fee_fraction: fee },
    { gas: PING_GAS },
  );
  return pool;
}

/**
 * The metapool's `new` args on a test network: caps 100%, 10,000 NEAR target, and the network's
 * epoch length (with a tenth of it, at least 3 blocks, as the unstake margin). The timelock is the
 * contract's default (its floor, unbonding + 2 epochs): tests reach later changes with
 * applyQueuedChanges, which fast-forwards localnet's epochs.
 */
function metapoolInitArgs(ownerId, treasuryId, whitelistId, epochLength) {
  return {
    owner_id: ownerId,
    treasury_id: treasuryId,
    whitelist_id: whitelistId,
    epoch_length_blocks: epochLength,
    epoch_margin_blocks: Math.max(3, Math.floor(epochLength / 10)),
    max_pool_share_bps: 10_000,
    max_network_share_bps: 10_000,
    target_liquidity: (10_000n * NEAR).toString(),
  };
}

/**
 * Whitelist (NEAR's real one by default, see `peers`), `pools` staking pools (NEAR's real ones by
 * default) registered as validators (weight `weights[i]`, default 1), then
 * `extraPools` more only whitelisted, the metapool (timelock 0, caps 100%, 10,000 NEAR target
 * liquidity, overridden by `init`), and `users` (name to yocto balance).
 */
async function deployProtocol(net, options = {}) {
  const root = net.root;
  const count = options.pools ?? 5;
  const owner = await root.createSubAccount('owner', { initialBalance: 1_000n * NEAR });
  const treasury = await root.createSubAccount('treasury', { initialBalance: 10n * NEAR });
  const peers = resolvePeers(net, options.peers);
  const whitelist = await deployWhitelist(root, owner, { code: options.whitelistCode, peers });
  const pools = [];
  for (let i = 0; i < count + (options.extraPools ?? 0); i++) {
    const pool = await deployStakingPool(root, `pool${i}`, owner, {
      fee: options.poolFee,
      code: options.poolCode,
      peers,
    });
    await owner.call(
      whitelist,
      'add_staking_pool',
      { staking_pool_account_id: pool.accountId },
      { gas: PING_GAS },
    );
    pools.push(pool);
  }
  const metapool = await root.createSubAccount('metapool', { initialBalance: 50n * NEAR });
  await metapool.deploy(contractPath('metapool'));
  const init = metapoolInitArgs(
    owner.accountId,
    treasury.accountId,
    whitelist.accountId,
    net.chain.config.epochLength,
  );
  // the first validator list is given at init (nobody holds sNEAR yet): due at once, and
  // apply_changes checks each at the whitelist
  const validators = pools
    .slice(0, count)
    .map((p, i) => ({ account_id: p.accountId, weight: options.weights?.[i] ?? 1 }));
  await metapool.call(
    metapool,
    'new',
    { ...init, ...(count > 0 ? { validators } : {}), ...options.init },
    { gas: PING_GAS },
  );
  await applyQueuedChanges(net, owner, metapool, { wait: false });
  const users = {};
  for (const [name, balance] of Object.entries(options.users ?? {})) {
    users[name] = await root.createSubAccount(name, { initialBalance: balance });
  }
  return { net, root, owner, treasury, whitelist, metapool, pools, users, peers };
}

/**
 * Applies the metapool's queued changes: fast-forwards localnet to the last one's apply epoch
 * (unless `wait` is false: only those already due) and calls apply_changes until none is due.
 * Returns every rejection ({ id, error }) apply_changes reported.
 */
async function applyQueuedChanges(net, caller, metapool, { wait = true } = {}) {
  const rejected = [];
  const queued = await metapool.view('get_pending_changes', {});
  if (wait && queued.length > 0) {
    const last = Math.max(...queued.map((c) => c.apply_epoch));
    if (net.epochHeight() < last) await net.fastForwardEpochs(last - net.epochHeight());
  }
  for (let i = 0; i < 20; i++) {
    const due = (await metapool.view('get_pending_changes', {})).filter(
      (c) => c.apply_epoch <= net.epochHeight(),
    );
    if (due.length === 0) return rejected;
    const res = await caller.call(metapool, 'apply_changes', {}, { gas: PING_GAS });
    rejected.push(...res.rejected);
  }
  throw new Error('E_APPLY: apply_changes left changes due after 20 calls');
}

/** Calls the metapool's ping until it reports idle; returns the actions of the steps before. */
async function pingUntilIdle(keeper, metapool, { maxSteps = 200, onStep } = {}) {
  const steps = [];
  for (let i = 0; i < maxSteps; i++) {
    const step = await keeper.call(metapool, 'ping', {}, { gas: PING_GAS });
    if (onStep) await onStep(step);
    if (step.action === 'idle') return steps;
    steps.push(step.ok === false ? `${step.action}!` : step.action);
  }
  throw new Error(
    `E_PING: ping did not reach idle in ${maxSteps} steps (last: ${steps.slice(-10).join(',')}); ` +
      'look for a step that repeats',
  );
}

/** One governance token (10^24 smallest units). */
const GOV = 10n ** 24n;

/**
 * The governance token `<name>.<root>` (default `gov`), minted only by `minter` (the metapool),
 * initialised in the deploying transaction's wake; cap 100,000,000 tokens unless `supplyCap`.
 */
async function deployGovToken(root, minter, options = {}) {
  const gov = await root.createSubAccount(options.name ?? 'gov', { initialBalance: 20n * NEAR });
  await gov.deploy(contractPath('gov-token'));
  await gov.call(
    gov,
    'new',
    {
      minter_id: minter.accountId,
      name: options.tokenName ?? 'sNEAR Governance',
      symbol: options.symbol ?? 'SGOV',
      supply_cap: (options.supplyCap ?? 100_000_000n * GOV).toString(),
    },
    { gas: PING_GAS },
  );
  return gov;
}

module.exports = {
  GOV,
  deployGovToken,
  NEAR,
  TGAS,
  USER_GAS,
  PING_GAS,
  STAKE_PUBLIC_KEY,
  contractPath,
  peerCode,
  realPeersUnavailableReason,
  deployWhitelist,
  deployStakingPool,
  deployProtocol,
  metapoolInitArgs,
  applyQueuedChanges,
  pingUntilIdle,
};
