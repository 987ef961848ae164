// Build-time pre-initialisation of a contract wasm (what Wizer does for wasm, written for ours):
// run the module's `__snear_preinit` export once in Node, then write a module whose data
// segments are the resulting linear memory and whose mutable globals start at their resulting
// values. Every call on chain then starts from an initialised QuickJS runtime (see
// contracts/shim/snear-entry.h and contracts/README.md "Pre-initialisation").
//
// Nothing host-dependent can be baked in: every `env.*` import throws while pre-initialising.
// The output is a pure function of the input bytes (V8 runs the same instructions; the WASI clock
// stub reads 0), so builds are reproducible byte for byte.
import {
  encodeDataSegment,
  encodeExport,
  encodeGlobal,
  encodeMemory,
  importedGlobalCount,
  readExports,
  readGlobals,
  readMemory,
  readSections,
  SECTION,
  uleb,
  vector,
  writeSections,
} from './wasm-sections.mjs';

/** The export the build calls once and then removes. */
export const PREINIT_EXPORT = '__snear_preinit';
const PAGE_BYTES = 65536;
/** A data segment's header costs about this many bytes: shorter zero gaps stay inside a segment. */
const MERGE_GAP_BYTES = 10;
const GLOBAL_EXPORT_PREFIX = '__snear_preinit_global_';

export class PreinitError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/** The module with every mutable defined global exported, so its final value can be read. */
function withGlobalsExported(sections) {
  const firstDefined = importedGlobalCount(sections);
  const globals = readGlobals(sections.find((s) => s.id === SECTION.global)?.payload ?? [0]);
  const exportSection = sections.find((s) => s.id === SECTION.export);
  const exports = exportSection ? readExports(exportSection.payload) : [];
  globals.forEach((g, i) => {
    if (g.mutable)
      exports.push({ name: `${GLOBAL_EXPORT_PREFIX}${i}`, kind: 3, index: firstDefined + i });
  });
  return sections.map((s) =>
    s.id === SECTION.export ? { id: s.id, payload: vector(exports.map(encodeExport)) } : s,
  );
}

/** `env` whose every function refuses to run: pre-initialisation may not depend on the host. */
function refusingEnv(getMemory) {
  return new Proxy(
    {},
    {
      get(_, name) {
        if (name === 'panic_utf8') {
          return (len, ptr) => {
            const bytes = new Uint8Array(getMemory().buffer, Number(ptr), Number(len));
            throw new PreinitError('E_PREINIT_PANIC', Buffer.from(bytes).toString('utf8'));
          };
        }
        return () => {
          throw new PreinitError(
            'E_PREINIT_HOST_CALL',
            `env.${String(name)} was called while pre-initialising: module-level code of a contract must not use the host (move it into a method)`,
          );
        };
      },
    },
  );
}

/** [offset, end) runs of non-zero bytes, joined across gaps shorter than MERGE_GAP_BYTES. */
export function nonZeroRuns(memory) {
  const runs = [];
  let i = 0;
  while (i < memory.length) {
    while (i < memory.length && memory[i] === 0) i++;
    if (i >= memory.length) break;
    const start = i;
    let end = i;
    while (i < memory.length) {
      if (memory[i] !== 0) {
        end = ++i;
        continue;
      }
      let j = i;
      while (j < memory.length && memory[j] === 0 && j - end < MERGE_GAP_BYTES) j++;
      if (j < memory.length && memory[j] !== 0 && j - end < MERGE_GAP_BYTES) i = j;
      else break;
    }
    runs.push([start, end]);
    i = end;
  }
  return runs;
}

/**
 * Pre-initialise `bytes` (a wasm exporting PREINIT_EXPORT and `memory`); returns the new module
 * and figures about it. Custom sections (names, producers, debug info) are dropped.
 */
export function preinitialise(bytes) {
  const sections = readSections(bytes);
  const exportSection = sections.find((s) => s.id === SECTION.export);
  const exports = exportSection ? readExports(exportSection.payload) : [];
  if (!exports.some((e) => e.name === PREINIT_EXPORT && e.kind === 0)) {
    throw new PreinitError('E_PREINIT_EXPORT', `the wasm has no ${PREINIT_EXPORT} export to run`);
  }
  const memorySection = sections.find((s) => s.id === SECTION.memory);
  if (!memorySection) throw new PreinitError('E_PREINIT_MEMORY', 'the wasm defines no memory');
  const limits = readMemory(memorySection.payload);

  let memory;
  const instance = new WebAssembly.Instance(
    new WebAssembly.Module(writeSections(withGlobalsExported(sections))),
    { env: refusingEnv(() => memory) },
  );
  memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new PreinitError('E_PREINIT_MEMORY', 'the wasm does not export its memory as `memory`');
  }
  instance.exports[PREINIT_EXPORT]();

  const snapshot = new Uint8Array(memory.buffer);
  const pages = snapshot.length / PAGE_BYTES;
  const globalSection = sections.find((s) => s.id === SECTION.global);
  const globals = globalSection ? readGlobals(globalSection.payload) : [];
  const globalEntries = globals.map((g, i) =>
    g.mutable
      ? encodeGlobal(g.type, true, BigInt(instance.exports[`${GLOBAL_EXPORT_PREFIX}${i}`].value))
      : Buffer.concat([Uint8Array.from([g.type, 0]), g.init]),
  );
  const runs = nonZeroRuns(snapshot);
  const segments = runs.map(([from, to]) => encodeDataSegment(from, snapshot.subarray(from, to)));

  const out = [];
  for (const s of sections) {
    if (s.id === SECTION.custom) continue;
    if (s.id === SECTION.global) out.push({ id: s.id, payload: vector(globalEntries) });
    else if (s.id === SECTION.export) {
      const kept = exports.filter((e) => e.name !== PREINIT_EXPORT);
      out.push({ id: s.id, payload: vector(kept.map(encodeExport)) });
    } else if (s.id === SECTION.memory) {
      const min = Math.max(limits.min, pages);
      out.push({ id: s.id, payload: Buffer.from(encodeMemory({ min, max: limits.max })) });
    } else if (s.id === SECTION.dataCount) {
      out.push({ id: s.id, payload: Uint8Array.from(uleb(segments.length)) });
    } else if (s.id === SECTION.data) out.push({ id: s.id, payload: vector(segments) });
    else out.push(s);
  }
  // A module without a data section (none before) still needs one for the snapshot.
  if (!out.some((s) => s.id === SECTION.data)) {
    const code = out.findIndex((s) => s.id === SECTION.code);
    out.splice(code + 1, 0, { id: SECTION.data, payload: vector(segments) });
  }
  const result = writeSections(out);
  return {
    bytes: result,
    memoryPages: pages,
    snapshotBytes: runs.reduce((n, [a, b]) => n + (b - a), 0),
    segments: segments.length,
  };
}
