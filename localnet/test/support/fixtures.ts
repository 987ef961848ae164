// Contract files for localnet's tests: the shared host-test contract (contracts/build) and
// localnet's own fixtures (test/fixtures/<name>, bundled on demand by test/fixtures/build.mjs).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { wasmEngineUnavailableReason } from '../../src';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

/** contracts/build/host-test without extension (Localnet picks .js or .wasm by engine). */
export const HOST_TEST = path.join(REPO, 'contracts', 'build', 'host-test');

/** Path of a bundled localnet fixture, rebuilding it when missing or older than its source. */
export function fixture(name: 'counter' | 'probe'): string {
  const out = path.join(FIXTURES, 'build', `${name}.js`);
  const src = path.join(FIXTURES, name, 'index.ts');
  if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(src).mtimeMs) {
    execFileSync(process.execPath, [path.join(FIXTURES, 'build.mjs'), name], { cwd: REPO });
  }
  return out;
}

/** Engines the host-test suites run on: 'vm' always, 'wasm' when a wasm build and engine exist. */
export function engines(): ('vm' | 'wasm')[] {
  if (!fs.existsSync(`${HOST_TEST}.js`)) {
    throw new Error(`E_NO_HOST_TEST: ${HOST_TEST}.js is missing: run make contracts`);
  }
  const why = !fs.existsSync(`${HOST_TEST}.wasm`)
    ? `${HOST_TEST}.wasm is missing (run make contracts)`
    : wasmEngineUnavailableReason();
  if (why) {
    process.stdout.write(`[localnet] wasm engine rows skipped: ${why}\n`);
    return ['vm'];
  }
  return ['vm', 'wasm'];
}

export const NEAR = 10n ** 24n;
export const TGAS = 10n ** 12n;
