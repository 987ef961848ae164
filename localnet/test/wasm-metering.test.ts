// The wasm engine meters and prepares contracts as nearcore does at protocol 86 (prepare_v3 +
// finite-wasm, Wasmtime). Every module here is written as bytes by the small builder below, and
// every gas figure is computed from nearcore's rules in the test:
// - each instruction costs one regular op (822,756 gas), except block, else and end (free);
// - each function entry pays its frame, ceil((64 + bytes of params and locals) / 8) ops, with i32
//   and f32 4 bytes, i64, f64 and references 8;
// - memory.grow/fill/copy/init cost 32 + n ops;
// - a call also pays contract loading: 35,445,963 + 1,089,295 per byte of the code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WasmEngine } from '../src/engine/wasm';
import { instrumentForGas } from '../src/engine/wasm-gas';
import { HostContext } from '../src/host/context';
import { type FunctionCallErrorKind, functionCallErrorJson, HostError } from '../src/host/errors';
import { EXT } from '../src/host/gas';
import { InvalidTxError, Localnet } from '../src/index';
import { bareCallContext, emptyChain } from './support/call-context';

const TGAS = 1_000_000_000_000n;
const NEAR = 10n ** 24n;
const OP = 822_756n;
const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const FUNCREF = 0x70;

// ------------------------------------------------------------------ a tiny module builder

type Bytes = number[];

function leb(n: number): Bytes {
  const out: Bytes = [];
  let v = n;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function sleb(n: number): Bytes {
  const out: Bytes = [];
  let v = BigInt(n);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** Concatenate without spreading (some modules here are hundreds of kilobytes). */
function cat(...parts: Bytes[]): Bytes {
  const out: Bytes = [];
  for (const p of parts) for (const b of p) out.push(b);
  return out;
}

const str = (s: string): Bytes => cat(leb(Buffer.byteLength(s)), [...Buffer.from(s)]);
const vec = (items: Bytes[]): Bytes => cat(leb(items.length), ...items);
const section = (id: number, body: Bytes): Bytes => cat([id], leb(body.length), body);

interface Func {
  type: number;
  /** [count, type] groups. */
  locals?: [number, number][];
  /** Instructions, without the final `end`. */
  body: Bytes;
}

interface Spec {
  types: [Bytes, Bytes][];
  /** [module, name, description bytes (kind + type)]. */
  imports?: [string, string, Bytes][];
  funcs?: Func[];
  /** Raw table types, e.g. [FUNCREF, 0x00, 1]. */
  tables?: Bytes[];
  /** Raw memory limits, e.g. [0x00, 1]. */
  memory?: Bytes;
  /** [name, kind, index]. */
  exports?: [string, number, number][];
  /** Raw data segments. */
  data?: Bytes[];
}

function wasm(spec: Spec): Uint8Array {
  const funcs = spec.funcs ?? [];
  const parts: Bytes[] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  parts.push(
    section(
      1,
      vec(spec.types.map(([p, r]) => cat([0x60], vec(p.map((t) => [t])), vec(r.map((t) => [t]))))),
    ),
  );
  if (spec.imports) {
    parts.push(section(2, vec(spec.imports.map(([m, n, d]) => cat(str(m), str(n), d)))));
  }
  if (funcs.length) parts.push(section(3, vec(funcs.map((f) => leb(f.type)))));
  if (spec.tables) parts.push(section(4, vec(spec.tables)));
  if (spec.memory) parts.push(section(5, vec([spec.memory])));
  if (spec.exports) {
    parts.push(section(7, vec(spec.exports.map(([n, k, i]) => cat(str(n), [k], leb(i))))));
  }
  if (funcs.length) {
    const bodies = funcs.map((f) => {
      const b = cat(vec((f.locals ?? []).map(([n, t]) => cat(leb(n), [t]))), f.body, [0x0b]);
      return cat(leb(b.length), b);
    });
    parts.push(section(10, vec(bodies)));
  }
  if (spec.data) parts.push(section(11, vec(spec.data)));
  return Uint8Array.from(cat(...parts));
}

/** One exported method `run` of type () -> () with this body (plus extra functions). */
function method(
  body: Bytes,
  locals: [number, number][] = [],
  extra: Partial<Spec> = {},
): Uint8Array {
  return wasm({
    types: [[[], []], ...(extra.types ?? [])],
    funcs: [{ type: 0, locals, body }, ...(extra.funcs ?? [])],
    exports: [['run', 0, 0]],
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'types' && k !== 'funcs')),
  });
}

