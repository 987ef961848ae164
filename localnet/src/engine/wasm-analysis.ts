// finite-wasm's analysis of one function (finite-wasm 0.6, as nearcore runs it in
// `prepare_v3.rs::prepare_contract` with `SimpleGasCostCfg` and `SimpleMaxStackCfg`):
//
// - Gas (`finite-wasm/src/gas/mod.rs` + `gas/optimize.rs`): every instruction is a table entry
//   with a fee and a kind (pure, before/after control flow, unreachable, linear); entries are
//   merged at equal offsets and then across pure runs, so a charge covers a straight run of
//   instructions up to and including the next branch, call, load/store or other instruction
//   that may trap. Charges are made before the run executes. Fees (`SimpleGasCostCfg`): `block`,
//   `else`, `end` 0; memory.grow/init/copy/fill and table.grow/init/copy/fill
//   `linear_op_base_cost + n × linear_op_unit_cost` (32 + n regular ops, n = the length operand);
//   every other instruction one regular op.
// - Stack (`finite-wasm/src/max_stack/*`): the largest operand stack the function can have, in
//   bytes (i32/f32 4, i64/f64 8, references 8; `call_indirect` does not pop its table index, as in
//   finite-wasm), and its frame: 64 + bytes of params and locals
//   (`SimpleMaxStackCfg::size_of_function_activation`).
import type { Body, ParsedModule } from './prepare';
import {
  F32,
  F64,
  FUNCREF,
  I32,
  I64,
  Reader,
  sizeOfValue,
  type ValType,
  WasmDecodeError,
} from './wasm-binary';
import { cvtResult, isLinear, loadType, mayTrap, newImmediates, OP, readOp } from './wasm-ops';

/** `wasm_linear_op_base_cost / wasm_regular_op_cost` (26,328,192 / 822,756). */
export const LINEAR_BASE_OPS = 32;

/** finite-wasm `InstrumentationKind` (the linear kinds are one, `Linear`). */
export enum Kind {
  Pure = 0,
  Unreachable = 1,
  Pre = 2,
  Post = 3,
  Between = 4,
  Linear = 5,
}

/** A gas charge made before the instruction at `offset` (module offset). */
export interface ChargePoint {
  offset: number;
  kind: Kind;
  /** Constant fee in regular ops. */
  ops: number;
  /** Plus one regular op per unit of the i32 length operand on top of the stack. */
  linear: boolean;
}

export interface FunctionAnalysis {
  /** 64 + bytes of params and locals. */
  frameSize: number;
  /** Largest operand stack, in bytes. */
  operandStack: number;
  /** block, loop and if instructions (dead code included). */
  blocks: number;
  /** Charges to make, in instruction order (unreachable and zero-fee entries removed). */
  points: ChargePoint[];
}

enum Target {
  Untaken = 0,
  Forward = 1,
  Loop = 2,
}

interface GasFrame {
  poly: boolean;
  target: Target;
  pre: number;
  post: number;
}

interface StackFrame {
  height: number;
  result: ValType | undefined;
  poly: boolean;
}

function mergeSamePoint(a: Kind, b: Kind): Kind {
  if (a === Kind.Unreachable || b === Kind.Unreachable) return Kind.Unreachable;
  if (a === Kind.Pure) return b;
  if (a === Kind.Pre) return b === Kind.Pre || b === Kind.Pure ? Kind.Pre : Kind.Between;
  if (a === Kind.Post) return b === Kind.Post || b === Kind.Pure ? Kind.Post : Kind.Between;
  return Kind.Between;
}

function mergeAcross(a: Kind, b: Kind): Kind | undefined {
  if (a === Kind.Pure && b === Kind.Pure) return Kind.Pure;
  if (a === Kind.Unreachable && b === Kind.Unreachable) return Kind.Unreachable;
  if (a === Kind.Post && b === Kind.Pre) return Kind.Between;
  if (a === Kind.Pure && b === Kind.Pre) return Kind.Pre;
  if (a === Kind.Post && b === Kind.Pure) return Kind.Post;
  return undefined;
}

/** finite-wasm `FunctionState::optimize_with`. */
function optimizeWith(
  points: ChargePoint[],
  merge: (a: ChargePoint, b: ChargePoint) => ChargePoint | undefined,
): ChargePoint[] {
  if (points.length === 0) return points;
  const out: ChargePoint[] = [];
  let prev = points[0];
  for (let i = 1; i < points.length; i++) {
    const merged = merge(prev, points[i]);
    if (merged) prev = merged;
    else {
      out.push(prev);
      prev = points[i];
    }
  }
  out.push(prev);
  return out;
}

