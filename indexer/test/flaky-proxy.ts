// An HTTP proxy in front of an RPC that fails chosen requests: an RPC outage mid-run.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyProxy {
  url: string;
  /** Requests failed so far. */
  failed(): number;
  close(): Promise<void>;
}

/**
 * Forwards to `target`, but `shouldFail(n)` (n = 1, 2, … per request) answers HTTP 503, or drops
 * the connection on every other failure, instead.
 */
export function startFlakyProxy(
  target: string,
  shouldFail: (n: number) => boolean,
): Promise<FlakyProxy> {
  let count = 0;
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      if (shouldFail(count)) {
        failures++;
        if (failures % 2 === 0) {
          req.socket.destroy();
          return;
        }
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('unavailable');
        return;
      }
      fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat(chunks),
      })
        .then(async (r) => {
          const text = await r.text();
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(text);
        })
        .catch(() => req.socket.destroy());
    });
  });
  server.keepAliveTimeout = 500;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        failed: () => failures,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
