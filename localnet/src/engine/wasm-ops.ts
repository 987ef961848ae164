// Decoding one wasm instruction: its opcode and the immediates localnet's analyses need. Rejects the
// instructions of proposals nearcore disables at protocol 86 (`features.rs`: SIMD, threads,
// exceptions, tail calls, typed function references, GC, multi-memory, memory64, wide arithmetic,
// multi-value block types) with `WasmDecodeError`, which preparation reports as Deserialization.
// Enabled beyond the MVP: sign extension, saturating float-to-int, bulk memory, reference types.
import {
  EXTERNREF,
  F32,
  F64,
  FUNCREF,
  I32,
  I64,
  type Reader,
  V128,
  type ValType,
  WasmDecodeError,
} from './wasm-binary';

/** `0xFC`-prefixed instructions are numbered `0xFC00 + sub-opcode`. */
export const FC = 0xfc00;

export const OP = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  callIndirect: 0x11,
  drop: 0x1a,
  select: 0x1b,
  selectT: 0x1c,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  globalSet: 0x24,
  tableGet: 0x25,
  tableSet: 0x26,
  memorySize: 0x3f,
  memoryGrow: 0x40,
  i32Const: 0x41,
  i64Const: 0x42,
  f32Const: 0x43,
  f64Const: 0x44,
  refNull: 0xd0,
  refIsNull: 0xd1,
  refFunc: 0xd2,
  memoryInit: FC + 8,
  dataDrop: FC + 9,
  memoryCopy: FC + 10,
  memoryFill: FC + 11,
  tableInit: FC + 12,
  elemDrop: FC + 13,
  tableCopy: FC + 14,
  tableGrow: FC + 15,
  tableSize: FC + 16,
  tableFill: FC + 17,
} as const;

/** Immediates of the last decoded instruction (one object reused for speed). */
export interface Immediates {
  /** Index immediate: depth, function, type, local, global, table. */
  index: number;
  /** Second index (call_indirect's table). */
  index2: number;
  /** Block type: undefined = empty, else the single result type. */
  blockType: ValType | undefined;
  /** br_table targets (without the default, which is `index`). */
  targets: number[];
  /** Typed select's type / ref.null's heap type. */
  valType: ValType;
}

export function newImmediates(): Immediates {
  return { index: 0, index2: 0, blockType: undefined, targets: [], valType: I32 };
}

function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) throw new WasmDecodeError('multi-memory support is not enabled');
  r.u32(); // offset (memory32)
}

function zeroByte(r: Reader): void {
  if (r.u32() !== 0) throw new WasmDecodeError('multi-memory support is not enabled');
}

function blockType(r: Reader, imm: Immediates): void {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    imm.blockType = undefined;
  } else if (b === I32 || b === I64 || b === F32 || b === F64 || b === FUNCREF || b === EXTERNREF) {
    r.pos++;
    imm.blockType = b;
  } else if (b === V128) {
    throw new WasmDecodeError('SIMD support is not enabled');
  } else {
    r.sleb(33);
    throw new WasmDecodeError('blocks may only produce a result type (multi-value is not enabled)');
  }
}

