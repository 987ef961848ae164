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

/**
 * The RPC URL as it may be shown (logs, /ready, 503s): scheme, host and port only. Providers put
 * their key in the path, the query or the user info, so all three become `***`.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(invalid RPC URL)';
  }
  const hidden = parsed.username !== '' || parsed.password !== '';
  const rest = (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '';
  return `${parsed.protocol}//${hidden ? '***@' : ''}${parsed.host}${rest ? '/***' : ''}`;
}

/** `text` with every occurrence of the URL (and of its path and query) replaced by its redaction. */
export function redactIn(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  try {
    const parsed = new URL(url);
    for (const secret of [parsed.pathname.length > 1 ? parsed.pathname : '', parsed.search]) {
      if (secret.length > 3) out = out.split(secret).join('/***');
    }
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}

/** A sentence for an RPC failure, naming the RPC host but never its key. */
export function describeRpcError(error: unknown, url: string): string {
  const message = messageOf(error);
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (message === 'fetch failed' || message.includes('Failed to fetch')) {
    return `cannot reach the RPC at ${redactUrl(url)} (${cause?.code ?? cause?.message ?? message})`;
  }
  return redactIn(message, url);
}

let nextRpcId = 1;

/**
 * A JSON-RPC `sendJsonRpc` for near-api-js's JsonRpcProvider whose every request is aborted at
 * `timeoutMs`: near-api-js's own fetch has no signal, so a hung request would keep its socket
 * (and the poller's promise) forever. Errors never carry the URL.
 */
export function abortableJsonRpc(
  url: string,
  timeoutMs: number,
): (method: string, params: unknown) => Promise<unknown> {
  return async (method, params) => {
    const what =
      method === 'query'
        ? `query ${(params as { method_name?: string }).method_name ?? ''}`.trim()
        : method;
    let body: {
      error?: { name?: string; cause?: { name?: string }; data?: unknown; message?: string };
      result?: unknown;
    };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: String(nextRpcId++), method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`the RPC at ${redactUrl(url)} answered HTTP ${res.status} to ${what}`);
      }
      body = (await res.json()) as typeof body;
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new Error(
          `E_RPC_TIMEOUT: ${what} took longer than ${timeoutMs} ms (request cancelled)`,
        );
      }
      throw error;
    }
    if (body.error !== undefined) {
      const kind = body.error.cause?.name ?? body.error.name ?? 'RPC error';
      throw new Error(`${kind}: ${JSON.stringify(body.error.data ?? body.error.message ?? '')}`);
    }
    const result = body.result as { error?: unknown } | undefined;
    if (result !== null && typeof result === 'object' && typeof result.error === 'string') {
      throw new Error(result.error);
    }
    return result;
  };
}