/** finite-wasm `FunctionState::optimize`. */
export function optimize(points: ChargePoint[]): ChargePoint[] {
  const same = optimizeWith(points, (a, b) =>
    a.offset === b.offset && !a.linear && !b.linear
      ? {
          offset: a.offset,
          kind: mergeSamePoint(a.kind, b.kind),
          ops: a.ops + b.ops,
          linear: false,
        }
      : undefined,
  );
  return optimizeWith(same, (a, b) => {
    if (a.linear || b.linear) return undefined;
    const kind = mergeAcross(a.kind, b.kind);
    return kind === undefined
      ? undefined
      : { offset: a.offset, kind, ops: a.ops + b.ops, linear: false };
  });
}

/** Analyze one defined function of a module that passed validation. */
export function analyzeFunction(m: ParsedModule, body: Body): FunctionAnalysis {
  const type = m.types[body.typeIndex];
  const localTypes: ValType[] = [...type.params];
  for (const g of body.locals) for (let i = 0; i < g.count; i++) localTypes.push(g.type);
  let frameSize = 64;
  for (const t of localTypes) frameSize += sizeOfValue(t);

  // ---- gas (finite-wasm gas::Visitor)
  const raw: ChargePoint[] = [];
  let scheduled: { kind: Kind; ops: number } | undefined;
  const gasFrames: GasFrame[] = [];
  let gas: GasFrame = { poly: false, target: Target.Untaken, pre: 0, post: 0 };
  let offset = 0;
  const before = (kind: Kind, ops: number, linear = false): void => {
    raw.push({ offset, kind: gas.poly ? Kind.Unreachable : kind, ops, linear });
  };
  const after = (kind: Kind, ops: number): void => {
    scheduled = { kind, ops };
  };
  const pure = (ops: number): void => before(Kind.Pure, ops);
  const sideEffect = (ops: number): void => {
    before(Kind.Pre, ops);
    after(Kind.Post, 0);
  };
  const newGasFrame = (target: Target, pre = 0, post = 0): void => {
    gasFrames.push(gas);
    gas = { poly: gas.poly, target, pre, post };
  };
  const endGasFrame = (): void => {
    const parent = gasFrames.pop();
    if (parent) gas = parent;
  };
  const adjustTarget = (depth: number): void => {
    const frame = depth === 0 ? gas : gasFrames[gasFrames.length - depth];
    if (!frame) throw new WasmDecodeError('invalid branch depth');
    if (frame.target === Target.Untaken) frame.target = Target.Forward;
    else if (frame.target === Target.Loop) {
      raw[frame.post].kind = Kind.Post;
      raw[frame.pre].kind = Kind.Pre;
    }
  };
  const branch = (depth: number, unconditional: boolean): void => {
    sideEffect(1);
    adjustTarget(depth);
    if (unconditional) gas.poly = true;
  };

  // ---- operand stack (finite-wasm max_stack::Visitor)
  const operands: number[] = [];
  let size = 0;
  let maxSize = 0;
  const stackFrames: StackFrame[] = [];
  let frame: StackFrame = { height: 0, result: undefined, poly: false };
  const push = (t: ValType): void => {
    if (frame.poly) return;
    const s = sizeOfValue(t);
    operands.push(s);
    size += s;
    if (size > maxSize) maxSize = size;
  };
  const popMany = (n: number): void => {
    if (n === 0 || frame.poly) return;
    if (n > operands.length) throw new WasmDecodeError('operand stack underflow');
    for (let i = 0; i < n; i++) size -= operands.pop() as number;
  };
  const pop = (): void => popMany(1);
  const newStackFrame = (result: ValType | undefined): void => {
    stackFrames.push(frame);
    frame = { height: operands.length, result, poly: frame.poly };
  };
  const endStackFrame = (): StackFrame | undefined => {
    const parent = stackFrames.pop();
    if (!parent) return undefined;
    const ended = frame;
    frame = parent;
    popMany(operands.length - ended.height);
    return ended;
  };
  const call = (typeIndex: number): void => {
    const t = m.types[typeIndex];
    if (!t) throw new WasmDecodeError('unknown type');
    popMany(t.params.length);
    for (const r of t.results) push(r);
  };

  let blocks = 0;
  const imm = newImmediates();
  const r = new Reader(m.bytes, body.codeStart, body.end);
  while (!r.eof()) {
    offset = r.pos;
    if (scheduled) {
      raw.push({ offset, kind: scheduled.kind, ops: scheduled.ops, linear: false });
      scheduled = undefined;
    }
    const op = readOp(r, imm);
    switch (op) {
      case OP.unreachable:
        before(Kind.Pre, 1);
        after(Kind.Unreachable, 0);
        gas.poly = true;
        frame.poly = true;
        break;
      case OP.block:
      case OP.loop: {
        blocks++;
        if (op === OP.block) {
          pure(0);
          newGasFrame(Target.Untaken);
        } else {
          const pre = raw.length;
          before(Kind.Pure, 0);
          const post = raw.length; // the scheduled entry lands here
          after(Kind.Pure, 1);
          newGasFrame(Target.Loop, pre, post);
        }
        newStackFrame(imm.blockType);
        break;
      }
      case OP.if:
        blocks++;
        sideEffect(1);
        newGasFrame(Target.Forward);
        pop();
        newStackFrame(imm.blockType);
        break;
      case OP.else: {
        endGasFrame();
        newGasFrame(Target.Forward);
        sideEffect(0);
        const ended = endStackFrame();
        if (!ended) throw new WasmDecodeError('else without if');
        newStackFrame(ended.result);
        break;
      }
      case OP.end: {
        if (gas.target === Target.Forward) sideEffect(0);
        else pure(0);
        endGasFrame();
        const ended = endStackFrame();
        if (ended?.result !== undefined) push(ended.result);
        break;
      }
      case OP.br:
        branch(imm.index, true);
        frame.poly = true;
        break;
      case OP.brIf:
        branch(imm.index, false);
        pop();
        break;
      case OP.brTable:
        sideEffect(1);
        for (const t of imm.targets) adjustTarget(t);
        adjustTarget(imm.index);
        gas.poly = true;
        frame.poly = true;
        break;
      case OP.return:
        branch(gasFrames.length, true);
        frame.poly = true;
        break;
      case OP.call:
        sideEffect(1);
        call(m.funcTypes[imm.index]);
        break;
      case OP.callIndirect:
        sideEffect(1);
        call(imm.index); // finite-wasm leaves the table index on the stack
        break;
      case OP.drop:
        pure(1);
        pop();
        break;
      case OP.select:
      case OP.selectT:
        pure(1);
        popMany(2);
        break;
      case OP.localGet:
        pure(1);
        push(localTypes[imm.index]);
        break;
      case OP.localSet:
        pure(1);
        pop();
        break;
      case OP.localTee:
        pure(1);
        break;
      case OP.globalGet:
        pure(1);
        push(m.globals[imm.index]);
        break;
      case OP.globalSet:
        pure(1);
        pop();
        break;
      case OP.tableGet:
        sideEffect(1);
        pop();
        push(FUNCREF);
        break;
      case OP.tableSet:
        sideEffect(1);
        popMany(2);
        break;
      case OP.memorySize:
      case OP.tableSize:
        pure(1);
        push(I32);
        break;
      case OP.i32Const:
        pure(1);
        push(I32);
        break;
      case OP.i64Const:
        pure(1);
        push(I64);
        break;
      case OP.f32Const:
        pure(1);
        push(F32);
        break;
      case OP.f64Const:
        pure(1);
        push(F64);
        break;
      case OP.refNull:
      case OP.refFunc:
        pure(1);
        push(FUNCREF);
        break;
      case OP.nop:
      case OP.dataDrop:
      case OP.elemDrop:
        pure(1);
        break;
      default:
        if (isLinear(op)) {
          before(Kind.Linear, LINEAR_BASE_OPS, true);
          after(Kind.Post, 0);
          if (op === OP.tableGrow) {
            popMany(2);
            push(I32);
          } else if (op !== OP.memoryGrow) popMany(3);
        } else if (op >= 0x28 && op <= 0x35) {
          sideEffect(1);
          pop();
          push(loadType(op));
        } else if (op >= 0x36 && op <= 0x3e) {
          sideEffect(1);
          popMany(2);
        } else {
          if (mayTrap(op)) sideEffect(1);
          else pure(1);
          numeric(op, pop, popMany, push);
        }
    }
  }
  const points = optimize(raw).filter(
    (p) => p.kind !== Kind.Unreachable && (p.ops > 0 || p.linear),
  );
  return { frameSize, operandStack: maxSize, blocks, points };
}

/** Operand-stack effect of a numeric instruction (finite-wasm's instruction categories). */
function numeric(
  op: number,
  pop: () => void,
  popMany: (n: number) => void,
  push: (t: ValType) => void,
): void {
  if (op === 0x45 || op === 0x50 || op === OP.refIsNull) {
    pop(); // testop
    push(I32);
  } else if ((op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x66)) {
    popMany(2); // relop
    push(I32);
  } else if (
    (op >= 0x67 && op <= 0x69) ||
    (op >= 0x79 && op <= 0x7b) ||
    (op >= 0x8b && op <= 0x91) ||
    (op >= 0x99 && op <= 0x9f)
  ) {
    // unop: [t] -> [t]
  } else if (
    (op >= 0x6a && op <= 0x78) ||
    (op >= 0x7c && op <= 0x8a) ||
    (op >= 0x92 && op <= 0x98) ||
    (op >= 0xa0 && op <= 0xa6)
  ) {
    pop(); // binop: [t t] -> [t]
  } else {
    const result = cvtResult(op);
    if (result === undefined) throw new WasmDecodeError(`unexpected opcode 0x${op.toString(16)}`);
    pop();
    push(result);
  }
}
