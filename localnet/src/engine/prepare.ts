// Contract preparation as nearcore does it at protocol 86 (nearcore 2.13, `vm_kind: Wasmtime`):
// `runtime/near-vm-runner/src/prepare/prepare_v3.rs` (`PrepareContext::run`, checks in section
// order), the feature set of `features.rs` (`WasmFeatures`), the limits of
// `core/parameters/res/runtime_configs` and the per-function checks nearcore's
// `prepare/instrument_v3.rs` (`InstrumentContext`) makes after finite-wasm's analysis.
//
// `prepareContract(bytes)` returns the decoded module with each function's analysis (frame size,
// operand stack, gas charge points: `wasm-gas.ts`), or throws `PrepareFailure` whose `error` is the
// nearcore `PrepareError` variant a call of this code fails with:
// `FunctionCallError::CompilationError(CompilationError::PrepareError(error))`.
// nearcore prepares on deploy but the deploy itself succeeds; the error surfaces on every call.
//
// Checks, in nearcore's order (Deserialization = not a valid module under the features below):
//   header and section order                              Deserialization
//   type section: more than 1,024 types                   TooManyTypes
//   imports: module other than `env`                      Instantiate
//            function imports count towards 10,000        TooManyFunctions
//            table or global import                       Instantiate
//            memory import (even `env.memory`)            Memory
//   tables: more than 1                                   TooManyTables
//           initial size above 10,000                     TooManyTableElements
//   memory: the module's own memory is dropped (any valid size; > 65,536 pages is Deserialization)
//   code: imported + defined functions above 10,000       TooManyFunctions
//         a body above 196,608 bytes                      FunctionBodyTooLarge
//         declared locals above 1,000,000 per contract    TooManyLocals
//   whole-module validation                               Deserialization
//   per function, after analysis: params above 64         TooManyParamsPerFunction
//         params above 50,000 per contract                TooManyParamsPerContract
//         operand stack above 8,192 bytes                 OperandStackTooLarge
//         block/loop/if above 5,000                       TooManyBlocksPerFunction
//         block/loop/if above 50,000 per contract         TooManyBlocksPerContract
// Features: sign extension, saturating float-to-int, bulk memory and reference types are enabled
// (84.yaml `reftypes_bulk_memory`); multi-value, SIMD, threads, tail calls, exceptions, GC, typed
// function references, multi-memory, memory64 and extended constants are not.
// Not modelled: `InstrumentedCodeTooLarge` (nearcore's instrumented module above 16 MiB; localnet's
// instrumentation differs in size, and a 4 MiB contract stays far below it), and the order of errors
// when a module is both invalid and over a limit in a later section (whole-module validation runs
// after localnet's section pass instead of section by section).
import type { PrepareErrorName } from '../host/errors';
import { analyzeFunction, type FunctionAnalysis } from './wasm-analysis';
import { Reader, type SectionRange, type ValType, WasmDecodeError } from './wasm-binary';
import { newImmediates, readOp } from './wasm-ops';

export type { PrepareErrorName };

/** nearcore's limits at protocol 86 (`parameters.snap`). */
export const LIMITS = {
  maxContractSize: 4_194_304,
  initialMemoryPages: 1024,
  maxMemoryPages: 2048,
  maxStackHeight: 262_144,
  maxFunctions: 10_000,
  maxLocals: 1_000_000,
  maxTables: 1,
  maxTableElements: 10_000,
  maxFunctionBodySize: 196_608,
  maxTypes: 1024,
  maxParamsPerFunction: 64,
  maxParamsPerContract: 50_000,
  maxBlocksPerFunction: 5000,
  maxBlocksPerContract: 50_000,
  maxOperandStackBytesPerFunction: 8192,
} as const;

/** The code cannot be prepared: calls fail with `CompilationError.PrepareError(error)`. */
export class PrepareFailure extends Error {
  constructor(
    readonly error: PrepareErrorName,
    readonly detail: string,
  ) {
    super(`CompilationError(PrepareError(${error})): ${detail}`);
    this.name = 'PrepareFailure';
  }
}

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Export {
  name: string;
  kind: number;
  index: number;
}

