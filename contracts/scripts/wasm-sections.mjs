// Section-level reading and writing of a wasm module: what the pre-initialisation step needs
// (globals, exports, memory, data), nothing of the code section's instructions.

export class WasmFormatError extends Error {
  constructor(message) {
    super(message);
    this.code = 'E_WASM_FORMAT';
  }
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Section ids of the binary format. */
export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
};

/** A cursor over bytes. */
export class Reader {
  constructor(bytes, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }

  byte() {
    if (this.pos >= this.bytes.length) throw new WasmFormatError('unexpected end of module');
    return this.bytes[this.pos++];
  }

  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmFormatError('malformed LEB128');
    }
  }

  /** A signed LEB128 of up to 64 bits, as a BigInt. */
  s64() {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= 1n << shift;
        return result;
      }
    }
  }

  take(n) {
    if (this.pos + n > this.bytes.length) throw new WasmFormatError('unexpected end of module');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name() {
    return Buffer.from(this.take(this.u32())).toString('utf8');
  }
}

/** Unsigned LEB128. */
export function uleb(value) {
  const out = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a BigInt. */
export function sleb(value) {
  const out = [];
  let v = BigInt(value);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** The module's sections in order: [{ id, payload }]. */
export function readSections(bytes) {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new WasmFormatError('not a wasm module (bad magic or version)');
  }
  const r = new Reader(bytes, 8);
  const sections = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const payload = r.take(r.u32());
    sections.push({ id, payload });
  }
  return sections;
}

/** A module from its sections. */
export function writeSections(sections) {
  const parts = [Uint8Array.from(MAGIC)];
  for (const s of sections)
    parts.push(Uint8Array.from([s.id, ...uleb(s.payload.length)]), s.payload);
  return Buffer.concat(parts);
}

/** A vector section's payload from its encoded entries. */
export function vector(entries) {
  return Buffer.concat([
    Uint8Array.from(uleb(entries.length)),
    ...entries.map((e) => Buffer.from(e)),
  ]);
}

/** How many globals the module imports (they come first in the global index space). */
export function importedGlobalCount(sections) {
  const imports = sections.find((s) => s.id === SECTION.import);
  if (!imports) return 0;
  const r = new Reader(imports.payload);
  let globals = 0;
  for (let i = r.u32(); i > 0; i--) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) r.u32();
    else if (kind === 1) {
      r.byte();
      readLimits(r);
    } else if (kind === 2) readLimits(r);
    else if (kind === 3) {
      r.take(2);
      globals++;
    } else throw new WasmFormatError(`unknown import kind ${kind}`);
  }
  return globals;
}

function readLimits(r) {
  const flags = r.byte();
  const min = r.u32();
  const max = flags & 1 ? r.u32() : undefined;
  return { flags, min, max };
}

/** The defined globals: [{ type, mutable, init (bytes of the constant expression, with end) }]. */
export function readGlobals(payload) {
  const r = new Reader(payload);
  const globals = [];
  for (let i = r.u32(); i > 0; i--) {
    const type = r.byte();
    const mutable = r.byte() === 1;
    const start = r.pos;
    for (let op = r.byte(); op !== 0x0b; op = r.byte()) {
      if (op === 0x41 || op === 0x42) r.s64();
      else if (op === 0x43) r.take(4);
      else if (op === 0x44) r.take(8);
      else if (op === 0x23) r.u32();
      else throw new WasmFormatError(`unsupported constant expression opcode 0x${op.toString(16)}`);
    }
    globals.push({ type, mutable, init: payload.subarray(start, r.pos) });
  }
  return globals;
}

/** One global entry with a constant initialiser (i32 or i64). */
export function encodeGlobal(type, mutable, value) {
  if (type === 0x7f) return [type, mutable ? 1 : 0, 0x41, ...sleb(BigInt.asIntN(32, value)), 0x0b];
  if (type === 0x7e) return [type, mutable ? 1 : 0, 0x42, ...sleb(BigInt.asIntN(64, value)), 0x0b];
  throw new WasmFormatError(`cannot snapshot a global of type 0x${type.toString(16)}`);
}

/** Exports: [{ name, kind, index }]. */
export function readExports(payload) {
  const r = new Reader(payload);
  const out = [];
  for (let i = r.u32(); i > 0; i--) out.push({ name: r.name(), kind: r.byte(), index: r.u32() });
  return out;
}

export function encodeExport({ name, kind, index }) {
  const bytes = Buffer.from(name, 'utf8');
  return [...uleb(bytes.length), ...bytes, kind, ...uleb(index)];
}

/** The single memory's limits. */
export function readMemory(payload) {
  const r = new Reader(payload);
  if (r.u32() !== 1) throw new WasmFormatError('expected exactly one memory');
  return readLimits(r);
}

export function encodeMemory({ min, max }) {
  return max === undefined ? [1, 0x00, ...uleb(min)] : [1, 0x01, ...uleb(min), ...uleb(max)];
}

/** An active data segment of memory 0 at a constant offset. */
export function encodeDataSegment(offset, bytes) {
  return Buffer.concat([
    Uint8Array.from([0x00, 0x41, ...sleb(BigInt.asIntN(32, BigInt(offset))), 0x0b]),
    Uint8Array.from(uleb(bytes.length)),
    bytes,
  ]);
}
