// The wasm engine's on-disk cache of instrumented contracts (engine/wasm-cache.ts): a hit gives
// the bytes a fresh preparation gives, a damaged or small entry is not used, and a call burns the
// same gas whether its module came from the cache or not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostContext } from '../src/host/context';
import { bareCallContext, emptyChain } from './support/call-context';

type CacheModule = typeof import('../src/engine/wasm-cache');
type EngineModule = typeof import('../src/engine/wasm');
type GasModule = typeof import('../src/engine/wasm-gas');

/** A module exporting `run`: `nops` nops (one op each), then end. */
function nopModule(nops: number): Uint8Array {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    let v = n;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v) b |= 0x80;
      out.push(b);
    } while (v);
    return out;
  };
  const section = (id: number, payload: number[]): number[] => [
    id,
    ...leb(payload.length),
    ...payload,
  ];
  const body = [0x00, ...new Array(nops).fill(0x01), 0x0b];
  const code = [0x01, ...leb(body.length)];
  for (const b of body) code.push(b);
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00]),
    ...section(10, code),
  ]);
}

/** The engine modules loaded afresh with their cache in `dir` (and `env` set while loading). */
function load(dir: string, env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, { LOCALNET_WASM_CACHE_DIR: dir, ...env });
  let mods: { cache: CacheModule; engine: EngineModule; gas: GasModule } | undefined;
  try {
    jest.isolateModules(() => {
      mods = {
        cache: require('../src/engine/wasm-cache'),
        engine: require('../src/engine/wasm'),
        gas: require('../src/engine/wasm-gas'),
      };
    });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  if (!mods) throw new Error('modules not loaded');
  return mods;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-cache-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const cacheFiles = (): string[] => fs.readdirSync(dir).map((f) => path.join(dir, f));

describe('wasm engine: on-disk cache of instrumented contracts', () => {
  const big = nopModule(70_000);

  test('a stored module reads back as a fresh instrumentation of the same bytes', () => {
    const { cache, gas } = load(dir);
    expect(big.length).toBeGreaterThanOrEqual(cache.CACHE_MIN_BYTES);
    const fresh = gas.instrumentForGas(big);
    expect(cache.readCachedModule(big, true)).toBeUndefined();
    cache.writeCachedModule(big, true, fresh);
    const hit = cache.readCachedModule(big, true);
    expect(hit).toBeDefined();
    expect(Buffer.from(hit!.bytes).equals(Buffer.from(fresh.bytes))).toBe(true);
    expect([...hit!.methods]).toEqual([...fresh.methods]);
    expect(hit!.imports).toEqual(fresh.imports);
    expect(hit!.hasStart).toBe(fresh.hasStart);
    // the other memory mode is another entry
    expect(cache.readCachedModule(big, false)).toBeUndefined();
  });

  test('a damaged entry is ignored; small code and LOCALNET_WASM_CACHE=off store nothing', () => {
    const { cache, gas } = load(dir);
    cache.writeCachedModule(big, true, gas.instrumentForGas(big));
    const [file] = cacheFiles();
    const data = fs.readFileSync(file);
    fs.writeFileSync(file, data.subarray(0, data.length - 1));
    expect(cache.readCachedModule(big, true)).toBeUndefined();
    data[data.length - 1] ^= 0xff;
    fs.writeFileSync(file, data);
    expect(cache.readCachedModule(big, true)).toBeUndefined();
    fs.rmSync(file);

    const small = nopModule(10);
    cache.writeCachedModule(small, true, gas.instrumentForGas(small));
    expect(cacheFiles()).toEqual([]);
    const off = load(dir, { LOCALNET_WASM_CACHE: 'off' });
    off.cache.writeCachedModule(big, true, gas.instrumentForGas(big));
    expect(cacheFiles()).toEqual([]);
  });

  test('a call burns the same gas with its module from the cache as prepared afresh', () => {
    const burnt = (engine: EngineModule): bigint => {
      const host = new HostContext(bareCallContext(), emptyChain);
      new engine.WasmEngine().run({ kind: 'wasm', hash: 'nops', bytes: big }, 'run', host);
      if (host.fatalError) throw host.fatalError;
      return host.burntGas;
    };
    const miss = burnt(load(dir).engine);
    expect(cacheFiles()).toHaveLength(1);
    const hit = burnt(load(dir).engine);
    expect(hit).toBe(miss);
    // 70,000 nops + the frame fee (ceil(64 / 8) ops), plus contract loading
    expect(miss).toBe(35_445_963n + 1_089_295n * BigInt(big.length) + (70_000n + 8n) * 822_756n);
  });
});
