// Loads a package through Node's own module loader. PGlite loads its wasm and file-system support
// with dynamic import(), which jest's CommonJS sandbox cannot run on Node 20; Module._load runs the
// package outside that sandbox (in plain Node it is the same as require).
import Module from 'node:module';

type Loader = (request: string, parent: null, isMain: boolean) => unknown;

export function nodeRequire<T>(specifier: string): T {
  const resolved = require.resolve(specifier);
  const load = (Module as unknown as { _load?: Loader })._load;
  return (load ? load(resolved, null, false) : require(resolved)) as T;
}
