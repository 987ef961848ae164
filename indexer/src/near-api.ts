// near-api-js 7 is ESM-only (its "exports" has only an "import" condition): this CommonJS build
// loads it by file path through Node's own loader (Node >= 20.19 can require() an ES module), as
// localnet/src/rpc/nearApi.ts does; under jest, Module._load bypasses jest's registry.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import type * as NearApiModule from 'near-api-js/lib/index.js';

export type NearApi = typeof NearApiModule;

let cached: NearApi | undefined;

function entryPath(): string {
  for (const from of [__dirname, process.cwd()]) {
    let dir = path.resolve(from);
    for (;;) {
      const candidate = path.join(dir, 'node_modules', 'near-api-js', 'lib', 'index.js');
      if (fs.existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('E_NEAR_API_JS_MISSING: near-api-js is not installed; run npm install');
}

/** near-api-js's exports, loaded once. */
export function nearApi(): NearApi {
  if (cached) return cached;
  const entry = entryPath();
  try {
    cached = Module.createRequire(entry)(entry) as NearApi;
  } catch (err) {
    type Loader = (request: string, parent: null, isMain: boolean) => unknown;
    const load = (Module as unknown as { _load?: Loader })._load;
    if (!load) throw err;
    cached = load(entry, null, false) as NearApi;
  }
  return cached;
}
