import type * as NearApi from 'near-api-js/lib/index';

/** The near-api-js module namespace (v7 is ES-module only). */
export type NearApiModule = typeof NearApi;

// TypeScript's CommonJS output would turn `import()` into `require()`, which near-api-js's
// exports map refuses; a Function body keeps Node's real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

let loading: Promise<NearApiModule> | undefined;

/** Loads near-api-js once; a test environment may hand in a pre-loaded copy as `__snearNearApi`. */
export function loadNearApi(): Promise<NearApiModule> {
  const preloaded = (globalThis as { __snearNearApi?: NearApiModule }).__snearNearApi;
  if (preloaded) return Promise.resolve(preloaded);
  loading ??= importEsm('near-api-js') as Promise<NearApiModule>;
  return loading;
}

/** Rejects with `E_RPC_TIMEOUT` when `promise` takes longer than `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`E_RPC_TIMEOUT: ${what} took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A readable message from anything thrown (errors may come from another realm). */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

/** A sentence for an RPC failure: fetch's bare "fetch failed" gains the URL and the socket error. */
export function describeRpcError(error: unknown, url: string): string {
  const message = messageOf(error);
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (message === 'fetch failed' || message.includes('Failed to fetch')) {
    return `cannot reach the RPC at ${url} (${cause?.code ?? cause?.message ?? message})`;
  }
  return message;
}
