// The quote API over HTTP (same origin unless ?api=… is given).

const params = new URLSearchParams(location.search);
export const API_BASE = (params.get('api') ?? '').replace(/\/$/, '');

/** An API error body `{ code, message, ...fields }` as a thrown Error. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, unknown>,
  ) {
    super(message);
    Object.assign(this, fields);
  }
}

/** GET `path` as JSON; throws ApiFailure with the body's code. */
export async function api<T>(path: string): Promise<T> {
  const res = await fetch(API_BASE + path, { headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const code = typeof body.code === 'string' ? body.code : `HTTP_${res.status}`;
    throw new ApiFailure(res.status, code, String(body.message ?? `HTTP ${res.status}`), body);
  }
  return body as T;
}

/** Like `api`, but null when the route is missing or unavailable (history before the indexer). */
export async function optionalApi<T>(path: string): Promise<T | null> {
  try {
    return await api<T>(path);
  } catch {
    return null;
  }
}

export interface CallArgs {
  contract_id: string;
  method_name: string;
  args: Record<string, string>;
  deposit: string;
  gas: string;
}

export interface AppConfig {
  network_id: string;
  rpc_url: string;
  contract_id: string;
  demo: { account_id: string; private_key: string } | null;
}
