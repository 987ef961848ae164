// One contract's wasm: qjsc bytecode (code.h) + methods.h + near-sdk-js's builder/builder.c,
// linked with the cached QuickJS objects (quickjs.mjs). Mirrors near-sdk-js 2.0.0's
// createHeaderFileWithQjsc / createMethodsHeaderFile / createWasmContract, with our shim in
// place of NEAR's QuickJS fork and C WASI stubs in place of the binaryen wasi-stub pass.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PREINIT_EXPORT, preinitialise } from './preinit.mjs';
import { CLANG, SHIM_DIR, WASM_CFLAGS, WASM_LDFLAGS } from './quickjs.mjs';
import { BuildError, run } from './util.mjs';

const require = createRequire(import.meta.url);

/** near-sdk-js's builder.c, read once. */
function builderSource() {
  const file = path.join(
    path.dirname(require.resolve('near-sdk-js/package.json')),
    'builder',
    'builder.c',
  );
  return fs.readFileSync(file, 'utf8');
}

/** near-sdk-js's per-call entry macro: its #define and every continued line (builder.c has CRLF). */
const ENTRY_MACRO = /#define DEFINE_NEAR_METHOD\(name\) \\\r?\n(?:[^\n]*\\\r?\n)*[^\n]*\n/;

/**
 * builder.c with its include paths pointed at our shim headers and its DEFINE_NEAR_METHOD
 * replaced by the pre-initialised entry points of shim/snear-entry.h (the host functions and
 * the context set-up stay near-sdk-js's).
 */
export function patchedBuilder() {
  const src = builderSource();
  const out = src
    .replace(/#include "[^"]*\/quickjs-libc-min\.h"/, '#include "quickjs-libc-min.h"')
    .replace(/#include "[^"]*\/libbf\.h"/, '#include "libbf.h"')
    .replace(ENTRY_MACRO, '#include "snear-entry.h"\n');
  if (
    !out.includes('#include "quickjs-libc-min.h"') ||
    !out.includes('#include "libbf.h"') ||
    !out.includes('#include "snear-entry.h"') ||
    /JS_NewRuntime\(\);\s*\\/.test(out)
  ) {
    throw new BuildError(
      'E_BUILDER',
      'near-sdk-js builder/builder.c no longer has the expected includes and DEFINE_NEAR_METHOD',
    );
  }
  return out;
}

/** C identifiers a method may not take: every function builder.c declares or defines. */
export function reservedNames() {
  const src = builderSource();
  const names = new Set(['main', '_start', 'memory', 'code', 'code_size', 'malloc', 'free']);
  for (const n of fs
    .readFileSync(path.join(SHIM_DIR, 'snear-entry.h'), 'utf8')
    .matchAll(/\b(snear_[a-z_]+)\b/g))
    names.add(n[1]);
  names.add(PREINIT_EXPORT);
  for (const m of src.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) names.add(m[1]);
  for (const kw of ['if', 'for', 'while', 'return', 'sizeof', 'switch', 'name']) names.delete(kw);
  return names;
}

/** methods.h as near-sdk-js writes it: one DEFINE_NEAR_METHOD per export of the bundle. */
export function methodsHeader(methods) {
  const reserved = reservedNames();
  for (const m of methods) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(m)) {
      throw new BuildError('E_METHOD_NAME', `method "${m}" is not a valid C identifier: rename it`);
    }
    if (reserved.has(m)) {
      throw new BuildError(
        'E_METHOD_NAME',
        `method "${m}" clashes with a C symbol of near-sdk-js's builder: rename the method`,
      );
    }
  }
  return methods.map((m) => `DEFINE_NEAR_METHOD(${m})\n`).join('');
}

/** Module names other than `env` that the wasm imports (empty when it is NEAR-ready). */
export function foreignImports(bytes) {
  const mod = new WebAssembly.Module(bytes);
  return WebAssembly.Module.imports(mod)
    .filter((i) => i.module !== 'env')
    .map((i) => `${i.module}.${i.name}`);
}

/**
 * Compile `bundleFile` (an ES module) to `outFile` (.wasm) exporting `methods`, pre-initialised
 * (preinit.mjs). `workDir` receives code.h, methods.h, builder.c and raw.wasm (before
 * pre-initialisation). Returns the sizes and the snapshot's figures.
 */
export async function buildWasm({ bundleFile, methods, outFile, workDir, quickjs }) {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, 'methods.h'), methodsHeader(methods));
  fs.writeFileSync(path.join(workDir, 'builder.c'), patchedBuilder());
  // The module is named after the bundle's file name (it shows in stack traces).
  await run(
    quickjs.qjsc,
    ['-c', '-m', '-o', path.join(workDir, 'code.h'), '-N', 'code', path.basename(bundleFile)],
    {
      cwd: path.dirname(bundleFile),
    },
  );
  const tmp = `${outFile}.tmp`;
  try {
    await run(CLANG, [
      ...WASM_CFLAGS,
      '-w',
      `-I${workDir}`,
      `-I${SHIM_DIR}`,
      `-I${quickjs.srcDir}`,
      path.join(workDir, 'builder.c'),
      ...quickjs.objects,
      ...WASM_LDFLAGS,
      '-o',
      tmp,
    ]);
  } catch (err) {
    const clash = /conflicting types for '([A-Za-z0-9_]+)'/.exec(err.message);
    if (clash) {
      throw new BuildError(
        'E_METHOD_NAME',
        `method "${clash[1]}" clashes with a C symbol: rename it\n${err.message}`,
      );
    }
    throw err;
  }
  const foreign = foreignImports(fs.readFileSync(tmp));
  if (foreign.length > 0) {
    fs.rmSync(tmp, { force: true });
    throw new BuildError(
      'E_WASM_IMPORTS',
      `the wasm imports ${foreign.join(', ')}; NEAR provides only env.*: stub them in contracts/shim/wasi-stubs.c`,
    );
  }
  // The linked module (QuickJS starts on every call) stays in workDir as raw.wasm: `make bench`
  // measures it beside the pre-initialised one.
  const raw = fs.readFileSync(tmp);
  fs.renameSync(tmp, path.join(workDir, 'raw.wasm'));
  let result;
  try {
    result = preinitialise(raw);
  } catch (err) {
    throw new BuildError(err.code ?? 'E_PREINIT', `pre-initialisation failed: ${err.message}`);
  }
  fs.writeFileSync(tmp, result.bytes);
  fs.renameSync(tmp, outFile);
  return { size: result.bytes.length, rawSize: raw.length, ...result, bytes: undefined };
}
