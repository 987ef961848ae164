// QuickJS 2021-03-27 (from the npm package qjsc@0.3.0) patched for wasm32-wasi, built once into
// contracts/native/quickjs-<hash>/: the wasm object files (LLVM bitcode for LTO) and a native
// qjsc compiled from the SAME configuration (else bytecode fails with "invalid atom index").
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BuildError, hash, log, pool, run, since } from './util.mjs';

const require = createRequire(import.meta.url);
export const CONTRACTS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const NATIVE_DIR = path.join(CONTRACTS_DIR, 'native');
export const SHIM_DIR = path.join(CONTRACTS_DIR, 'shim');

export const CLANG = process.env.SNEAR_CLANG || 'clang-14';
export const HOST_CC = process.env.SNEAR_HOST_CC || 'cc';
export const DEFS = ['-D_GNU_SOURCE', '-DCONFIG_VERSION="2021-03-27"', '-DCONFIG_BIGNUM'];
/** The flags near-sdk-js's CLI gives wasi-sdk's clang, minus --sysroot (Debian's multiarch). */
export const WASM_CFLAGS = ['--target=wasm32-wasi', '-nostartfiles', '-Oz', '-flto', ...DEFS];
export const WASM_LDFLAGS = [
  '-lm',
  '-Wl,--no-entry',
  '-Wl,--allow-undefined',
  `-Wl,-z,stack-size=${256 * 1024}`,
  '-Wl,--lto-O3',
];

const QJS_FILES = [
  'quickjs.c',
  'quickjs.h',
  'quickjs-atom.h',
  'quickjs-opcode.h',
  'libregexp.c',
  'libregexp.h',
  'libregexp-opcode.h',
  'libunicode.c',
  'libunicode.h',
  'libunicode-table.h',
  'cutils.c',
  'cutils.h',
  'libbf.c',
  'libbf.h',
  'list.h',
  'qjsc.c',
  'quickjs-libc.c',
  'quickjs-libc.h',
  'VERSION',
];
const SHIM_FILES = ['quickjs-near.c', 'quickjs-libc-min.c', 'quickjs-libc-min.h', 'wasi-stubs.c'];
/** Compiled to wasm objects: our quickjs-near.c includes (and replaces) quickjs.c. */
const WASM_UNITS = [
  { dir: 'shim', file: 'quickjs-near.c' },
  { dir: 'src', file: 'libregexp.c' },
  { dir: 'src', file: 'libunicode.c' },
  { dir: 'src', file: 'cutils.c' },
  { dir: 'src', file: 'libbf.c' },
  { dir: 'shim', file: 'quickjs-libc-min.c' },
  { dir: 'shim', file: 'wasi-stubs.c' },
];
const NATIVE_QJSC_UNITS = [
  'qjsc.c',
  'quickjs.c',
  'libregexp.c',
  'libunicode.c',
  'cutils.c',
  'libbf.c',
  'quickjs-libc.c',
];

/** Directory of QuickJS 2021-03-27 inside the installed qjsc@0.3.0. */
export function quickjsSourceDir() {
  let pkg;
  try {
    pkg = require.resolve('qjsc/package.json');
  } catch {
    throw new BuildError(
      'E_NO_QJSC',
      'npm package qjsc@0.3.0 is not installed: run `make install` (npm ci) first',
    );
  }
  const dir = path.join(path.dirname(pkg), 'deps', 'quickjs_2021_03_27');
  const version = fs.existsSync(path.join(dir, 'VERSION'))
    ? fs.readFileSync(path.join(dir, 'VERSION'), 'utf8').trim()
    : 'missing';
  if (version !== '2021-03-27') {
    throw new BuildError(
      'E_QJS_VERSION',
      `${dir} holds QuickJS "${version}", the build needs 2021-03-27 (npm package qjsc@0.3.0)`,
    );
  }
  return dir;
}

/** Replace `from` by `to` exactly `count` times, or fail naming the patch. */
function replaceExactly(text, from, to, count, what) {
  const found = text.split(from).length - 1;
  if (found !== count) {
    throw new BuildError(
      'E_QJS_PATCH',
      `patching QuickJS (${what}): expected ${count} match(es) of ${JSON.stringify(from)}, found ${found}`,
    );
  }
  return text.split(from).join(to);
}

/**
 * libbf.c with bf_set_ui fixed for 32-bit limbs (wasm32): for a u64 whose top bit is set,
 * clz(high word) is 0 and `a0 >> (LIMB_BITS - 0)` shifts a u32 by 32 (undefined in C; wasm's
 * i32.shr_u shifts by 0), OR-ing the low word into the high one. builder.c builds every u128
 * (balances, stakes, deposits) with bf_set_ui, so e.g. 5 NEAR came back as 5.0000026 NEAR.
 */
export function patchLibbf(text) {
  return replaceExactly(
    text,
    'r->tab[1] = (a1 << shift) | (a0 >> (LIMB_BITS - shift));',
    'r->tab[1] = (a1 << shift) | (shift ? a0 >> (LIMB_BITS - shift) : 0); /* snear: no shift by 32 */',
    1,
    'bf_set_ui shift by 32',
  );
}