// instructions
const i32c = (n: number): Bytes => cat([0x41], sleb(n));
const i64c = (n: number): Bytes => cat([0x42], sleb(n));
const call = (f: number): Bytes => cat([0x10], leb(f));
const localGet = (i: number): Bytes => cat([0x20], leb(i));
const localSet = (i: number): Bytes => cat([0x21], leb(i));
const localTee = (i: number): Bytes => cat([0x22], leb(i));
const NOP = [0x01];
const DROP = [0x1a];
const END = [0x0b];
const ELSE = [0x05];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const RETURN = [0x0f];
const brIf = (d: number): Bytes => cat([0x0d], leb(d));
const i32Store = [0x36, 0x02, 0x00];
const i32Load = [0x28, 0x02, 0x00];
const memorySize = [0x3f, 0x00];
const memoryGrow = [0x40, 0x00];
/** env.value_return(len: i64, ptr: i64), as import 0 of type 1. */
const VALUE_RETURN: [string, string, Bytes] = ['env', 'value_return', [0x00, 1]];
const TYPE_I64_I64: [Bytes, Bytes] = [[I64, I64], []];

// ------------------------------------------------------------------ running a method

const context = bareCallContext;
const chainView = emptyChain;

let moduleCounter = 0;

/** Run `name` of `bytes` on a fresh engine call; host errors stay on the returned host. */
function run(bytes: Uint8Array, name = 'run', prepaidGas?: bigint): HostContext {
  const host = new HostContext(context(prepaidGas), chainView);
  const code = { kind: 'wasm' as const, hash: `metering-${moduleCounter++}`, bytes };
  try {
    new WasmEngine().run(code, name, host);
  } catch (err) {
    if (!(err instanceof HostError)) throw err;
  }
  return host;
}

function ok(host: HostContext): HostContext {
  if (host.fatalError) throw new Error(`call failed: ${host.fatalError.message}`);
  return host;
}

function failure(host: HostContext): FunctionCallErrorKind {
  if (!host.fatalError) throw new Error('expected the call to fail');
  return host.fatalError.kind;
}

const loading = (bytes: Uint8Array): bigint =>
  EXT.contractLoadingBase + EXT.contractLoadingBytes * BigInt(bytes.length);
/** Gas of a call that executed `ops` regular ops and no host function. */
const gasFor = (bytes: Uint8Array, ops: number): bigint => loading(bytes) + BigInt(ops) * OP;
/** nearcore's frame fee: ceil((64 + params and locals bytes) / 8) ops. */
const frameOps = (localBytes: number): number => Math.ceil((64 + localBytes) / 8);

function returned(host: HostContext): Uint8Array {
  ok(host);
  if (host.returnData.kind !== 'value') throw new Error('no value returned');
  return host.returnData.value;
}

const u32s = (bytes: Uint8Array): number[] =>
  Array.from({ length: bytes.length / 4 }, (_, i) => Buffer.from(bytes).readUInt32LE(i * 4));

// ------------------------------------------------------------------ (a) instruction costs

describe('instructions: one regular op each; block, else and end are free', () => {
  test('the regular op is 822,756 gas', () => {
    expect(EXT.regularOpCost).toBe(OP);
  });

  test('block and end cost nothing: nested empty blocks pay only the frame', () => {
    const bytes = method(cat(BLOCK, BLOCK, END, BLOCK, END, END));
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, frameOps(0)));
  });

  test('nop, const and drop cost one op each', () => {
    const bytes = method(cat(NOP, NOP, i32c(7), DROP, i64c(-1), DROP));
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, frameOps(0) + 6));
  });

  test('if/else: the taken arm is charged, else and end are free', () => {
    // i32.const 1, if, nop (then) | i32.const 0, if, nop (else)  = 6 ops
    const bytes = method(
      cat(BLOCK, i32c(1), IF, NOP, ELSE, NOP, NOP, END, i32c(0), IF, NOP, NOP, ELSE, NOP, END, END),
    );
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, frameOps(0) + 6));
  });

  test('loop costs one op per iteration, like every instruction in its body', () => {
    // local0 = 3; loop { local0 = local0 - 1 (tee); br_if 0 }: 2 ops, then 3 iterations of 6
    const body = cat(
      i32c(3),
      localSet(0),
      LOOP,
      localGet(0),
      i32c(1),
      [0x6b],
      localTee(0),
      brIf(0),
      END,
    );
    const bytes = method(body, [[1, I32]]);
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, frameOps(4) + 2 + 3 * 6));
  });

  test('an infinite loop burns exactly the prepaid gas (GasExceeded)', () => {
    const bytes = method(cat(LOOP, [0x0c, 0x00], END));
    const host = run(bytes, 'run', 5n * TGAS);
    expect(failure(host)).toEqual({ type: 'GasExceeded' });
    expect(host.burntGas).toBe(5n * TGAS);
  });

  test('a trap keeps the ops charged up to and including the trapping instruction', () => {
    // i32.const 1, i32.const 0, i32.div_u traps; the drop after it is in the next charge
    const bytes = method(cat(i32c(1), i32c(0), [0x6e], DROP, NOP, NOP));
    const host = run(bytes);
    expect(failure(host)).toEqual({ type: 'WasmTrap', trap: 'IllegalArithmetic' });
    expect(host.burntGas).toBe(gasFor(bytes, frameOps(0) + 3));
  });
});

