// `make contracts`: every contracts/src/<name>/index.ts -> contracts/build/<name>.js (rollup
// bundle) and contracts/build/<name>.wasm (QuickJS + near-sdk-js builder). Skips a contract
// whose inputs did not change. Usage: node contracts/scripts/build.mjs [name ...] [--force]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleContract } from './bundle.mjs';
import { CONTRACTS_DIR, ensureQuickjs, NATIVE_DIR, SHIM_DIR } from './quickjs.mjs';
import { BuildError, hash, hashFile, log, pool, since } from './util.mjs';
import { buildWasm } from './wasm.mjs';

const SRC_DIR = path.join(CONTRACTS_DIR, 'src');
const BUILD_DIR = path.join(CONTRACTS_DIR, 'build');
const STATE_DIR = path.join(NATIVE_DIR, 'state');
const SCRIPTS_DIR = path.join(CONTRACTS_DIR, 'scripts');

/** Names of contracts/src/<name>/ directories that hold an index.ts. */
export function discoverContracts() {
  if (!fs.existsSync(SRC_DIR)) return [];
  return fs
    .readdirSync(SRC_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(SRC_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

/** Every file under dir (recursive), sorted. */
function filesUnder(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out.sort();
}

/** Hash of the build scripts and the C shim: changing either rebuilds every contract. */
function scriptsKey() {
  return hash(
    ...[SCRIPTS_DIR, SHIM_DIR].flatMap((dir) =>
      fs
        .readdirSync(dir)
        .sort()
        .map((f) => hashFile(path.join(dir, f))),
    ),
  );
}

/** Inputs fingerprint: the previous bundle's files plus everything in the contract's dir. */
function inputsKey(name, inputs, extra) {
  const files = new Set([...inputs, ...filesUnder(path.join(SRC_DIR, name))]);
  return hash(extra, ...[...files].sort().flatMap((f) => [f, hashFile(f)]));
}

function readState(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(STATE_DIR, `${name}.json`), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * One build at a time per checkout (several engineers share it): a lock directory holding the
 * owner's pid; a lock whose process is gone is taken over.
 */
async function acquireLock() {
  const lockDir = path.join(NATIVE_DIR, '.lock');
  fs.mkdirSync(NATIVE_DIR, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      const release = () => fs.rmSync(lockDir, { recursive: true, force: true });
      process.on('exit', release);
      return release;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = 0;
    try {
      owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // being created or removed right now
    }
    let alive = true;
    if (owner === 0) {
      // no pid after 10 s: its creator died between mkdir and write
      try {
        alive = Date.now() - fs.statSync(lockDir).mtimeMs < 10_000;
      } catch {
        continue;
      }
    } else {
      try {
        process.kill(owner, 0);
      } catch {
        alive = false;
      }
    }
    if (!alive) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another contract build (pid ${owner || '?'}) is running: waiting for it`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function saveState(name, state) {
  fs.writeFileSync(path.join(STATE_DIR, `${name}.json`), JSON.stringify(state, null, 1));
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const all = discoverContracts();
  const names = wanted.length > 0 ? wanted : all;
  for (const n of names) {
    if (!all.includes(n)) throw new BuildError('E_NO_CONTRACT', `no contracts/src/${n}/index.ts`);
  }
  if (names.length === 0) {
    log('no contracts under contracts/src/<name>/index.ts: nothing to build');
    return;
  }
  await acquireLock();
  const start = performance.now();
  const jobs = Math.max(1, Math.min(os.cpus().length, 4));
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  fs.mkdirSync(STATE_DIR, { recursive: true });
  log(`building ${names.length} contract(s): ${names.join(', ')} (${jobs} parallel jobs)`);

  // The QuickJS toolchain compiles in child processes while bundles are made here.
  const quickjsReady = ensureQuickjs({ jobs });
  quickjsReady.catch(() => {}); // reported below, once
  const scripts = scriptsKey();
  const limit = pool(jobs);
  const failures = [];
  const results = [];
  const wasmTasks = [];

  for (const name of names) {
    const entry = path.join(SRC_DIR, name, 'index.ts');
    const jsFile = path.join(BUILD_DIR, `${name}.js`);
    const wasmFile = path.join(BUILD_DIR, `${name}.wasm`);
    const prev = readState(name);
    const outputsExist = fs.existsSync(jsFile) && fs.existsSync(wasmFile);
    if (!force && prev && outputsExist && hashFile(jsFile) === prev.jsHash) {
      const key = inputsKey(name, prev.inputs, scripts);
      if (key === prev.inputsKey && prev.wasmHash === hashFile(wasmFile)) {
        log(`${name}: up to date (${kb(fs.statSync(wasmFile).size)} wasm)`);
        results.push({ name, wasmSize: fs.statSync(wasmFile).size, cached: true });
        continue;
      }
    }
    const t = performance.now();
    let bundled;
    try {
      bundled = await bundleContract(entry, jsFile);
    } catch (err) {
      log(`${name}: FAILED to bundle\n${err.message}`);
      failures.push(name);
      continue;
    }
    for (const w of bundled.warnings) log(`${name}: rollup warning: ${w}`);
    log(
      `${name}: bundle ${since(t)} (${kb(bundled.code.length)} js, ${bundled.exports.length} methods)`,
    );
    const jsHash = hashFile(jsFile);
    wasmTasks.push(
      (async () => {
        let quickjs;
        try {
          quickjs = await quickjsReady;
        } catch {
          failures.push(name);
          return;
        }
        if (
          prev &&
          prev.jsHash === jsHash &&
          prev.toolchain === quickjs.key &&
          prev.scripts === scripts &&
          fs.existsSync(wasmFile) &&
          prev.wasmHash === hashFile(wasmFile)
        ) {
          log(`${name}: bundle unchanged, wasm up to date`);
          results.push({ name, wasmSize: fs.statSync(wasmFile).size, cached: true });
          saveState(name, {
            ...prev,
            inputs: bundled.inputs,
            inputsKey: inputsKey(name, bundled.inputs, scripts),
          });
          return;
        }
        await limit(async () => {
          const tw = performance.now();
          try {
            const built = await buildWasm({
              bundleFile: jsFile,
              methods: bundled.exports,
              outFile: wasmFile,
              workDir: path.join(NATIVE_DIR, 'work', name),
              quickjs,
            });
            log(
              `${name}: wasm ${since(tw)} -> contracts/build/${name}.wasm ${kb(built.size)} ` +
                `(linked ${kb(built.rawSize)}; pre-initialised: ${built.memoryPages} pages, ` +
                `${kb(built.snapshotBytes)} in ${built.segments} data segments)`,
            );
            results.push({ name, wasmSize: built.size, cached: false });
            saveState(name, {
              inputs: bundled.inputs,
              inputsKey: inputsKey(name, bundled.inputs, scripts),
              jsHash,
              wasmHash: hashFile(wasmFile),
              toolchain: quickjs.key,
              scripts,
            });
          } catch (err) {
            log(`${name}: FAILED to build wasm\n${err.message}`);
            fs.rmSync(wasmFile, { force: true });
            failures.push(name);
          }
        });
      })(),
    );
  }
  await Promise.all(wasmTasks);
  try {
    await quickjsReady;
  } catch (err) {
    log(`QuickJS toolchain FAILED: ${err.message}`);
  }
  for (const r of results.sort((a, b) => a.name.localeCompare(b.name))) {
    log(`  ${r.name}.wasm ${kb(r.wasmSize)}${r.cached ? ' (cached)' : ''}`);
  }
  if (failures.length > 0) {
    throw new BuildError(
      'E_CONTRACT_FAILED',
      `${failures.length} contract(s) failed: ${failures.sort().join(', ')} (see the messages above)`,
    );
  }
  log(`done in ${since(start)}`);
}

main().catch((err) => {
  process.stderr.write(`[contracts] ERROR ${err.code ?? ''}: ${err.message}\n`);
  process.exit(1);
});
