// Gas metering for the wasm engine: rewrites a contract module so it counts its own instructions,
// as nearcore's instrumentation does, and so a runaway loop stops when gas runs out (Node cannot
// interrupt wasm otherwise).
//
// The rewrite adds one exported mutable i64 global, `GAS_GLOBAL_EXPORT`: the number of
// instructions the contract may still execute. Each straight-line segment of a function body
// (split after `loop`, `if`, `else`, `end` and `br_if`) first subtracts its instruction count;
// function entries and loop heads then trap (`unreachable`) when the counter is negative. The
// engine sets the counter from the gas left and converts consumed instructions into gas
// (regular_op_cost each) at every host call and at the end. Segments are charged whole on entry,
// so a branch out of a segment's middle over-charges slightly (as nearcore's block metering did).
// It also caps a memory the module defines at nearcore's 2048 pages (128 MiB).

/** Name of the exported instruction counter global. */
export const GAS_GLOBAL_EXPORT = '__localnet_gas_left';
/** nearcore's max_memory_pages. */
export const MAX_MEMORY_PAGES = 2048;

/** An error in the module's bytes that the instrumentation cannot handle. */
export class WasmInstrumentError extends Error {
  constructor(message: string) {
    super(`E_WASM_INSTRUMENT: ${message}`);
    this.name = 'WasmInstrumentError';
  }
}

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    readonly end = bytes.length,
  ) {
    this.pos = pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw new WasmInstrumentError('unexpected end of module');
    return this.bytes[this.pos++];
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmInstrumentError('malformed LEB128');
    }
  }

  /** Skip a signed or unsigned LEB128 of any width. */
  skipLeb(): void {
    while (this.byte() & 0x80) {
      // continuation bytes
    }
  }

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.end) throw new WasmInstrumentError('unexpected end of module');
  }

  name(): string {
    const len = this.u32();
    const s = Buffer.from(this.bytes.subarray(this.pos, this.pos + len)).toString('utf8');
    this.skip(len);
    return s;
  }
}

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = BigInt(value);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

interface Section {
  id: number;
  payload: Uint8Array;
}

function readSections(bytes: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (bytes.length < 8 || magic.some((b, i) => bytes[i] !== b)) {
    throw new WasmInstrumentError('not a wasm module (bad magic or version)');
  }
  const r = new Reader(bytes, 8);
  const sections: Section[] = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    sections.push({ id, payload: bytes.subarray(start, start + size) });
  }
  return sections;
}

function encodeSections(sections: Section[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])];
  for (const s of sections) {
    parts.push(Uint8Array.from([s.id, ...uleb(s.payload.length)]), s.payload);
  }
  return Buffer.concat(parts);
}

function skipLimits(r: Reader): void {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
}

/** Imports: how many globals are imported, and the memory import's minimum, if any. */
function scanImports(payload: Uint8Array): { globals: number; memoryMin?: number } {
  const r = new Reader(payload);
  let globals = 0;
  let memoryMin: number | undefined;
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) r.u32();
    else if (kind === 1) {
      r.byte();
      skipLimits(r);
    } else if (kind === 2) {
      const flags = r.byte();
      memoryMin = r.u32();
      if (flags & 1) r.u32();
    } else if (kind === 3) {
      r.byte();
      r.byte();
      globals++;
    } else throw new WasmInstrumentError(`unknown import kind ${kind}`);
  }
  return { globals, memoryMin };
}

/** The memory section with every maximum set to MAX_MEMORY_PAGES. */
function capMemory(payload: Uint8Array): Uint8Array {
  const r = new Reader(payload);
  const count = r.u32();
  const out: number[] = [...uleb(count)];
  for (let i = 0; i < count; i++) {
    const flags = r.byte();
    const min = r.u32();
    if (flags & 1) r.u32();
    if (min > MAX_MEMORY_PAGES) {
      throw new WasmInstrumentError(`memory of ${min} pages exceeds ${MAX_MEMORY_PAGES}`);
    }
    out.push((flags & ~1) | 1, ...uleb(min), ...uleb(MAX_MEMORY_PAGES));
  }
  return Uint8Array.from(out);
}

function appendToVec(payload: Uint8Array | undefined, entry: number[]): Uint8Array {
  if (!payload) return Uint8Array.from([1, ...entry]);
  const r = new Reader(payload);
  const count = r.u32();
  return Buffer.concat([
    Uint8Array.from(uleb(count + 1)),
    payload.subarray(r.pos),
    Uint8Array.from(entry),
  ]);
}