// ------------------------------------------------------------------ (b) frames

describe('function entry pays ceil((64 + params and locals bytes) / 8) ops', () => {
  test.each([
    ['no locals', [], 0],
    ['one i32 (4 bytes)', [[1, I32]], 4],
    ['one i64 (8 bytes)', [[1, I64]], 8],
    ['five i32 (20 bytes, not 40)', [[5, I32]], 20],
    [
      'one f32 and two f64',
      [
        [1, F32],
        [2, F64],
      ],
      20,
    ],
    ['three funcref (8 bytes each)', [[3, FUNCREF]], 24],
    ['1,000 i32', [[1000, I32]], 4000],
  ] as [string, [number, number][], number][])('%s', (_name, locals, localBytes) => {
    const bytes = method(NOP, locals);
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, frameOps(localBytes) + 1));
  });

  test('params count like locals, and every call pays the callee frame again', () => {
    // $g(i32, i64) with one i64 local: frame 64 + 4 + 8 + 8 = 84 bytes, 11 ops, body nop
    const g: Func = { type: 1, locals: [[1, I64]], body: NOP };
    const callG = cat(i32c(0), i64c(0), call(1)); // 3 ops
    const bytes = method(cat(callG, callG), [], { types: [[[I32, I64], []]], funcs: [g] });
    const perCall = 3 + frameOps(4 + 8 + 8) + 1;
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, frameOps(0) + 2 * perCall));
  });
});

// ------------------------------------------------------------------ (c) the 256 KiB stack

describe('frames and operand stacks share a 262,144-byte budget per call', () => {
  // run: i64.const N, call $rec               frame 64, operand stack 8      → 72 bytes
  // $rec(n: i64): if n == 0 return; $rec(n-1)  frame 64 + 8, operand stack 16 → 88 bytes
  // so run plus F frames of $rec need 72 + 88 F ≤ 262,144: F ≤ 2,978, i.e. N ≤ 2,977.
  const rec: Func = {
    type: 1,
    body: cat(localGet(0), [0x50], IF, RETURN, END, localGet(0), i64c(1), [0x7d], call(1)),
  };
  const recursion = (n: number): Uint8Array =>
    method(cat(i64c(n), call(1)), [], { types: [[[I64], []]], funcs: [rec] });
  // ops: run 8 + 2; each $rec frame 9 (72 bytes) + 3 (local.get, i64.eqz, if); the deeper
  // ones 4 more (local.get, i64.const, i64.sub, call), the last one 1 (return)
  const recOps = (frames: number, lastReturns: boolean): number =>
    frameOps(0) +
    2 +
    frames * (frameOps(8) + 3) +
    (lastReturns ? (frames - 1) * 4 + 1 : frames * 4);

  test('2,978 frames fit', () => {
    const bytes = recursion(2977);
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, recOps(2978, true)));
  });

  test('the 2,979th frame fails with HostError MemoryAccessViolation, as nearcore', () => {
    const bytes = recursion(2978);
    const host = run(bytes);
    const kind = failure(host);
    expect(kind).toEqual({ type: 'MemoryAccessViolation' });
    expect(functionCallErrorJson(kind)).toEqual({ HostError: 'MemoryAccessViolation' });
    expect(host.fatalError?.message).toBe('Accessed memory outside the bounds.');
    // everything before the failing entry was charged; the failing frame paid nothing
    expect(host.burntGas).toBe(gasFor(bytes, recOps(2978, false)));
  });

  test('a self-call without locals or operands stops after 4,096 frames of 64 bytes', () => {
    // run: call 0 (itself), frame 64, operand stack 0: 4,096 × 64 = 262,144 fit exactly
    const bytes = method(call(0));
    const host = run(bytes);
    expect(failure(host)).toEqual({ type: 'MemoryAccessViolation' });
    expect(host.burntGas).toBe(gasFor(bytes, 4096 * (frameOps(0) + 1)));
  });

  test('returning gives the bytes back: sequential deep calls do not add up', () => {
    const twice = method(cat(i64c(2977), call(1), i64c(2977), call(1)), [], {
      types: [[[I64], []]],
      funcs: [rec],
    });
    expect(run(twice).fatalError).toBeUndefined();
  });
});

