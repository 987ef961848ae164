// Contracts that exist only for the tests (contracts/test/support/<name>/index.ts), bundled on
// demand with the contracts' own rollup pipeline into a temporary directory (vm engine bundles).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SUPPORT = __dirname;
const BUNDLER = path.resolve(SUPPORT, '..', '..', 'scripts', 'bundle.mjs');

/** Path of `<name>.js`, bundled from contracts/test/support/<name>/index.ts. */
export function testContractPath(name: 'ft-relay'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snear-test-contract-'));
  const entry = path.join(SUPPORT, name, 'index.ts');
  const out = path.join(dir, `${name}.js`);
  const script = `import { bundleContract } from ${JSON.stringify(BUNDLER)};
await bundleContract(${JSON.stringify(entry)}, ${JSON.stringify(out)});`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.resolve(SUPPORT, '..', '..', '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return out;
}
