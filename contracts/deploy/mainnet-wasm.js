// NEAR's real mainnet contracts (near/core-contracts' staking pool, whitelist and lockup; Sputnik's
// staking) as compiled .wasm, for localnet's wasm engine: the metapool's real counterparts and the
// gas anchor of `make bench`. They live outside the repository (NEAR_MAINNET_WASM_DIR, default
// ../shared/near-wasm from the repository root); their sha256 are pinned in the repository
// (mainnet-wasm.sha256), and every path handed out here has been checked against that manifest.
// Plain CommonJS like protocol.js (types in mainnet-wasm.d.ts).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { deployStakingPool, deployWhitelist, NEAR, PING_GAS } = require('./protocol.js');

/** Where the real contracts are. */
const MAINNET_WASM_DIR =
  process.env.NEAR_MAINNET_WASM_DIR ||
  path.resolve(__dirname, '..', '..', '..', 'shared', 'near-wasm');
/** The sha256 of each file, kept in the repository (`<hex>  <file>` lines, as sha256sum writes). */
const MANIFEST = path.join(__dirname, 'mainnet-wasm.sha256');

/** Why the real contracts cannot be used at all (no directory), else undefined. */
function mainnetWasmUnavailableReason() {
  if (!fs.existsSync(MAINNET_WASM_DIR)) {
    return `no real NEAR contracts at ${MAINNET_WASM_DIR} (set NEAR_MAINNET_WASM_DIR)`;
  }
  return undefined;
}

/** file name → expected sha256 hex, from the manifest. */
function pinnedHashes() {
  const pins = new Map();
  for (const line of fs.readFileSync(MANIFEST, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (m) pins.set(m[2], m[1]);
  }
  return pins;
}

/**
 * Path of a real contract (e.g. `staking_pool.wasm`) after checking its sha256 against the
 * manifest; E_MAINNET_WASM naming the file and what to do when it is missing, unpinned or changed.
 */
function realWasmPath(file) {
  const full = path.join(MAINNET_WASM_DIR, file);
  const expected = pinnedHashes().get(file);
  if (expected === undefined) {
    throw new Error(`E_MAINNET_WASM: ${file} is not pinned in ${MANIFEST}; add its sha256 there`);
  }
  if (!fs.existsSync(full)) {
    throw new Error(
      `E_MAINNET_WASM: ${full} is missing; put NEAR's compiled ${file} there (its source is named in contracts/README.md) or set NEAR_MAINNET_WASM_DIR`,
    );
  }
  const actual = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  if (actual !== expected) {
    throw new Error(
      `E_MAINNET_WASM: ${full} has sha256 ${actual}, ${path.basename(MANIFEST)} pins ${expected}; ` +
        'restore the original file (these contracts are never edited)',
    );
  }
  return full;
}

/** Creates `<name>.<root>` with the real whitelist, its foundation being `foundation`. */
function deployRealWhitelist(root, foundation, { name = 'lockup-whitelist' } = {}) {
  return deployWhitelist(root, foundation, {
    name,
    code: realWasmPath('whitelist.wasm'),
    initialBalance: 10n * NEAR,
  });
}

/** Creates `<name>.<root>` with NEAR's Rust staking pool (no owner fee by default). */
function deployRealStakingPool(root, name, owner, options = {}) {
  return deployStakingPool(root, name, owner, {
    ...options,
    code: realWasmPath('staking_pool.wasm'),
  });
}

/**
 * Creates `<name>.<parent>` holding `balance` with the real lockup (core-contracts `new`: transfers
 * enabled at 0, no lockup duration, optional vesting schedule + foundation).
 */
async function deployRealLockup(
  parent,
  name,
  { owner, whitelist, balance = 1_000n * NEAR, vestingSchedule, foundation },
) {
  const lockup = await parent.createSubAccount(name, { initialBalance: balance });
  await lockup.deploy(realWasmPath('lockup_contract.wasm'));
  const args = {
    owner_account_id: owner.accountId,
    lockup_duration: '0',
    transfers_information: { TransfersEnabled: { transfers_timestamp: '0' } },
    staking_pool_whitelist_account_id: whitelist.accountId,
  };
  if (vestingSchedule) args.vesting_schedule = { VestingSchedule: vestingSchedule };
  if (foundation) args.foundation_account_id = foundation.accountId;
  await lockup.call(lockup, 'new', args, { gas: PING_GAS });
  return lockup;
}

/**
 * Every function-call receipt of a transaction outcome (refunds and transfers left out), with the
 * gas attached to it read from its own FunctionCall action(s): a batch (`a.functionCall().
 * functionCall()`) is one receipt, its gas the sum, `calls` each action's.
 */
function functionCallReceipts(outcome) {
  const tx = outcome.transaction ?? outcome;
  const rows = [];
  for (const r of tx.receipts) {
    if (r.isRefund) continue;
    const calls = r.actions.filter((a) => a.type === 'FunctionCall');
    if (calls.length === 0) continue;
    rows.push({
      receiptId: r.receiptId,
      predecessor: r.predecessorId,
      receiver: r.executorId,
      method: calls.map((a) => a.methodName).join('+'),
      attachedGas: calls.reduce((g, a) => g + a.gas, 0n),
      calls: calls.map((a) => ({ method: a.methodName, gas: a.gas })),
      gasBurnt: r.gasBurnt,
      ok: r.status.type !== 'Failure',
    });
  }
  return rows;
}

module.exports = {
  MAINNET_WASM_DIR,
  mainnetWasmUnavailableReason,
  realWasmPath,
  deployRealWhitelist,
  deployRealStakingPool,
  deployRealLockup,
  functionCallReceipts,
};
