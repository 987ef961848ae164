// The vm engine's gas against the wasm engine's (localnet/src/host/gas.ts): runs one flow
// (contracts/deploy/gas-flow.js) on the wasm engine and on the vm engine, prints each receipt's
// figures and their ratio, and re-derives VM_GAS_PER_HOST_CALL and VM_GAS_PER_OP by least squares
// on the relative error (plus an unconstrained per-call constant, to show it fits to ~0). The vm
// runs three times with probe values of the two constants to count each receipt's host calls and
// ops, then once as configured. Run: node bench/run.js vm-gas
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const { gasFlow } = require('../contracts/deploy/gas-flow.js');

const log = (msg) => console.log(`[vm-gas] ${msg}`);
const tgas = (g) => (Number(g) / 1e12).toFixed(2);

/** Solves the n×n system m·x = v (Gaussian elimination). */
function solve(m, v) {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]]);
  for (let c = 0; c < n; c++) {
    const p = a.reduce(
      (best, row, r) => (r >= c && Math.abs(row[c]) > Math.abs(a[best][c]) ? r : best),
      c,
    );
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[n] / row[i]);
}

/** Least squares of (wasm - fixed) ≈ Σ x_k · feature_k, each row weighted by 1 / wasm. */
function leastSquares(rows, features) {
  const m = features.map(() => features.map(() => 0));
  const v = features.map(() => 0);
  for (const r of rows) {
    const w = 1 / r.wasm;
    const f = features.map((name) => (name === 'call' ? 1 : r[name]) * w);
    const y = (r.wasm - r.fixed) * w;
    for (let i = 0; i < f.length; i++) {
      v[i] += f[i] * y;
      for (let j = 0; j < f.length; j++) m[i][j] += f[i] * f[j];
    }
  }
  return solve(m, v);
}

async function run() {
  const { Localnet } = require(path.join(REPO, 'localnet', 'dist', 'index.js'));
  const gas = require(path.join(REPO, 'localnet', 'dist', 'host', 'gas.js'));
  const configured = { H: gas.VM_GAS_PER_HOST_CALL, P: gas.VM_GAS_PER_OP };
  const vmWith = async (H, P) => {
    gas.VM_GAS_PER_HOST_CALL = H;
    gas.VM_GAS_PER_OP = P;
    try {
      return await gasFlow(await Localnet.init({ engine: 'vm', epochLength: 1000 }));
    } finally {
      gas.VM_GAS_PER_HOST_CALL = configured.H;
      gas.VM_GAS_PER_OP = configured.P;
    }
  };
  log('flow on the wasm engine');
  const wasm = await gasFlow(await Localnet.init({ engine: 'wasm', epochLength: 1000 }));
  log('flow on the vm engine: 3 probe runs and the configured constants');
  const base = await vmWith(1n, 1n);
  const hostProbe = await vmWith(10n ** 9n + 1n, 1n);
  const opProbe = await vmWith(1n, 10n ** 6n + 1n);
  const vm = await gasFlow(await Localnet.init({ engine: 'vm', epochLength: 1000 }));
  const rows = wasm.map((w, i) => {
    const hostCalls = Number(hostProbe[i].gasBurnt - base[i].gasBurnt) / 1e9;
    const ops = Number(opProbe[i].gasBurnt - base[i].gasBurnt) / 1e6;
    return {
      label: w.label,
      contract: w.contract.startsWith('metapool') ? 'metapool' : 'host-test',
      wasm: Number(w.gasBurnt),
      vm: Number(vm[i].gasBurnt),
      fixed: Number(base[i].gasBurnt) - hostCalls - ops,
      hostCalls,
      ops,
    };
  });
  const [H, P] = leastSquares(rows, ['hostCalls', 'ops']);
  const [C] = leastSquares(rows, ['call', 'hostCalls', 'ops']);
  console.log(
    '\ncontract  | method                          | wasm Tgas | vm Tgas | vm/wasm | env calls | ops',
  );
  console.log(
    '----------|---------------------------------|-----------|---------|---------|-----------|------',
  );
  for (const r of rows) {
    console.log(
      `${r.contract.padEnd(9)} | ${r.label.padEnd(31)} | ${tgas(r.wasm).padStart(9)} | ${tgas(r.vm).padStart(7)} | ${(r.vm / r.wasm).toFixed(2).padStart(7)} | ${String(r.hostCalls).padStart(9)} | ${r.ops}`,
    );
  }
  const ratios = rows.filter((r) => r.contract === 'metapool').map((r) => r.vm / r.wasm);
  const figures = {
    configured: { VM_GAS_PER_HOST_CALL: Number(configured.H), VM_GAS_PER_OP: Number(configured.P) },
    fitted: { VM_GAS_PER_HOST_CALL: Math.round(H), VM_GAS_PER_OP: Math.round(P) },
    fitted_per_call_constant_tgas: Number((C / 1e12).toFixed(3)),
    metapool_vm_over_wasm: { min: Math.min(...ratios), max: Math.max(...ratios) },
  };
  console.log(
    `\nconfigured: ${figures.configured.VM_GAS_PER_HOST_CALL / 1e9} Ggas per env call, ${figures.configured.VM_GAS_PER_OP / 1e6} Mgas per op` +
      `\nfitted now: ${(H / 1e9).toFixed(1)} Ggas per env call, ${(P / 1e6).toFixed(1)} Mgas per op` +
      ` (a per-call constant, if allowed, fits to ${figures.fitted_per_call_constant_tgas} Tgas)` +
      `\nmetapool receipts, vm / wasm: ${figures.metapool_vm_over_wasm.min.toFixed(2)}–${figures.metapool_vm_over_wasm.max.toFixed(2)}`,
  );
  return figures;
}

module.exports = { run };
