// On-disk cache of instrumented contracts for the wasm engine. Preparing and instrumenting a real
// contract takes 0.3-1.5 s (the metapool's 900 KB QuickJS build the most), and every process and
// every jest test file (each has its own module registry) did it again for the same bytes; the
// in-memory cache of `wasm.ts` stays the first level.
//
// Key: sha256 of the code bytes, of the engine's own preparation and instrumentation sources (so
// any change to them misses), of the memory mode, and of V8's version (it validates the module).
// Only successful preparations are stored (a PrepareFailure is recomputed, cheaply, each process),
// only for code of CACHE_MIN_BYTES or more, and a file that does not read back whole is ignored.
// Where: LOCALNET_WASM_CACHE_DIR, else <tmp>/snear-localnet-wasm-v1; LOCALNET_WASM_CACHE=off
// disables it (both read when the module loads); an unwritable directory only costs speed.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InstrumentedModule } from './wasm-gas';

/** Bump when the file layout changes. */
const CACHE_VERSION = 1;
const CACHE_DIR =
  process.env.LOCALNET_WASM_CACHE_DIR ||
  path.join(os.tmpdir(), `snear-localnet-wasm-v${CACHE_VERSION}`);
const CACHE_OFF = process.env.LOCALNET_WASM_CACHE === 'off';
/** Smaller code prepares in milliseconds: not worth a file. */
export const CACHE_MIN_BYTES = 64 * 1024;
/** The modules whose code decides the instrumented bytes (next to this file). */
const ENGINE_SOURCES = ['prepare', 'wasm-analysis', 'wasm-ops', 'wasm-binary', 'wasm-gas'];
const MAGIC = 'snear-wasm-cache\n';

let engineFingerprint: string | null | undefined;

/** sha256 of the engine sources, or null when they cannot be read (then no cache). */
function fingerprint(): string | null {
  if (engineFingerprint !== undefined) return engineFingerprint;
  try {
    const hash = createHash('sha256');
    const ext = path.extname(__filename);
    for (const name of ENGINE_SOURCES)
      hash.update(fs.readFileSync(path.join(__dirname, name + ext)));
    engineFingerprint = hash.digest('hex');
  } catch {
    engineFingerprint = null;
  }
  return engineFingerprint;
}

function cacheFile(bytes: Uint8Array, sharedMemory: boolean): string | undefined {
  if (CACHE_OFF || bytes.length < CACHE_MIN_BYTES) return undefined;
  const engine = fingerprint();
  if (!engine) return undefined;
  const key = createHash('sha256')
    .update(`${engine}\n${sharedMemory}\n${process.versions.v8}\n`)
    .update(bytes)
    .digest('hex');
  return path.join(CACHE_DIR, `${key}.bin`);
}

/** The instrumented module stored for these bytes, if any. */
export function readCachedModule(
  bytes: Uint8Array,
  sharedMemory: boolean,
): InstrumentedModule | undefined {
  const file = cacheFile(bytes, sharedMemory);
  if (!file) return undefined;
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined; // not cached yet
  }
  try {
    if (data.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
    const headerLength = data.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4;
    const header = JSON.parse(data.toString('utf8', start, start + headerLength)) as {
      methods: [string, boolean][];
      imports: string[];
      hasStart: boolean;
      length: number;
      sha256: string;
    };
    const body = data.subarray(start + headerLength);
    if (body.length !== header.length) return undefined;
    if (createHash('sha256').update(body).digest('hex') !== header.sha256) return undefined;
    return {
      bytes: new Uint8Array(body),
      methods: new Map(header.methods),
      imports: header.imports,
      hasStart: header.hasStart,
    };
  } catch {
    return undefined;
  }
}

/** Store an instrumented module for these bytes (best effort). */
export function writeCachedModule(
  bytes: Uint8Array,
  sharedMemory: boolean,
  instrumented: InstrumentedModule,
): void {
  const file = cacheFile(bytes, sharedMemory);
  if (!file) return;
  const header = Buffer.from(
    JSON.stringify({
      methods: [...instrumented.methods],
      imports: instrumented.imports,
      hasStart: instrumented.hasStart,
      length: instrumented.bytes.length,
      sha256: createHash('sha256').update(instrumented.bytes).digest('hex'),
    }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(
      tmp,
      Buffer.concat([Buffer.from(MAGIC, 'latin1'), length, header, instrumented.bytes]),
    );
    fs.renameSync(tmp, file);
  } catch {
    // a read-only temp dir only costs speed
  }
}
