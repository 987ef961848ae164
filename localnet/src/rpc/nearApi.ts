// near-api-js 7 is ESM-only and its package "exports" has only an "import" condition, so neither a
// CommonJS `require('near-api-js')` (our build) nor jest's module registry can load it. Node >= 20.19
// can `require()` an ES module by file path, so we locate the package and load its entry through
// Node's own loader (see loadEsm for the jest case).
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import type * as NearApiModule from 'near-api-js/lib/index.js';
import type * as NearApiRpcErrorsModule from 'near-api-js/lib/rpc-errors/index.js';

/** The near-api-js 7 module namespace (types come from its own .d.ts files). */
export type NearApi = typeof NearApiModule;

/** near-api-js's typed RPC error classes (`near-api-js/rpc-errors`). */
export type NearApiRpcErrors = typeof NearApiRpcErrorsModule;

let cached: NearApi | undefined;
let cachedErrors: NearApiRpcErrors | undefined;

/** Absolute path of near-api-js's ESM entry, found the way Node walks node_modules. */
export function nearApiEntryPath(fromDirs: string[] = [__dirname, process.cwd()]): string {
  for (const from of fromDirs) {
    let dir = path.resolve(from);
    for (;;) {
      const candidate = path.join(dir, 'node_modules', 'near-api-js', 'lib', 'index.js');
      if (fs.existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(
    `E_NEAR_API_JS_MISSING: near-api-js was not found in any node_modules above ${fromDirs.join(' or ')}; run npm install`,
  );
}

/**
 * `require()` of an ES module by absolute path. Plain Node (>= 20.19) does it through
 * `createRequire`; under jest that returns jest's own require, which cannot run ESM, so we fall
 * back to Node's loader (`Module._load`, which jest leaves alone).
 */
function loadEsm(entry: string): unknown {
  try {
    return Module.createRequire(entry)(entry);
  } catch (err) {
    type Loader = (request: string, parent: null, isMain: boolean) => unknown;
    const load = (Module as unknown as { _load?: Loader })._load;
    if (!load) throw err;
    return load(entry, null, false);
  }
}

/** Loads near-api-js 7 once, through Node's own module loader, and returns its exports. */
export function nearApi(): NearApi {
  if (cached) return cached;
  const entry = nearApiEntryPath();
  cached = loadEsm(entry) as NearApi;
  return cached;
}

/** Loads `near-api-js/rpc-errors` (ContractExecutionError, InvalidNonceError, ...) once. */
export function nearApiRpcErrors(): NearApiRpcErrors {
  if (cachedErrors) return cachedErrors;
  const entry = path.join(path.dirname(nearApiEntryPath()), 'rpc-errors', 'index.js');
  cachedErrors = loadEsm(entry) as NearApiRpcErrors;
  return cachedErrors;
}