/** Read one instruction; returns its opcode (`FC + n` for `0xFC n`). */
export function readOp(r: Reader, imm: Immediates): number {
  const op = r.byte();
  switch (op) {
    case 0x00:
    case 0x01:
    case 0x05:
    case 0x0b:
    case 0x0f:
    case 0x1a:
    case 0x1b:
    case 0xd1:
      return op;
    case 0x02:
    case 0x03:
    case 0x04:
      blockType(r, imm);
      return op;
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0xd2:
      imm.index = r.u32();
      return op;
    case 0x0e: {
      const n = r.u32();
      imm.targets.length = 0;
      for (let i = 0; i < n; i++) imm.targets.push(r.u32());
      imm.index = r.u32();
      return op;
    }
    case 0x11:
      imm.index = r.u32();
      imm.index2 = r.u32();
      return op;
    case 0x1c: {
      if (r.u32() !== 1) throw new WasmDecodeError('invalid result arity for typed select');
      imm.valType = r.valType();
      return op;
    }
    case 0x3f:
    case 0x40:
      zeroByte(r);
      return op;
    case 0x41:
      r.sleb(32);
      return op;
    case 0x42:
      r.sleb(64);
      return op;
    case 0x43:
      r.skip(4);
      return op;
    case 0x44:
      r.skip(8);
      return op;
    case 0xd0:
      imm.valType = r.refType();
      return op;
    case 0xfc: {
      const sub = r.u32();
      if (sub <= 7) return FC + sub; // saturating float-to-int
      switch (sub) {
        case 8: // memory.init data 0
          imm.index = r.u32();
          zeroByte(r);
          return FC + sub;
        case 9: // data.drop
        case 13: // elem.drop
        case 15: // table.grow
        case 16: // table.size
        case 17: // table.fill
          imm.index = r.u32();
          return FC + sub;
        case 10: // memory.copy 0 0
          zeroByte(r);
          zeroByte(r);
          return FC + sub;
        case 11: // memory.fill 0
          zeroByte(r);
          return FC + sub;
        case 12: // table.init elem table
        case 14: // table.copy dst src
          imm.index = r.u32();
          imm.index2 = r.u32();
          return FC + sub;
        default:
          throw new WasmDecodeError(`0xfc ${sub}: instruction of a disabled proposal`);
      }
    }
    default:
      if (op >= 0x28 && op <= 0x3e) {
        memarg(r);
        return op;
      }
      if (op >= 0x45 && op <= 0xc4) return op;
      if (op === 0xfd) throw new WasmDecodeError('SIMD support is not enabled');
      if (op === 0xfe) throw new WasmDecodeError('threads support is not enabled');
      if (op === 0xfb) throw new WasmDecodeError('GC support is not enabled');
      if (op === 0x12 || op === 0x13)
        throw new WasmDecodeError('tail calls support is not enabled');
      throw new WasmDecodeError(`unsupported opcode 0x${op.toString(16)}`);
  }
}

/** Size in bytes and type of the value a load pushes (0x28..0x35). */
export function loadType(op: number): ValType {
  if (op === 0x28 || (op >= 0x2c && op <= 0x2f)) return I32;
  if (op === 0x2a) return F32;
  if (op === 0x2b) return F64;
  return I64; // 0x29, 0x30..0x35
}

/** Result type of a conversion (cvtop) instruction, or undefined when `op` is not one. */
export function cvtResult(op: number): ValType | undefined {
  if (op === 0xa7 || (op >= 0xa8 && op <= 0xab) || op === 0xbc || op === 0xc0 || op === 0xc1) {
    return I32;
  }
  if ((op >= 0xac && op <= 0xb1) || op === 0xbd || (op >= 0xc2 && op <= 0xc4)) return I64;
  if ((op >= 0xb2 && op <= 0xb6) || op === 0xbe) return F32;
  if ((op >= 0xb7 && op <= 0xbb) || op === 0xbf) return F64;
  if (op >= FC && op <= FC + 3) return I32;
  if (op >= FC + 4 && op <= FC + 7) return I64;
  return undefined;
}

/** finite-wasm's "partial" instructions: they may trap, so they end a gas segment. */
export function mayTrap(op: number): boolean {
  return (
    (op >= 0x28 && op <= 0x3e) || // loads and stores
    (op >= 0x6d && op <= 0x70) || // i32 div/rem
    (op >= 0x7f && op <= 0x82) || // i64 div/rem
    (op >= 0xa8 && op <= 0xab) || // i32.trunc_f*
    (op >= 0xae && op <= 0xb1) || // i64.trunc_f*
    op === OP.call ||
    op === OP.callIndirect ||
    op === OP.tableGet ||
    op === OP.tableSet
  );
}

/** Bulk instructions whose fee is linear in their length operand (the i32 on top of the stack). */
export function isLinear(op: number): boolean {
  return (
    op === OP.memoryGrow ||
    op === OP.memoryInit ||
    op === OP.memoryCopy ||
    op === OP.memoryFill ||
    op === OP.tableInit ||
    op === OP.tableCopy ||
    op === OP.tableGrow ||
    op === OP.tableFill
  );
}
