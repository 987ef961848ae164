// Raw JSON-RPC over HTTP for the rpc suites: exactly what the server sends, malformed bodies too.

/** A JSON-RPC reply as the server sends it. */
export interface Reply {
  id: unknown;
  result?: Record<string, unknown>;
  error?: {
    name: string;
    cause: { name: string; info: Record<string, unknown> };
    code: number;
    data: unknown;
  };
}

/** POSTs `body` (any text, JSON or not) to `url`; returns the HTTP status and the parsed reply. */
export async function postRpc(
  url: string,
  body: string,
): Promise<{ httpStatus: number; json: Reply }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  return { httpStatus: res.status, json: (await res.json()) as Reply };
}
