// Shared by the gas tests that run the wasm builds beside NEAR's real contracts.
import fs from 'node:fs';
import path from 'node:path';
import { wasmEngineUnavailableReason } from '@snear/localnet';
import { mainnetWasmUnavailableReason } from '../../deploy/mainnet-wasm';

const BUILD = path.join(__dirname, '..', '..', 'build');

/** Why the wasm gas tests cannot run here (engine, builds or real contracts missing), else undefined. */
export function wasmGasSkipReason(): string | undefined {
  const wasm = wasmEngineUnavailableReason();
  if (wasm) return `localnet's wasm engine is unavailable: ${wasm}`;
  const missing = ['metapool', 'staking-pool', 'whitelist']
    .map((c) => path.join(BUILD, `${c}.wasm`))
    .find((f) => !fs.existsSync(f));
  if (missing) return `${missing} is missing (run make contracts)`;
  return mainnetWasmUnavailableReason();
}
