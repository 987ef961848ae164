// Metering for the wasm engine, as nearcore meters a contract at protocol 86 (Wasmtime:
// `prepare_v3.rs::prepare_contract` runs finite-wasm's analysis and `instrument_v3.rs`'s
// `InstrumentContext` rewrites the module; the charges land in `logic.rs` `finite_wasm_gas` /
// `finite_wasm_stack`). `instrument(prepared)` rewrites a prepared contract (`prepare.ts`) so it
// meters itself, with the charges finite-wasm computed (`wasm-analysis.ts`):
//
// - Gas: an exported mutable i64 global, `GAS_GLOBAL_EXPORT`, holds the regular ops the call may
//   still pay for. Before each charge point the fee is subtracted (block/else/end free, every other
//   instruction one op, bulk and grow instructions 32 + n ops); a negative counter traps, which the
//   engine reports as GasExceeded after charging the fee (nearcore: `finite_wasm_gas`).
// - Frames: each function entry first takes `frame + max operand stack` bytes from a second global,
//   `STACK_GLOBAL_EXPORT` (262,144 = `max_stack_height` per call); going below zero traps, which the
//   engine reports as nearcore's `HostError::MemoryAccessViolation` (`finite_wasm_stack_exhausted`).
//   It then pays `ceil(frame / 8)` ops (`finite_wasm_stack`: `(frame_size + 7) / 8 × regular_op_cost`).
//   The body is wrapped in a block so that `return`, a branch to the function label and the final
//   `end` all give the bytes back before leaving, as `InstrumentContext::transform_code_section`.
// - Memory: the module's memory section and memory exports are dropped and `env.memory` is imported
//   with 1,024 initial and 2,048 maximum pages (`PrepareContext::memory_type`); data segments go
//   into it, so `memory.size` starts at 1,024. The import is declared shared unless `instrument` is
//   told otherwise: the contract cannot tell (prepare rejects the atomics, the only instructions
//   that differ, and drops memory exports), but V8 can, see `wasm.ts` for why the engine wants it.
// - The start function is exported as `START_EXPORT` instead, so the engine runs it metered after
//   setting the counter (nearcore exports it as `START_EXPORT` too).
import { LIMITS, type PreparedContract, prepareContract } from './prepare';
import { type ChargePoint, Kind, LINEAR_BASE_OPS } from './wasm-analysis';
import { encodeModule, encodeName, I32, Reader, sleb, uleb } from './wasm-binary';
import { newImmediates, OP, readOp } from './wasm-ops';

/** Exported counter: regular ops the call may still execute. */
export const GAS_GLOBAL_EXPORT = '__localnet_gas_left';
/** Exported stack budget: bytes of frames and operand stacks still available. */
export const STACK_GLOBAL_EXPORT = '__localnet_stack_left';
/** The module's start function, exported so the engine can run it metered. */
export const START_EXPORT = '__localnet_start';
/** Names the engine never resolves as methods. */
export const INTERNAL_EXPORTS: ReadonlySet<string> = new Set([
  GAS_GLOBAL_EXPORT,
  STACK_GLOBAL_EXPORT,
  START_EXPORT,
]);
/** nearcore's max_memory_pages. */
export const MAX_MEMORY_PAGES = LIMITS.maxMemoryPages;
/** nearcore's initial_memory_pages. */
export const INITIAL_MEMORY_PAGES = LIMITS.initialMemoryPages;

/** The instrumentation itself failed (a bug, not a property of the contract). */
export class WasmInstrumentError extends Error {
  constructor(message: string) {
    super(`E_WASM_INSTRUMENT: ${message}`);
    this.name = 'WasmInstrumentError';
  }
}

/** The rewritten module and what the engine needs to call it. */
export interface InstrumentedModule {
  bytes: Uint8Array<ArrayBuffer>;
  /** Exported functions: name → true when the signature is `() -> ()` (callable as a method). */
  methods: Map<string, boolean>;
  /** Imported host functions (all `env`). */
  imports: string[];
  hasStart: boolean;
}