/** One defined function's body. */
export interface Body {
  typeIndex: number;
  /** Offsets in the module: the body (local declarations first), its first instruction, its end. */
  start: number;
  codeStart: number;
  end: number;
  /** Declared local groups (params not included). */
  locals: { count: number; type: ValType }[];
}

/** A decoded module that passed nearcore's checks. */
export interface ParsedModule {
  bytes: Uint8Array;
  /** Non-custom sections in order. */
  sections: SectionRange[];
  types: FuncType[];
  /** Imported functions (all from `env`). */
  imports: { name: string; typeIndex: number }[];
  /** Type index of every function, imports first. */
  funcTypes: number[];
  /** Types of the globals (all defined: global imports are rejected). */
  globals: ValType[];
  /** Element types of the tables (all defined). */
  tables: ValType[];
  exports: Export[];
  start?: number;
  bodies: Body[];
}

/** A prepared contract: the module and the analysis of each defined function. */
export interface PreparedContract {
  module: ParsedModule;
  functions: FunctionAnalysis[];
}

const SECTION_ORDER: Record<number, number> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  6: 6,
  7: 7,
  8: 8,
  9: 9,
  12: 10,
  10: 11,
  11: 12,
};

/** Whole-module validation (the engine's own validator; features are checked by `readOp`). */
function validates(bytes: Uint8Array): boolean {
  try {
    return WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}

/** Parse a constant expression; extended constants (i32.add, ...) are not enabled. */
function constExpr(r: Reader): void {
  const imm = newImmediates();
  for (;;) {
    const op = readOp(r, imm);
    if (op === 0x0b) return;
    if (
      op !== 0x41 &&
      op !== 0x42 &&
      op !== 0x43 &&
      op !== 0x44 &&
      op !== 0xd0 &&
      op !== 0xd2 &&
      op !== 0x23
    ) {
      throw new WasmDecodeError('constant expression required');
    }
  }
}

/** Decode and check `bytes` as nearcore's `PrepareContext::run` does (see the top of this file). */
export function parseModule(bytes: Uint8Array): ParsedModule {
  const fail = (error: PrepareErrorName, detail: string): never => {
    throw new PrepareFailure(error, detail);
  };
  const m: ParsedModule = {
    bytes,
    sections: [],
    types: [],
    imports: [],
    funcTypes: [],
    globals: [],
    tables: [],
    exports: [],
    bodies: [],
  };
  try {
    const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    if (bytes.length < 8 || header.some((b, i) => bytes[i] !== b)) {
      throw new WasmDecodeError('not a wasm module (magic or version)');
    }
    const r = new Reader(bytes, 8);
    let last = 0;
    let functionLimit: number = LIMITS.maxFunctions;
    let localLimit: number = LIMITS.maxLocals;
    let memories = 0;
    const defined: number[] = [];
    let codeCount = -1;
    while (!r.eof()) {
      const id = r.byte();
      const size = r.u32();
      const start = r.pos;
      r.skip(size);
      const s = new Reader(bytes, start, start + size);
      if (id === 0) {
        s.name(); // custom section (ignored)
        continue;
      }
      const order = SECTION_ORDER[id];
      if (order === undefined) {
        throw new WasmDecodeError(
          id === 13 ? 'exceptions support is not enabled' : `unknown section ${id}`,
        );
      }
      if (order <= last) throw new WasmDecodeError(`section ${id} out of order`);
      last = order;
      m.sections.push({ id, start, end: start + size });
      switch (id) {
        case 1: {
          const n = s.u32();
          if (n > LIMITS.maxTypes)
            fail('TooManyTypes', `${n} types, the limit is ${LIMITS.maxTypes}`);
          for (let i = 0; i < n; i++) {
            const form = s.byte();
            if (form !== 0x60) throw new WasmDecodeError('only function types (GC is not enabled)');
            const params = Array.from({ length: s.u32() }, () => s.valType());
            const results = Array.from({ length: s.u32() }, () => s.valType());
            if (results.length > 1) {
              throw new WasmDecodeError('multiple results (multi-value is not enabled)');
            }
            m.types.push({ params, results });
          }
          break;
        }
        case 2: {
          // Validated first (wasmparser), then transformed (`transform_import_section`).
          const imports: { module: string; name: string; kind: number; typeIndex: number }[] = [];
          const n = s.u32();
          for (let i = 0; i < n; i++) {
            const module = s.name();
            const name = s.name();
            const kind = s.byte();
            let typeIndex = 0;
            if (kind === 0) {
              typeIndex = s.u32();
              if (typeIndex >= m.types.length) throw new WasmDecodeError('unknown type');
            } else if (kind === 1) {
              s.refType();
              s.limits(0xffff_ffff);
            } else if (kind === 2) {
              s.limits(65_536);
              if (++memories > 1) throw new WasmDecodeError('multi-memory support is not enabled');
            } else if (kind === 3) {
              s.valType();
              if (s.byte() > 1) throw new WasmDecodeError('malformed mutability');
            } else {
              throw new WasmDecodeError('tag imports (exceptions are not enabled)');
            }
            imports.push({ module, name, kind, typeIndex });
          }
          for (const imp of imports) {
            const what = `import ${imp.module}.${imp.name}`;
            if (imp.module !== 'env') fail('Instantiate', `${what}: only env imports are allowed`);
            if (imp.kind === 0) {
              if (--functionLimit < 0) {
                fail('TooManyFunctions', `more than ${LIMITS.maxFunctions} functions`);
              }
              m.imports.push({ name: imp.name, typeIndex: imp.typeIndex });
              m.funcTypes.push(imp.typeIndex);
            } else if (imp.kind === 2) {
              fail('Memory', `${what}: contracts may not import memory`);
            } else {
              fail('Instantiate', `${what}: only function imports are allowed`);
            }
          }
          break;
        }
        case 3: {
          const n = s.u32();
          for (let i = 0; i < n; i++) {
            const t = s.u32();
            if (t >= m.types.length) throw new WasmDecodeError('unknown type');
            defined.push(t);
            m.funcTypes.push(t);
          }
          break;
        }
        case 4: {
          const n = s.u32();
          const initial: number[] = [];
          for (let i = 0; i < n; i++) {
            if (s.peek() === 0x40) throw new WasmDecodeError('table initializers are not enabled');
            m.tables.push(s.refType());
            initial.push(s.limits(0xffff_ffff).min);
          }
          if (n > LIMITS.maxTables)
            fail('TooManyTables', `${n} tables, the limit is ${LIMITS.maxTables}`);
          for (const min of initial) {
            if (min > LIMITS.maxTableElements) {
              fail(
                'TooManyTableElements',
                `a table of ${min} elements, the limit is ${LIMITS.maxTableElements}`,
              );
            }
          }
          break;
        }
        case 5: {
          const n = s.u32();
          for (let i = 0; i < n; i++) s.limits(65_536);
          memories += n;
          if (memories > 1) throw new WasmDecodeError('multi-memory support is not enabled');
          break;
        }
        case 6: {
          const n = s.u32();
          for (let i = 0; i < n; i++) {
            m.globals.push(s.valType());
            if (s.byte() > 1) throw new WasmDecodeError('malformed mutability');
            constExpr(s);
          }
          break;
        }
        case 7: {
          const n = s.u32();
          const names = new Set<string>();
          for (let i = 0; i < n; i++) {
            const name = s.name();
            const kind = s.byte();
            if (kind > 3) throw new WasmDecodeError('tag exports (exceptions are not enabled)');
            if (names.has(name)) throw new WasmDecodeError(`duplicate export ${name}`);
            names.add(name);
            m.exports.push({ name, kind, index: s.u32() });
          }
          break;
        }
        case 8:
          m.start = s.u32();
          break;
        case 9: {
          const n = s.u32();
          for (let i = 0; i < n; i++) {
            const flags = s.u32();
            if (flags > 7) throw new WasmDecodeError('malformed element segment');
            if (flags === 2 || flags === 6) s.u32(); // table index
            if ((flags & 1) === 0) constExpr(s); // active: offset
            if (flags & 4) {
              if (flags & 3) s.refType();
              const k = s.u32();
              for (let j = 0; j < k; j++) constExpr(s);
            } else {
              if (flags & 3 && s.byte() !== 0x00)
                throw new WasmDecodeError('malformed element kind');
              const k = s.u32();
              for (let j = 0; j < k; j++) s.u32();
            }
          }
          break;
        }
        case 12:
          s.u32();
          break;
        case 10: {
          const n = s.u32();
          functionLimit -= n;
          if (functionLimit < 0)
            fail('TooManyFunctions', `more than ${LIMITS.maxFunctions} functions`);
          if (n !== defined.length)
            throw new WasmDecodeError('function and code section counts differ');
          codeCount = n;
          const imm = newImmediates();
          for (let i = 0; i < n; i++) {
            const size = s.u32();
            const bodyStart = s.pos;
            s.skip(size);
            if (size > LIMITS.maxFunctionBodySize) {
              fail(
                'FunctionBodyTooLarge',
                `function ${m.imports.length + i} has a ${size}-byte body, the limit is ${LIMITS.maxFunctionBodySize}`,
              );
            }
            const b = new Reader(bytes, bodyStart, bodyStart + size);
            const groups = b.u32();
            const raw: { count: number; type: number }[] = [];
            for (let g = 0; g < groups; g++) {
              const count = b.u32();
              const type = b.byte();
              if (type === 0x63 || type === 0x64) b.sleb(33); // (ref null? ht): rejected below
              localLimit -= count;
              if (localLimit < 0) fail('TooManyLocals', `more than ${LIMITS.maxLocals} locals`);
              raw.push({ count, type });
            }
            const locals = raw.map(({ count, type }) => {
              const t = new Reader(Uint8Array.of(type)).valType();
              return { count, type: t };
            });
            const codeStart = b.pos;
            while (!b.eof()) readOp(b, imm); // disabled features and malformed instructions
            m.bodies.push({
              typeIndex: defined[i],
              start: bodyStart,
              codeStart,
              end: bodyStart + size,
              locals,
            });
          }
          break;
        }
        case 11: {
          const n = s.u32();
          for (let i = 0; i < n; i++) {
            const flags = s.u32();
            if (flags === 2 && s.u32() !== 0)
              throw new WasmDecodeError('multi-memory support is not enabled');
            if (flags > 2) throw new WasmDecodeError('malformed data segment');
            if (flags !== 1) constExpr(s);
            s.skip(s.u32());
          }
          break;
        }
      }
      if (!s.eof()) throw new WasmDecodeError(`section ${id} has trailing bytes`);
    }
    if (defined.length > 0 && codeCount < 0) throw new WasmDecodeError('missing code section');
  } catch (err) {
    if (err instanceof WasmDecodeError) fail('Deserialization', err.message);
    throw err;
  }
  if (!validates(bytes)) fail('Deserialization', 'the module does not validate');
  return m;
}

/** Parse, validate and analyze a contract as nearcore prepares it (see the top of this file). */
export function prepareContract(bytes: Uint8Array): PreparedContract {
  const module = parseModule(bytes);
  const functions: FunctionAnalysis[] = [];
  let params = 0;
  let blocks = 0;
  module.bodies.forEach((body, i) => {
    const index = module.imports.length + i;
    let a: FunctionAnalysis;
    try {
      a = analyzeFunction(module, body);
    } catch (err) {
      if (err instanceof WasmDecodeError) throw new PrepareFailure('Deserialization', err.message);
      throw err;
    }
    const n = module.types[body.typeIndex].params.length;
    if (n > LIMITS.maxParamsPerFunction) {
      throw new PrepareFailure('TooManyParamsPerFunction', `function ${index} has ${n} params`);
    }
    params += n;
    if (params > LIMITS.maxParamsPerContract) {
      throw new PrepareFailure(
        'TooManyParamsPerContract',
        `more than ${LIMITS.maxParamsPerContract} params`,
      );
    }
    if (a.operandStack > LIMITS.maxOperandStackBytesPerFunction) {
      throw new PrepareFailure(
        'OperandStackTooLarge',
        `function ${index} needs ${a.operandStack} operand stack bytes, the limit is ${LIMITS.maxOperandStackBytesPerFunction}`,
      );
    }
    if (a.blocks > LIMITS.maxBlocksPerFunction) {
      throw new PrepareFailure(
        'TooManyBlocksPerFunction',
        `function ${index} has ${a.blocks} blocks`,
      );
    }
    blocks += a.blocks;
    if (blocks > LIMITS.maxBlocksPerContract) {
      throw new PrepareFailure(
        'TooManyBlocksPerContract',
        `more than ${LIMITS.maxBlocksPerContract} blocks`,
      );
    }
    functions.push(a);
  });
  return { module, functions };
}