// ------------------------------------------------------------------ (d) memory

describe('memory: a fresh imported env.memory of 1,024 pages (max 2,048)', () => {
  // store(at, value) then value_return(len, 0)
  const store = (at: number, value: Bytes): Bytes => cat(i32c(at), value, i32Store);
  const ret = (len: number, ptr = 0): Bytes => cat(i64c(len), i64c(ptr), call(0));
  const memModule = (memory: Bytes, bodies: Record<string, Bytes>): Uint8Array => {
    const names = Object.keys(bodies);
    return wasm({
      types: [[[], []], TYPE_I64_I64],
      imports: [VALUE_RETURN],
      funcs: names.map((n) => ({ type: 0, body: bodies[n] })),
      memory,
      exports: [
        ['memory', 2, 0],
        ...names.map((n, i) => [n, 0, i + 1] as [string, number, number]),
      ],
      data: [cat([0x00], i32c(16), END, str('hello'))],
    });
  };
  const bytes = memModule([0x00, 0x01], {
    size: cat(store(0, memorySize), ret(4)),
    grow: cat(store(0, cat(i32c(1), memoryGrow)), store(4, memorySize), ret(8)),
    grow_too_far: cat(store(0, cat(i32c(1025), memoryGrow)), store(4, memorySize), ret(8)),
    data: ret(5, 16),
    last_word: cat(store(67_108_860, i32c(7)), store(0, cat(i32c(67_108_860), i32Load)), ret(4)),
    past_end: cat(store(67_108_864, i32c(7))),
    grow_gas: cat(i32c(3), memoryGrow, DROP),
    grown_page: cat(i32c(1), memoryGrow, DROP, store(67_108_864, i32c(9)), ret(4, 67_108_864)),
    poke: cat(store(100, i32c(5)), store(16, i32c(0x21212121))),
    peek: ret(4, 100),
  });

  test('preparation drops the module memory and its export and imports env.memory', () => {
    const module = new WebAssembly.Module(instrumentForGas(bytes).bytes);
    expect(WebAssembly.Module.imports(module)).toContainEqual({
      module: 'env',
      name: 'memory',
      kind: 'memory',
    });
    expect(WebAssembly.Module.exports(module).some((e) => e.kind === 'memory')).toBe(false);
  });

  test('memory.size is 1,024 (the module declared 1 page)', () => {
    expect(u32s(returned(run(bytes, 'size')))).toEqual([1024]);
  });

  test('memory.grow(1) returns 1,024 and the memory then has 1,025 pages', () => {
    expect(u32s(returned(run(bytes, 'grow')))).toEqual([1024, 1025]);
  });

  test('memory.grow beyond 2,048 pages fails (-1)', () => {
    expect(u32s(returned(run(bytes, 'grow_too_far')))).toEqual([0xffff_ffff, 1024]);
  });

  test('data segments are written into that memory', () => {
    expect(Buffer.from(returned(run(bytes, 'data'))).toString()).toBe('hello');
  });

  test('every call gets a fresh memory: the last word of page 1,024 is usable, past it traps', () => {
    expect(u32s(returned(run(bytes, 'last_word')))).toEqual([7]);
    expect(failure(run(bytes, 'past_end'))).toEqual({
      type: 'WasmTrap',
      trap: 'MemoryOutOfBounds',
    });
  });

  test('the host reads the pages the contract grew into', () => {
    expect(u32s(returned(run(bytes, 'grown_page')))).toEqual([9]);
  });

  test('the same code twice on one engine: stores and overwritten data do not outlive a call', () => {
    const engine = new WasmEngine();
    const code = { kind: 'wasm' as const, hash: `metering-${moduleCounter++}`, bytes };
    const call = (name: string): HostContext => {
      const host = new HostContext(context(), chainView);
      engine.run(code, name, host);
      return host;
    };
    ok(call('poke'));
    expect(u32s(returned(call('peek')))).toEqual([0]);
    expect(Buffer.from(returned(call('data'))).toString()).toBe('hello');
  });

  test('LOCALNET_WASM_MEMORY=unshared (a non-shared memory) gives the same outcomes and gas', () => {
    let Unshared: typeof WasmEngine = WasmEngine;
    const saved = process.env.LOCALNET_WASM_MEMORY;
    process.env.LOCALNET_WASM_MEMORY = 'unshared';
    try {
      jest.isolateModules(() => {
        Unshared = require('../src/engine/wasm').WasmEngine;
      });
    } finally {
      if (saved === undefined) delete process.env.LOCALNET_WASM_MEMORY;
      else process.env.LOCALNET_WASM_MEMORY = saved;
    }
    expect(Unshared).not.toBe(WasmEngine);
    const outcome = (Engine: typeof WasmEngine, name: string) => {
      const host = new HostContext(context(), chainView);
      const code = { kind: 'wasm' as const, hash: `metering-${moduleCounter++}`, bytes };
      try {
        new Engine().run(code, name, host);
      } catch (err) {
        if (!(err instanceof HostError)) throw err;
      }
      const value = host.returnData.kind === 'value' ? [...host.returnData.value] : undefined;
      return { burnt: host.burntGas, used: host.usedGas, failure: host.fatalError?.kind, value };
    };
    for (const name of [
      'size',
      'grow',
      'grow_too_far',
      'data',
      'last_word',
      'past_end',
      'grown_page',
    ]) {
      expect(outcome(Unshared, name)).toEqual(outcome(WasmEngine, name));
    }
  });

  test('memory.grow costs 32 + n ops', () => {
    // frame 8, i32.const 1, memory.grow(3) 32 + 3, drop 1
    expect(ok(run(bytes, 'grow_gas')).burntGas).toBe(gasFor(bytes, frameOps(0) + 1 + 32 + 3 + 1));
  });

  test('a declared memory above 2,048 pages is replaced too; above 65,536 is Deserialization', () => {
    const big = memModule([0x00, ...leb(4096)], { size: cat(store(0, memorySize), ret(4)) });
    expect(u32s(returned(run(big, 'size')))).toEqual([1024]);
    const invalid = memModule([0x00, ...leb(70_000)], { size: NOP });
    expect(failure(run(invalid, 'size'))).toEqual(
      expect.objectContaining({ error: 'Deserialization' }),
    );
  });
});

