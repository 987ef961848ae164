// Engine selection: .js bundles run on the VM engine, .wasm on the wasm engine (engine/wasm.ts,
// written separately; it must export `WasmEngine` (no-argument constructor) or `createWasmEngine()`).
import type { ContractEngine } from '../host/index';
import { VmEngine, type VmEngineOptions } from './vm';

export { VmEngine } from './vm';

let wasmEngine: ContractEngine | undefined;
let wasmLoadError: string | undefined;

/** The wasm engine, or undefined with `wasmEngineUnavailableReason()` saying why. */
export function loadWasmEngine(): ContractEngine | undefined {
  if (wasmEngine || wasmLoadError) return wasmEngine;
  try {
    // biome-ignore lint/suspicious/noExplicitAny: optional module written by another package owner
    const mod: any = require('./wasm');
    if (typeof mod.createWasmEngine === 'function') wasmEngine = mod.createWasmEngine();
    else if (typeof mod.WasmEngine === 'function') wasmEngine = new mod.WasmEngine();
    else wasmLoadError = 'engine/wasm exports neither WasmEngine nor createWasmEngine';
  } catch (err) {
    wasmLoadError = `engine/wasm could not be loaded (${(err as Error).message.split('\n')[0]})`;
  }
  return wasmEngine;
}

/** Why the wasm engine is unavailable (undefined when it loaded). */
export function wasmEngineUnavailableReason(): string | undefined {
  loadWasmEngine();
  return wasmEngine ? undefined : wasmLoadError;
}

/** Engines per code kind. */
export interface Engines {
  js: ContractEngine;
  wasm(): ContractEngine | undefined;
}

/** Default engines: a VM engine (shared compile cache) and the lazily loaded wasm engine. */
export function createEngines(vmOptions: VmEngineOptions = {}): Engines {
  return { js: new VmEngine(vmOptions), wasm: loadWasmEngine };
}