/** quickjs.c with the three changes wasm32-wasi needs; native qjsc uses the same text. */
export function patchQuickjs(text) {
  let s = text;
  s = replaceExactly(
    s,
    '#if !defined(EMSCRIPTEN)\n#define CONFIG_ATOMICS',
    '#if 0 /* snear: CONFIG_ATOMICS off (needs pthreads; wasm and native qjsc must agree) */\n#define CONFIG_ATOMICS',
    1,
    'CONFIG_ATOMICS off',
  );
  s = replaceExactly(
    s,
    '#if !defined(_WIN32)\n/* define it if printf uses the RNDN',
    '#if !defined(_WIN32) && !defined(__wasi__)\n/* define it if printf uses the RNDN',
    1,
    'CONFIG_PRINTF_RNDN off for __wasi__',
  );
  // wasi-libc's dlmalloc has malloc_usable_size (declared in <malloc.h>), as NEAR's fork uses it:
  // QuickJS's memory accounting (and so its GC trigger) sees real block sizes.
  s = replaceExactly(
    s,
    '#elif defined(__linux__)\n#include <malloc.h>',
    '#elif defined(__linux__) || defined(__wasi__)\n#include <malloc.h>',
    1,
    'malloc_usable_size: <malloc.h> for __wasi__',
  );
  return s;
}

async function toolVersion(cmd) {
  try {
    return (await run(cmd, ['--version'])).split('\n')[0];
  } catch {
    throw new BuildError(
      'E_TOOL_MISSING',
      `${cmd} not found: install it (contracts/scripts/build-all.sh does so with apt-get)`,
    );
  }
}

/**
 * Build (or reuse) the patched QuickJS: returns { dir, srcDir, qjsc, objects }.
 * The cache key covers the sources, our shim, this file and the compiler versions.
 */
export async function ensureQuickjs({ jobs = os.cpus().length } = {}) {
  const qjsDir = quickjsSourceDir();
  const [clangVersion, ccVersion] = await Promise.all([toolVersion(CLANG), toolVersion(HOST_CC)]);
  const key = hash(
    ...QJS_FILES.map((f) => fs.readFileSync(path.join(qjsDir, f))),
    ...SHIM_FILES.map((f) => fs.readFileSync(path.join(SHIM_DIR, f))),
    fs.readFileSync(new URL(import.meta.url)),
    JSON.stringify([WASM_CFLAGS, DEFS, clangVersion, ccVersion]),
  ).slice(0, 16);
  const dir = path.join(NATIVE_DIR, `quickjs-${key}`);
  const result = {
    key,
    dir,
    srcDir: path.join(dir, 'src'),
    qjsc: path.join(dir, 'qjsc'),
    objects: WASM_UNITS.map((u) => path.join(dir, 'obj', u.file.replace(/\.c$/, '.o'))),
  };
  if (fs.existsSync(path.join(dir, 'ok'))) {
    log(`QuickJS toolchain: cached (${path.relative(process.cwd(), dir)})`);
    return result;
  }
  const start = performance.now();
  log(`QuickJS toolchain: building into ${path.relative(process.cwd(), dir)} (once)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'obj'));
  for (const f of QJS_FILES) {
    const text = fs.readFileSync(path.join(qjsDir, f), 'utf8');
    const patched =
      f === 'quickjs.c' ? patchQuickjs(text) : f === 'libbf.c' ? patchLibbf(text) : text;
    fs.writeFileSync(path.join(dir, 'src', f), patched);
  }
  const limit = pool(jobs);
  const tasks = [
    limit(async () => {
      const t = performance.now();
      await run(
        HOST_CC,
        [
          // -O0: 3x faster to compile than -O1, and qjsc still compiles a bundle in ~70 ms;
          // its bytecode output was checked byte-identical to an -O1 qjsc's.
          '-O0',
          '-w',
          ...DEFS,
          '-o',
          result.qjsc,
          ...NATIVE_QJSC_UNITS.map((f) => path.join(dir, 'src', f)),
          '-lm',
          '-ldl',
          '-lpthread',
        ],
        { cwd: dir },
      );
      log(`  native qjsc ${since(t)}`);
    }),
    ...WASM_UNITS.map((u, i) =>
      limit(async () => {
        const t = performance.now();
        const srcFile = path.join(u.dir === 'shim' ? SHIM_DIR : path.join(dir, 'src'), u.file);
        await run(CLANG, [
          ...WASM_CFLAGS,
          '-w',
          `-I${path.join(dir, 'src')}`,
          `-I${SHIM_DIR}`,
          '-c',
          srcFile,
          '-o',
          result.objects[i],
        ]);
        log(`  wasm ${u.file} ${since(t)}`);
      }),
    ),
  ];
  await Promise.all(tasks);
  fs.writeFileSync(path.join(dir, 'ok'), `${new Date().toISOString()}\n`);
  // Older toolchains are dead weight once a new one exists.
  for (const old of fs.readdirSync(NATIVE_DIR)) {
    if (old.startsWith('quickjs-') && old !== path.basename(dir)) {
      fs.rmSync(path.join(NATIVE_DIR, old), { recursive: true, force: true });
    }
  }
  log(`QuickJS toolchain: built in ${since(start)}`);
  return result;
}