// ------------------------------------------------------------------ (e) preparation

describe('prepare_v3 rejections fail every call with CompilationError.PrepareError', () => {
  const empty = (n: number): Func[] => Array.from({ length: n }, () => ({ type: 0, body: [] }));
  const nops = (n: number): Bytes => new Array(n).fill(0x01);
  const blocks = (n: number): Bytes => {
    const out: Bytes = [];
    for (let i = 0; i < n; i++) out.push(0x02, 0x40, 0x0b);
    return out;
  };
  const params = (n: number): Bytes => new Array(n).fill(I32);

  const cases: [string, () => Uint8Array, string][] = [
    ['not wasm at all', () => Uint8Array.from([1, 2, 3, 4]), 'Deserialization'],
    [
      'an invalid body (i32.add on an empty stack)',
      () => method([0x6a, DROP[0]]),
      'Deserialization',
    ],
    ['multi-value (two results)', () => wasm({ types: [[[], [I32, I32]]] }), 'Deserialization'],
    ['SIMD (a v128 local)', () => method([], [[1, 0x7b]]), 'Deserialization'],
    [
      'SIMD (an 0xfd instruction)',
      () => method(cat(i32c(0), [0xfd, 0x0f], DROP)),
      'Deserialization',
    ],
    [
      'threads (a shared memory)',
      () => method([], [], { memory: [0x03, 1, 1] }),
      'Deserialization',
    ],
    ['tail calls (return_call)', () => method([0x12, 0x00]), 'Deserialization'],
    [
      'an import from another module',
      () => method([], [], { imports: [['wasi', 'fd_write', [0x00, 0]]] }),
      'Instantiate',
    ],
    [
      'a table import',
      () => method([], [], { imports: [['env', 't', [0x01, FUNCREF, 0x00, 1]]] }),
      'Instantiate',
    ],
    [
      'a global import',
      () => method([], [], { imports: [['env', 'g', [0x03, I32, 0x00]]] }),
      'Instantiate',
    ],
    [
      'a memory import (even env.memory)',
      () => method([], [], { imports: [['env', 'memory', [0x02, 0x00, 1]]] }),
      'Memory',
    ],
    [
      'two tables',
      () =>
        method([], [], {
          tables: [
            [FUNCREF, 0x00, 1],
            [FUNCREF, 0x00, 1],
          ],
        }),
      'TooManyTables',
    ],
    [
      'a table of 10,001 elements',
      () => method([], [], { tables: [[FUNCREF, 0x00, ...leb(10_001)]] }),
      'TooManyTableElements',
    ],
    [
      '10,001 functions',
      () => wasm({ types: [[[], []]], funcs: empty(10_001) }),
      'TooManyFunctions',
    ],
    [
      '10,000 imports and 1 function',
      () =>
        wasm({
          types: [[[], []]],
          imports: Array.from(
            { length: 10_000 },
            (_, i) => ['env', `f${i}`, [0x00, 0]] as [string, string, Bytes],
          ),
          funcs: empty(1),
        }),
      'TooManyFunctions',
    ],
    ['1,000,001 locals', () => method([], [[1_000_001, I32]]), 'TooManyLocals'],
    ['a 196,609-byte body', () => method(nops(196_607)), 'FunctionBodyTooLarge'],
    [
      '1,025 types',
      () => wasm({ types: Array.from({ length: 1025 }, () => [[], []] as [Bytes, Bytes]) }),
      'TooManyTypes',
    ],
    [
      'a function of 65 params',
      () => wasm({ types: [[params(65), []]], funcs: [{ type: 0, body: [] }] }),
      'TooManyParamsPerFunction',
    ],
    [
      '782 functions of 64 params (50,048)',
      () => wasm({ types: [[params(64), []]], funcs: empty(782) }),
      'TooManyParamsPerContract',
    ],
    [
      '8,200 bytes of operand stack',
      () =>
        method(
          cat(...Array.from({ length: 1025 }, () => i64c(0)), nops(0), new Array(1025).fill(0x1a)),
        ),
      'OperandStackTooLarge',
    ],
    ['5,001 blocks in a function', () => method(blocks(5001)), 'TooManyBlocksPerFunction'],
    [
      '11 functions of 5,000 blocks',
      () =>
        wasm({
          types: [[[], []]],
          funcs: Array.from({ length: 11 }, () => ({ type: 0, body: blocks(5000) })),
        }),
      'TooManyBlocksPerContract',
    ],
  ];

  test.each(cases.map(([name, build, error]) => [name, error, build] as const))(
    '%s: %s',
    (_name, error, build) => {
      const bytes = build();
      const host = run(bytes);
      const kind = failure(host);
      expect(kind).toMatchObject({ type: 'PrepareError', error });
      expect(functionCallErrorJson(kind)).toEqual({ CompilationError: { PrepareError: error } });
      expect(host.burntGas).toBe(0n); // nearcore aborts before loading the contract
    },
  );

  test.each([
    [
      '10,000 functions',
      () => wasm({ types: [[[], []]], funcs: empty(10_000), exports: [['run', 0, 0]] }),
    ],
    [
      'a table of 10,000 elements',
      () => method([], [], { tables: [[FUNCREF, 0x00, ...leb(10_000)]] }),
    ],
    ['a 196,608-byte body', () => method(nops(196_606))],
    [
      '1,024 types',
      () =>
        method([], [], { types: Array.from({ length: 1023 }, () => [[], []] as [Bytes, Bytes]) }),
    ],
    [
      '8,192 bytes of operand stack',
      () => method(cat(...Array.from({ length: 1024 }, () => i64c(0)), new Array(1024).fill(0x1a))),
    ],
    ['5,000 blocks', () => method(blocks(5000))],
    ['sign extension', () => method(cat(i32c(200), [0xc0], DROP))],
    ['saturating float-to-int', () => method(cat([0x43, 0, 0, 0x80, 0x7f], [0xfc, 0x00], DROP))],
    [
      'bulk memory',
      () => method(cat(i32c(0), i32c(1), i32c(100), [0xfc, 0x0b, 0x00]), [], { memory: [0x00, 1] }),
    ],
    [
      'reference types',
      () =>
        method(cat([0xd0, FUNCREF, 0xd1], DROP, [0xfc, 0x10, 0x00], DROP), [], {
          tables: [[FUNCREF, 0x00, 1]],
        }),
    ],
  ] as [string, () => Uint8Array][])('at the limit or an enabled feature: %s', (_name, build) => {
    expect(run(build()).fatalError).toBeUndefined();
  });

  test('memory.fill costs 32 + n ops (bulk memory is enabled at protocol 86)', () => {
    const bytes = method(cat(i32c(0), i32c(1), i32c(100), [0xfc, 0x0b, 0x00]), [], {
      memory: [0x00, 1],
    });
    expect(ok(run(bytes)).burntGas).toBe(gasFor(bytes, frameOps(0) + 3 + 32 + 100));
  });

  test('an env import localnet does not provide is a LinkError, after loading is charged', () => {
    const bytes = method([], [], {
      imports: [['env', 'no_such_function', [0x00, 0]]],
      exports: [['run', 0, 1]],
    });
    const host = run(bytes);
    const kind = failure(host);
    expect(functionCallErrorJson(kind)).toEqual({
      LinkError: { msg: 'unknown import: `env::no_such_function` has not been defined' },
    });
    expect(host.burntGas).toBe(loading(bytes));
  });

  test('method resolution: empty name, missing, and not () -> ()', () => {
    const bytes = wasm({
      types: [
        [[], []],
        [[I32], []],
      ],
      funcs: [
        { type: 0, body: [] },
        { type: 1, body: [] },
      ],
      exports: [
        ['run', 0, 0],
        ['takes_i32', 0, 1],
      ],
    });
    expect(functionCallErrorJson(failure(run(bytes, '')))).toEqual({
      MethodResolveError: 'MethodEmptyName',
    });
    expect(functionCallErrorJson(failure(run(bytes, 'nope')))).toEqual({
      MethodResolveError: 'MethodNotFound',
    });
    const host = run(bytes, 'takes_i32');
    expect(functionCallErrorJson(failure(host))).toEqual({
      MethodResolveError: 'MethodInvalidSignature',
    });
    expect(host.burntGas).toBe(0n);
  });
});