/** `g -= ops; if g < 0 { unreachable }`. */
function constantCharge(out: number[], gas: number[], ops: number): void {
  out.push(0x23, ...gas, 0x42, ...sleb(ops), 0x7d, 0x24, ...gas);
  out.push(0x23, ...gas, 0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b);
}

/** `n` is on top of the stack: `g -= n + 32; if g < 0 { unreachable }` (n stays). */
function linearCharge(out: number[], gas: number[], tmp: number[]): void {
  out.push(0x22, ...tmp, 0x23, ...gas, 0x20, ...tmp, 0xad, 0x42, ...sleb(LINEAR_BASE_OPS), 0x7c);
  out.push(0x7d, 0x24, ...gas);
  out.push(0x23, ...gas, 0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b);
}

/**
 * Rewrite a prepared contract (see the top of this file); `sharedMemory` declares the imported
 * memory shared (the engine must then pass a `shared: true` memory).
 */
export function instrument(prepared: PreparedContract, sharedMemory = true): InstrumentedModule {
  const { module: m } = prepared;
  const bytes = m.bytes;
  const payload = (id: number): Uint8Array | undefined => {
    const s = m.sections.find((x) => x.id === id);
    return s ? bytes.subarray(s.start, s.end) : undefined;
  };
  const gasIndex = m.globals.length;
  const stackIndex = gasIndex + 1;
  const gas = uleb(gasIndex);
  const stack = uleb(stackIndex);
  const sections: { id: number; payload: Uint8Array }[] = [];
  const add = (id: number, data: number[] | Uint8Array): void => {
    sections.push({ id, payload: data instanceof Uint8Array ? data : Uint8Array.from(data) });
  };

  const types = payload(1);
  if (types) add(1, types);
  // imports: the env functions, then env.memory (1,024 .. 2,048 pages; limits flag 0x03 = shared
  // with a maximum, 0x01 = a maximum)
  const imports: number[] = [...uleb(m.imports.length + 1)];
  for (const imp of m.imports)
    imports.push(...encodeName('env'), ...encodeName(imp.name), 0x00, ...uleb(imp.typeIndex));
  imports.push(...encodeName('env'), ...encodeName('memory'), 0x02, sharedMemory ? 0x03 : 0x01);
  imports.push(...uleb(LIMITS.initialMemoryPages), ...uleb(LIMITS.maxMemoryPages));
  add(2, imports);
  const funcs = payload(3);
  if (funcs) add(3, funcs);
  const tables = payload(4);
  if (tables) add(4, tables);
  // globals: the module's, then the gas counter and the stack budget
  const globalSection = payload(6);
  const globals: number[] = [...uleb(m.globals.length + 2)];
  const globalParts: Uint8Array[] = [];
  if (globalSection) {
    const r = new Reader(globalSection);
    r.u32();
    globalParts.push(globalSection.subarray(r.pos));
  }
  const newGlobals = [
    0x7e,
    0x01,
    0x42,
    0x00,
    0x0b,
    0x7e,
    0x01,
    0x42,
    ...sleb(LIMITS.maxStackHeight),
    0x0b,
  ];
  add(6, Buffer.concat([Uint8Array.from(globals), ...globalParts, Uint8Array.from(newGlobals)]));
  // exports: the module's minus memories, plus the counters and the start function
  const kept = m.exports.filter((e) => e.kind !== 2);
  const internal: { name: string; kind: number; index: number }[] = [
    { name: GAS_GLOBAL_EXPORT, kind: 3, index: gasIndex },
    { name: STACK_GLOBAL_EXPORT, kind: 3, index: stackIndex },
  ];
  if (m.start !== undefined) internal.push({ name: START_EXPORT, kind: 0, index: m.start });
  for (const e of internal) {
    if (kept.some((x) => x.name === e.name)) {
      throw new WasmInstrumentError(`the contract exports ${e.name}, a name localnet reserves`);
    }
  }
  const exportBytes: number[] = [...uleb(kept.length + internal.length)];
  for (const e of [...kept, ...internal])
    exportBytes.push(...encodeName(e.name), e.kind, ...uleb(e.index));
  add(7, exportBytes);
  for (const id of [9, 12]) {
    const p = payload(id);
    if (p) add(id, p);
  }
  // code
  const code: Uint8Array[] = [Uint8Array.from(uleb(m.bodies.length))];
  for (let i = 0; i < m.bodies.length; i++) {
    const f = instrumentBody(prepared, i, gas, stack);
    code.push(Uint8Array.from(uleb(f.length)), f);
  }
  if (m.bodies.length > 0) add(10, Buffer.concat(code));
  const data = payload(11);
  if (data) add(11, data);

  const methods = new Map<string, boolean>();
  for (const e of kept) {
    if (e.kind !== 0) continue;
    const t = m.types[m.funcTypes[e.index]];
    methods.set(e.name, t.params.length === 0 && t.results.length === 0);
  }
  return {
    bytes: encodeModule(sections),
    methods,
    imports: m.imports.map((x) => x.name),
    hasStart: m.start !== undefined,
  };
}

