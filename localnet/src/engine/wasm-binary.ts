// Reading and writing the WebAssembly binary format: LEB128 integers, names, value types and
// sections. Shared by contract preparation (`prepare.ts`) and instrumentation (`wasm-gas.ts`).

/** The bytes are not a valid module (nearcore reports these as `PrepareError::Deserialization`). */
export class WasmDecodeError extends Error {
  constructor(message: string) {
    super(`E_WASM_DECODE: ${message}`);
    this.name = 'WasmDecodeError';
  }
}

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

/** Value types nearcore's `WasmFeatures` accept at protocol 86 (no SIMD, no typed references). */
export type ValType =
  | typeof I32
  | typeof I64
  | typeof F32
  | typeof F64
  | typeof FUNCREF
  | typeof EXTERNREF;

/** Bytes an operand or local of this type occupies (nearcore `SimpleMaxStackCfg::size_of_value`). */
export function sizeOfValue(t: ValType): number {
  return t === I32 || t === F32 ? 4 : 8;
}

export class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    readonly end = bytes.length,
  ) {
    this.pos = pos;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new WasmDecodeError('unexpected end');
    return this.bytes[this.pos++];
  }

  peek(): number {
    if (this.pos >= this.end) throw new WasmDecodeError('unexpected end');
    return this.bytes[this.pos];
  }

  /** Unsigned LEB128 of at most `bits` bits (32 by default), rejecting over-long encodings. */
  u32(bits = 32): number {
    let result = 0;
    let shift = 0;
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (i === maxBytes - 1 && b >> (bits - 7 * i) !== 0) {
          throw new WasmDecodeError('integer too large');
        }
        return result;
      }
      shift += 7;
    }
    throw new WasmDecodeError('integer representation too long');
  }

  /** Signed LEB128 of at most `bits` bits (value discarded except for s33 block types). */
  sleb(bits: number): bigint {
    let result = 0n;
    let shift = 0n;
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (i === maxBytes - 1) {
          const used = bits - 7 * i; // value bits in this byte, sign bit included
          const rest = b & 0x7f;
          const sign = (rest >> (used - 1)) & 1;
          if (used < 7 && rest >> used !== (sign ? (1 << (7 - used)) - 1 : 0)) {
            throw new WasmDecodeError('integer too large');
          }
        }
        if (b & 0x40) result -= 1n << shift;
        return result;
      }
    }
    throw new WasmDecodeError('integer representation too long');
  }

  skip(n: number): void {
    if (n > this.end - this.pos) throw new WasmDecodeError('unexpected end');
    this.pos += n;
  }

  /** A UTF-8 name. */
  name(): string {
    const len = this.u32();
    const start = this.pos;
    this.skip(len);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(
        this.bytes.subarray(start, start + len),
      );
    } catch {
      throw new WasmDecodeError('malformed UTF-8 name');
    }
  }

  /** A value type allowed at protocol 86; v128 and typed references are disabled features. */
  valType(): ValType {
    const t = this.byte();
    if (t === I32 || t === I64 || t === F32 || t === F64 || t === FUNCREF || t === EXTERNREF) {
      return t;
    }
    if (t === V128) throw new WasmDecodeError('SIMD support is not enabled');
    throw new WasmDecodeError(`invalid value type 0x${t.toString(16)}`);
  }

  /** A reference type (table element type, `ref.null` heap type shorthand). */
  refType(): ValType {
    const t = this.byte();
    if (t === FUNCREF || t === EXTERNREF) return t;
    throw new WasmDecodeError(`invalid reference type 0x${t.toString(16)}`);
  }

  /** Limits: `{ min, max }`; 64-bit, shared and custom-page-size flags are disabled features. */
  limits(maxBound: number): { min: number; max?: number; flags: number } {
    const flags = this.byte();
    if (flags > 1) {
      throw new WasmDecodeError(`limits flags 0x${flags.toString(16)} (threads/memory64 disabled)`);
    }
    const min = this.u32();
    const max = flags & 1 ? this.u32() : undefined;
    if (min > maxBound || (max !== undefined && (max > maxBound || min > max))) {
      throw new WasmDecodeError('limits out of range');
    }
    return { min, max, flags };
  }
}

export function uleb(value: number): number[] {
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

export function sleb(value: number | bigint): number[] {
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

export function encodeName(s: string): number[] {
  const bytes = Buffer.from(s, 'utf8');
  return [...uleb(bytes.length), ...bytes];
}

/** One section: its id and payload range within the module bytes. */
export interface SectionRange {
  id: number;
  start: number;
  end: number;
}

export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function encodeModule(
  sections: { id: number; payload: Uint8Array }[],
): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [Uint8Array.from(WASM_HEADER)];
  for (const s of sections) {
    parts.push(Uint8Array.from([s.id, ...uleb(s.payload.length)]), s.payload);
  }
  return Buffer.concat(parts);
}