describe('inside Localnet', () => {
  let net: Localnet;
  beforeAll(async () => {
    net = await Localnet.init({ engine: 'wasm' });
  });
  const twoTables = method([], [], {
    tables: [
      [FUNCREF, 0x00, 1],
      [FUNCREF, 0x00, 1],
    ],
  });

  test('DeployContract of unpreparable code succeeds and each call fails with the PrepareError', async () => {
    const alice = await net.root.createSubAccount('alice', { initialBalance: 10n * NEAR });
    const deploy = net.executeTransaction({
      signerId: alice.accountId,
      receiverId: alice.accountId,
      actions: [{ type: 'DeployContract', code: twoTables }],
    });
    expect(deploy.status).toBe('success');
    const out = await alice.callRaw(alice, 'run', {});
    expect(out.status).toBe('failure');
    expect(out.failure).toEqual({
      ActionError: {
        index: 0,
        kind: { FunctionCallError: { CompilationError: { PrepareError: 'TooManyTables' } } },
      },
    });
    expect(out.failureMessage).toMatch(/^PrepareError: Contract contains too many tables\./);
  });

  test('deploying such a file through the test API throws E_WASM_PREPARE up front', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metering-')), 'two-tables.wasm');
    fs.writeFileSync(file, twoTables);
    await expect(net.root.devDeploy(file)).rejects.toThrow(
      /^E_WASM_PREPARE: cannot deploy .*two-tables\.wasm: .*PrepareError\(TooManyTables\)/,
    );
  });

  test('a contract above 4 MiB is rejected with ActionsValidation ContractSizeExceeded', () => {
    const code = new Uint8Array(4_194_305);
    let caught: unknown;
    try {
      net.executeTransaction({
        signerId: 'test.near',
        receiverId: 'test.near',
        actions: [{ type: 'DeployContract', code }],
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidTxError);
    expect((caught as InvalidTxError).data).toEqual({
      ActionsValidation: { ContractSizeExceeded: { size: 4_194_305, limit: 4_194_304 } },
    });
  });
});
