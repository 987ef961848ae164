// Read-only chain access over JSON-RPC (views and account balances), without near-api-js.

let rpcUrl = '';
let nextId = 1;

export function setRpcUrl(url: string): void {
  rpcUrl = new URL(url, location.href).href;
}

async function rpc<T>(method: string, params: unknown): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: String(nextId++), method, params }),
  });
  const body = (await res.json()) as {
    result?: T & { error?: string };
    error?: { message?: string; data?: unknown };
  };
  if (body.error)
    throw new Error(
      `RPC ${method}: ${body.error.message ?? JSON.stringify(body.error)} ${JSON.stringify(body.error.data ?? '')}`,
    );
  if (body.result?.error) throw new Error(`RPC ${method}: ${body.result.error}`);
  return body.result as T;
}

/** A contract view at the final block, JSON in and out. */
export async function view<T>(contractId: string, method: string, args: object = {}): Promise<T> {
  const result = await rpc<{ result: number[] }>('query', {
    request_type: 'call_function',
    finality: 'optimistic',
    account_id: contractId,
    method_name: method,
    args_base64: btoa(JSON.stringify(args)),
  });
  return JSON.parse(new TextDecoder().decode(new Uint8Array(result.result))) as T;
}

/** The account's liquid NEAR (yocto), or 0 when it does not exist. */
export async function nearBalance(accountId: string): Promise<bigint> {
  const result = await rpc<{ amount: string }>('query', {
    request_type: 'view_account',
    finality: 'optimistic',
    account_id: accountId,
  });
  return BigInt(result.amount);
}