/** Skip one instruction's immediates (the opcode is already read). */
function skipImmediates(r: Reader, op: number): void {
  if (op === 0x02 || op === 0x03 || op === 0x04) {
    const b = r.bytes[r.pos];
    if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.pos++;
    else r.skipLeb(); // type index (s33)
  } else if (op === 0x0c || op === 0x0d) r.u32();
  else if (op === 0x0e) {
    const n = r.u32();
    for (let i = 0; i <= n; i++) r.u32();
  } else if (op === 0x10) r.u32();
  else if (op === 0x11) {
    r.u32();
    r.u32();
  } else if (op === 0x1c) {
    const n = r.u32();
    r.skip(n);
  } else if (op >= 0x20 && op <= 0x26) r.u32();
  else if (op >= 0x28 && op <= 0x3e) {
    r.u32();
    r.u32();
  } else if (op === 0x3f || op === 0x40) r.byte();
  else if (op === 0x41 || op === 0x42) r.skipLeb();
  else if (op === 0x43) r.skip(4);
  else if (op === 0x44) r.skip(8);
  else if (op === 0xd0) r.byte();
  else if (op === 0xd2) r.u32();
  else if (op === 0xfc) {
    const sub = r.u32();
    if (sub <= 7) return;
    if (sub === 8) {
      r.u32();
      r.byte();
    } else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
    else if (sub === 10) r.skip(2);
    else if (sub === 11) r.byte();
    else if (sub === 12 || sub === 14) {
      r.u32();
      r.u32();
    } else throw new WasmInstrumentError(`unsupported 0xfc instruction ${sub}`);
  } else if (
    op === 0x00 ||
    op === 0x01 ||
    op === 0x05 ||
    op === 0x0b ||
    op === 0x0f ||
    op === 0x1a ||
    op === 0x1b ||
    (op >= 0x45 && op <= 0xc4) ||
    op === 0xd1
  ) {
    // no immediates
  } else {
    throw new WasmInstrumentError(`unsupported opcode 0x${op.toString(16)} (SIMD/threads?)`);
  }
}

/** One function body with metering inserted. */
function meterBody(body: Uint8Array, gasGlobal: number): Uint8Array {
  const r = new Reader(body);
  const localGroups = r.u32();
  for (let i = 0; i < localGroups; i++) {
    r.u32();
    r.byte();
  }
  const g = uleb(gasGlobal);
  const out: number[] = Array.from(body.subarray(0, r.pos));
  let segStart = r.pos;
  let segCount = 0;
  let check = true;
  const flush = (end: number): void => {
    if (segCount > 0) {
      // counter -= segCount
      out.push(0x23, ...g, 0x42, ...sleb(segCount), 0x7d, 0x24, ...g);
      // function entry / loop head: trap when exhausted
      if (check) out.push(0x23, ...g, 0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b);
    }
    for (let i = segStart; i < end; i++) out.push(body[i]);
  };
  while (r.pos < body.length) {
    const op = r.byte();
    skipImmediates(r, op);
    segCount++;
    if (op === 0x03 || op === 0x04 || op === 0x05 || op === 0x0b || op === 0x0d) {
      flush(r.pos);
      segStart = r.pos;
      segCount = 0;
      check = op === 0x03;
    }
  }
  flush(r.pos);
  return Uint8Array.from(out);
}

function meterCode(payload: Uint8Array, gasGlobal: number): Uint8Array {
  const r = new Reader(payload);
  const count = r.u32();
  const parts: Uint8Array[] = [Uint8Array.from(uleb(count))];
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const body = meterBody(payload.subarray(r.pos, r.pos + size), gasGlobal);
    r.skip(size);
    parts.push(Uint8Array.from(uleb(body.length)), body);
  }
  return Buffer.concat(parts);
}

/** Where a new section with this id goes: before the first later known section. */
function insertSection(sections: Section[], section: Section, before: number[]): void {
  const at = sections.findIndex((s) => before.includes(s.id));
  if (at < 0) sections.push(section);
  else sections.splice(at, 0, section);
}

/** The instrumented module, and the memory a module that imports `env.memory` needs. */
export interface InstrumentedModule {
  bytes: Uint8Array<ArrayBuffer>;
  /** Minimum pages of an imported memory (undefined: the module defines its own). */
  importedMemoryMin?: number;
}

/** Rewrite a contract module for gas metering (see the top of this file). */
export function instrumentForGas(original: Uint8Array): InstrumentedModule {
  const sections = readSections(original);
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const imports = find(2) ? scanImports(find(2)!.payload) : { globals: 0 };
  const globalSection = find(6);
  const definedGlobals = globalSection ? new Reader(globalSection.payload).u32() : 0;
  const gasGlobal = imports.globals + definedGlobals;

  const newGlobal = [0x7e, 0x01, 0x42, 0x00, 0x0b]; // i64 mut = i64.const 0
  if (globalSection) globalSection.payload = appendToVec(globalSection.payload, newGlobal);
  else
    insertSection(
      sections,
      { id: 6, payload: appendToVec(undefined, newGlobal) },
      [7, 8, 9, 12, 10, 11],
    );

  const name = Buffer.from(GAS_GLOBAL_EXPORT, 'utf8');
  const newExport = [...uleb(name.length), ...name, 0x03, ...uleb(gasGlobal)];
  const exportSection = find(7);
  if (exportSection) exportSection.payload = appendToVec(exportSection.payload, newExport);
  else
    insertSection(
      sections,
      { id: 7, payload: appendToVec(undefined, newExport) },
      [8, 9, 12, 10, 11],
    );

  const memory = find(5);
  if (memory) memory.payload = capMemory(memory.payload);
  const code = find(10);
  if (code) code.payload = meterCode(code.payload, gasGlobal);
  return { bytes: encodeSections(sections), importedMemoryMin: imports.memoryMin };
}
