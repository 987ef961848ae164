// The JSON-RPC 2.0 server (plain node:http on loopback). Every answer is HTTP 200: near-api-js
// retries HTTP 500/503/408 twelve times, so errors travel as JSON-RPC `error` objects in
// nearcore's shapes. Requests run one at a time, so a transaction's checks and execution are atomic.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RpcChain } from './chain';
import { internalError, methodNotFound, parseError, RpcFailure } from './errors';
import { chunk } from './methods/chunk';
import {
  block,
  gasPrice,
  protocolConfig,
  sandboxFastForward,
  status,
  validators,
} from './methods/node';
import { query } from './methods/query';
import {
  broadcastTxAsync,
  broadcastTxCommit,
  sendTx,
  type TxContext,
  TxHistory,
  txStatus,
} from './methods/tx';

/** Largest request body accepted (a 4 MiB contract deploy is about 5.4 MiB of base64). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

type Handler = (ctx: TxContext, params: unknown) => unknown;

const METHODS = new Map<string, Handler>(
  Object.entries({
    status: (ctx) => status(ctx),
    health: () => null,
    block,
    chunk,
    gas_price: gasPrice,
    query,
    EXPERIMENTAL_protocol_config: protocolConfig,
    validators: (ctx) => validators(ctx),
    sandbox_fast_forward: sandboxFastForward,
    send_tx: sendTx,
    broadcast_tx_commit: broadcastTxCommit,
    broadcast_tx_async: broadcastTxAsync,
    tx: (ctx, params) => txStatus(ctx, params, false),
    EXPERIMENTAL_tx_status: (ctx, params) => txStatus(ctx, params, true),
  } satisfies Record<string, Handler>),
);

/** Options of startRpcServer. */
export interface RpcServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; loopback by default. */
  host?: string;
}

/** A running server. */
export interface RpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The JSON-RPC response for one parsed request body. */
export async function handleJsonRpc(
  ctx: TxContext,
  body: unknown,
): Promise<Record<string, unknown>> {
  const id =
    typeof body === 'object' && body !== null && 'id' in body ? (body as { id: unknown }).id : null;
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw parseError('Failed parsing request: expected a JSON-RPC 2.0 request object');
    }
    const { method, params } = body as { method?: unknown; params?: unknown };
    if (typeof method !== 'string') {
      throw parseError('Failed parsing request: missing field `method`');
    }
    const handler = METHODS.get(method);
    if (!handler) throw methodNotFound(method);
    const result = await handler(ctx, params ?? []);
    return { jsonrpc: '2.0', id, result };
  } catch (err) {
    const failure =
      err instanceof RpcFailure
        ? err
        : internalError(`E_LOCALNET_INTERNAL: ${(err as Error)?.message ?? String(err)}`);
    return { jsonrpc: '2.0', id, error: failure.body };
  }
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** Starts the JSON-RPC server over `chain`; resolves once it listens. */
export function startServerForChain(
  chain: RpcChain,
  options: RpcServerOptions = {},
): Promise<RpcServer> {
  const host = options.host ?? '127.0.0.1';
  const ctx: TxContext = { chain, startedAtMs: Date.now(), rpcAddr: '', history: new TxHistory() };
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const server = http.createServer((req, res) => {
    const send = (payload: unknown) => {
      const text = toJson(payload);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (req.method === 'GET' && (req.url === '/status' || req.url === '/health')) {
      serialize(async () => (req.url === '/status' ? status(ctx) : {})).then(send, () => send({}));
      return;
    }
    if (req.method !== 'POST') {
      send({
        jsonrpc: '2.0',
        id: null,
        error: parseError('Only POST of JSON-RPC 2.0 requests is served').body,
      });
      return;
    }
    readBody(req)
      .then(async (text) => {
        if (text === undefined) {
          return {
            jsonrpc: '2.0',
            id: null,
            error: parseError(`Request body exceeds ${MAX_BODY_BYTES} bytes`).body,
          };
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (err) {
          return {
            jsonrpc: '2.0',
            id: null,
            error: parseError(`Invalid JSON: ${(err as Error).message}`).body,
          };
        }
        return serialize(() => handleJsonRpc(ctx, body));
      })
      .then(send, (err: Error) =>
        send({ jsonrpc: '2.0', id: null, error: internalError(err.message).body }),
      );
  });
  server.keepAliveTimeout = 1000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const url = `http://${host}:${port}`;
      ctx.rpcAddr = `${host}:${port}`;
      resolve({
        url,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
