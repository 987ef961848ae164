import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback JSON-RPC server answering `block` and `query call_function` like nearcore. */
export class FakeRpc {
  height = 100;
  view: unknown;
  delayMs = 0;
  httpStatus = 200;
  readonly calls: string[] = [];
  /** Requests whose client hung up before the answer (a cancelled request). */
  abandoned = 0;
  private server?: Server;
  url = '';

  constructor(view: unknown) {
    this.view = view;
  }

  /** Starts listening (again, on the same port when restarting). */
  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      res.on('close', () => {
        if (!res.writableEnded) this.abandoned += 1;
      });
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const request = JSON.parse(body) as {
          id: string;
          method: string;
          params: Record<string, string>;
        };
        const label =
          request.method === 'query' ? `query:${request.params.method_name}` : request.method;
        this.calls.push(label);
        const reply = () => {
          if (res.destroyed) return;
          if (this.httpStatus !== 200) {
            res.writeHead(this.httpStatus).end('unavailable');
            return;
          }
          let result: unknown;
          if (request.method === 'block') {
            result = { header: { height: this.height, hash: '11111111111111111111111111111111' } };
          } else if (request.method === 'query') {
            const bytes = [...Buffer.from(JSON.stringify(this.view))];
            result = { result: bytes, logs: [], block_height: this.height, block_hash: '1111' };
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }));
        };
        if (this.delayMs > 0) setTimeout(reply, this.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops answering: connections are refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  count(label: string): number {
    return this.calls.filter((c) => c === label).length;
  }
}
