// Bundles the app (api/app/src) into api/public/dist with esbuild: one ES module entry, and
// chunks loaded on demand (near-api-js for the local wallet, the wallet modal and its React,
// the testnet/mainnet wallet modules). Run by `make build`.
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'public', 'dist');
const require = createRequire(import.meta.url);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: join(here, 'src', 'main.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  metafile: true,
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  // Node built-ins two browser dependencies require: small stand-ins (shims/)
  alias: { util: join(here, 'shims', 'util.js'), crypto: join(here, 'shims', 'crypto.js') },
  inject: [join(here, 'shims', 'buffer.js')],
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  logLevel: 'warning',
});
copyFileSync(
  join(dirname(require.resolve('@near-wallet-selector/modal-ui/package.json')), 'styles.css'),
  join(out, 'modal.css'),
);
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const total = outputs.reduce((sum, [file]) => sum + statSync(file).size, 0);
const entry = statSync(join(out, 'app.js')).size;
process.stdout.write(
  `app bundle: ${relative(process.cwd(), out)}/app.js ${(entry / 1024).toFixed(1)} KiB, ${outputs.length} files ${(total / 1024).toFixed(1)} KiB in all\n`,
);
