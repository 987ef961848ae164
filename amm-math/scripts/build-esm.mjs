// The ES-module build of @snear/amm-math (dist/esm/index.mjs), beside tsc's CommonJS build
// (dist/index.js): one bundle, big.js left external, no side effects, same exports.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const PACKAGE_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const OUT_DIR = path.join(PACKAGE_DIR, 'dist', 'esm');

await build({
  entryPoints: [path.join(PACKAGE_DIR, 'src', 'index.ts')],
  outfile: path.join(OUT_DIR, 'index.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  external: ['big.js'],
  sourcemap: true,
  logLevel: 'warning',
});
// Types for `import`: the same declarations as the CommonJS build.
fs.writeFileSync(path.join(OUT_DIR, 'index.d.mts'), "export * from '../index.js';\n");
