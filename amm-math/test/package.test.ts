// The published package: CommonJS and ES-module entry points with the same exports and answers,
// and a tarball that carries both builds, the types and the README. Needs `make build` first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_DIR = path.resolve(__dirname, '..');

function node(args: string[]): string {
  const run = spawnSync(process.execPath, args, { cwd: PACKAGE_DIR, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${run.stderr}`);
  return run.stdout.trim();
}

const QUOTE = `
  const view = {
    total_staked_near: '1100000000000000000000000000000', total_snear: '1000000000000000000000000000000',
    liquidity: '8000000000000000000000000000', pool_snear: '0', lp_shares: '8000000000000000000000000000',
    min_fee_bps: 30, max_fee_bps: 300, target_liquidity: '10000000000000000000000000000', treasury_cut_bps: 2500,
  };
  const q = m.quoteLiquidUnstake(m.poolStateFromContractView(view), m.parseNear('100'));
  console.log(JSON.stringify({ exports: Object.keys(m).sort(), quote: m.quoteToView(q) }));
`;

describe('@snear/amm-math as published', () => {
  beforeAll(() => {
    for (const file of ['dist/index.js', 'dist/esm/index.mjs']) {
      if (!fs.existsSync(path.join(PACKAGE_DIR, file))) {
        throw new Error(`${file} is missing: run \`make build\` first`);
      }
    }
  });

  test('require() and import give the same exports and the same quote', () => {
    const cjs = JSON.parse(node(['-e', `const m = require('@snear/amm-math');${QUOTE}`]));
    const esm = JSON.parse(
      node(['--input-type=module', '-e', `import * as m from '@snear/amm-math';${QUOTE}`]),
    );
    expect(esm).toEqual(cjs);
    expect(cjs.exports).toContain('arbitrageLiquidUnstake');
    expect(cjs.quote.near_out).toMatch(/^[1-9][0-9]*$/);
  });

  test('the tarball holds both builds, their types and the README', () => {
    const run = spawnSync('npm', ['pack', '--dry-run', '--json'], {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const files = (JSON.parse(run.stdout)[0].files as Array<{ path: string }>).map((f) => f.path);
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/esm/index.mjs',
      'dist/esm/index.d.mts',
      'README.md',
      'package.json',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => f.startsWith('test/'))).toBe(false);
  });
});
