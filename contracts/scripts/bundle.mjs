// Rollup + babel bundle of one contract, configured like near-sdk-js 2.0.0's CLI
// (lib/cli/cli.js createJsFileWithRullup): node-resolve (.js/.ts), sourcemaps, babel with
// preset-typescript, include-bytes, near-bindgen-exporter and legacy decorators.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { babel } from '@rollup/plugin-babel';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import includeBytes from 'near-sdk-js/lib/cli/build-tools/include-bytes.js';
import nearBindgenExporter from 'near-sdk-js/lib/cli/build-tools/near-bindgen-exporter.js';
import { rollup } from 'rollup';
import sourcemaps from 'rollup-plugin-sourcemaps';
import { BuildError } from './util.mjs';

const require = createRequire(import.meta.url);
const REPO_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** Modules whose top level has no effect a contract needs (see the rollup call). */
const SIDE_EFFECT_FREE = /[\\/](amm-math[\\/]src|node_modules[\\/]big\.js)[\\/]/;

/** Workspace packages bundled from source (contracts never use a package's dist/). */
export const SOURCE_ALIASES = {
  '@snear/amm-math': path.join(REPO_DIR, 'amm-math', 'src', 'index.ts'),
};

function sourceAliases() {
  return {
    name: 'snear-source-aliases',
    resolveId(source) {
      const target = SOURCE_ALIASES[source];
      if (!target) return null;
      if (!fs.existsSync(target)) {
        this.error(`${source} resolves to ${target}, which does not exist`);
      }
      return target;
    },
  };
}

/** True when a class declaration carries a `@NearBindgen(...)` decorator. */
function isNearBindgenClass(node) {
  return (
    node?.type === 'ClassDeclaration' &&
    (node.decorators ?? []).some(
      (d) => d.expression.type === 'CallExpression' && d.expression.callee.name === 'NearBindgen',
    )
  );
}

/**
 * Babel plugin (ours, not near-sdk-js's): in the entry file, `export class C` of a @NearBindgen
 * class becomes `class C`, and `export { C }` drops C. near-sdk-js would export the class too,
 * and every export becomes a contract method, so the class would be a method that always
 * panics. Contracts may keep `export` for their unit tests; the bundle exports only methods.
 */
function stripContractClassExport(entry) {
  return () => ({
    visitor: {
      Program(program, state) {
        if (state.file.opts.filename !== entry) return;
        const classes = new Set();
        for (const stmt of program.get('body')) {
          const decl = stmt.isExportNamedDeclaration() ? stmt.node.declaration : stmt.node;
          if (isNearBindgenClass(decl)) classes.add(decl.id.name);
        }
        for (const stmt of program.get('body')) {
          if (!stmt.isExportNamedDeclaration()) continue;
          if (stmt.node.declaration && isNearBindgenClass(stmt.node.declaration)) {
            stmt.replaceWith(stmt.node.declaration);
          } else if (!stmt.node.source && stmt.node.specifiers.length > 0) {
            const kept = stmt.node.specifiers.filter((sp) => !classes.has(sp.local.name));
            if (kept.length === 0) stmt.remove();
            else stmt.node.specifiers = kept;
          }
        }
      },
    },
  });
}

/**
 * Bundle `entry` into `outFile` (+ .map). Returns { exports, inputs, code }:
 * the module's export names (each becomes a contract method) and every file it read.
 */
export async function bundleContract(entry, outFile) {
  const warnings = [];
  let bundle;
  try {
    bundle = await rollup({
      input: entry,
      // amm-math is pure functions, and big.js's only module-level work is making its
      // constructor: when a contract uses none of their exports they add nothing to the bundle
      // (amm-math's decimal parsing is for the API; contracts format amounts with bigints).
      treeshake: { moduleSideEffects: (id) => !SIDE_EFFECT_FREE.test(id) },
      onwarn(warning) {
        // near-sdk-js and lodash-es have harmless cycles; anything else is worth reading.
        if (warning.code === 'CIRCULAR_DEPENDENCY') return;
        warnings.push(warning.message);
      },
      plugins: [
        sourceAliases(),
        nodeResolve({ extensions: ['.js', '.ts'] }),
        sourcemaps(),
        babel({
          babelHelpers: 'bundled',
          // near-sdk-js runs babel over node_modules too; those files are plain ES modules that
          // none of these plugins change (no TypeScript, decorators, includeBytes or
          // @NearBindgen), and lodash-es alone is 640 modules: skipping them is 4x faster.
          exclude: /[\\/]node_modules[\\/]/,
          babelrc: false,
          configFile: false,
          extensions: ['.ts', '.js', '.jsx', '.es6', '.es', '.mjs'],
          presets: [require.resolve('@babel/preset-typescript')],
          plugins: [
            stripContractClassExport(path.resolve(entry)),
            includeBytes,
            [nearBindgenExporter, { verbose: false }],
            [require.resolve('@babel/plugin-proposal-decorators'), { version: 'legacy' }],
          ],
        }),
      ],
    });
  } catch (err) {
    const where = err.loc ? ` (${err.loc.file}:${err.loc.line}:${err.loc.column})` : '';
    const dup = /Duplicate declaration "([^"]+)"/.exec(err.message);
    const hint = dup
      ? `\nhint: near-sdk-js's bindgen adds a top-level \`export function ${dup[1]}()\` for the` +
        ` method ${dup[1]}, and this module already declares ${dup[1]}: rename one of them`
      : '';
    throw new BuildError('E_BUNDLE', `rollup failed for ${entry}${where}: ${err.message}${hint}`);
  }
  const { output } = await bundle.generate({
    format: 'es',
    sourcemap: true,
    file: outFile,
  });
  const inputs = [...bundle.watchFiles].filter((f) => path.isAbsolute(f) && fs.existsSync(f));
  await bundle.close();
  const chunk = output.find((o) => o.type === 'chunk' && o.isEntry);
  if (chunk.imports.length > 0) {
    throw new BuildError(
      'E_BUNDLE_IMPORTS',
      `${entry} imports ${chunk.imports.join(', ')}, which could not be resolved and would stay` +
        ' external (a contract must be self-contained): install the package or fix the path',
    );
  }
  const code = `${chunk.code}\n//# sourceMappingURL=${path.basename(outFile)}.map\n`;
  fs.writeFileSync(outFile, code);
  if (chunk.map) fs.writeFileSync(`${outFile}.map`, chunk.map.toString());
  return { exports: chunk.exports, inputs, code, warnings };
}