function instrumentBody(
  prepared: PreparedContract,
  i: number,
  gas: number[],
  stack: number[],
): Uint8Array {
  const { module: m } = prepared;
  const body = m.bodies[i];
  const a = prepared.functions[i];
  const type = m.types[body.typeIndex];
  const bytes = m.bytes;
  const points: ChargePoint[] = a.points;
  const hasLinear = points.some((p) => p.linear);
  let localCount = type.params.length;
  for (const g of body.locals) localCount += g.count;
  const tmp = uleb(localCount);

  const out: number[] = [];
  const groups = body.locals.length + (hasLinear ? 1 : 0);
  out.push(...uleb(groups));
  for (const g of body.locals) out.push(...uleb(g.count), g.type);
  if (hasLinear) out.push(1, I32);

  // stack: take frame + operand stack, trap when the budget goes negative
  const charge = a.frameSize + a.operandStack;
  out.push(0x23, ...stack, 0x42, ...sleb(charge), 0x7d, 0x24, ...stack);
  out.push(0x23, ...stack, 0x42, 0x00, 0x53, 0x04, 0x40, 0x00, 0x0b);
  // frame fee, merged into the first charge when it is a constant one at the first instruction
  const frameOps = Math.ceil(a.frameSize / 8);
  let p = 0;
  const first = points[0];
  if (
    first &&
    first.offset === body.codeStart &&
    !first.linear &&
    first.kind !== Kind.Unreachable
  ) {
    constantCharge(out, gas, frameOps + first.ops);
    p = 1;
  } else {
    constantCharge(out, gas, frameOps);
  }
  out.push(0x02, type.results.length === 0 ? 0x40 : type.results[0]);
  const unstack = (): void => {
    out.push(0x23, ...stack, 0x42, ...sleb(charge), 0x7c, 0x24, ...stack);
  };

  const imm = newImmediates();
  const r = new Reader(bytes, body.codeStart, body.end);
  while (!r.eof()) {
    const offset = r.pos;
    while (p < points.length && points[p].offset === offset) {
      const point = points[p++];
      if (point.linear) linearCharge(out, gas, tmp);
      else constantCharge(out, gas, point.ops);
    }
    if (p < points.length && points[p].offset < offset) {
      throw new WasmInstrumentError(`charge point at ${points[p].offset} is not an instruction`);
    }
    const op = readOp(r, imm);
    if (op === OP.return) {
      unstack();
      out.push(0x0f);
    } else if (op === OP.end && r.eof()) {
      out.push(0x0b); // closes the wrapper block
      unstack();
      out.push(0x0b);
    } else {
      for (let k = offset; k < r.pos; k++) out.push(bytes[k]);
    }
  }
  return Uint8Array.from(out);
}

/** Prepare (nearcore's checks; throws `PrepareFailure`) and instrument a contract. */
export function instrumentForGas(original: Uint8Array): InstrumentedModule {
  return instrument(prepareContract(original));
}
