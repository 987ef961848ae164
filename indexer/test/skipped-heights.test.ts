// nearcore skips heights (no block produced): the indexer steps over a missing height only when
// the next block's prev_hash proves nothing is missing; otherwise it stops with E_CHAIN_GAP rather
// than store a chain with a hole. An RPC proxy hides a height of localnet's chain to show both.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Localnet, type RpcServer, startRpcServer } from '@snear/localnet';
import pino from 'pino';
import { type Db, openDb } from '../src/db';
import { Indexer } from '../src/indexer';
import { migrate } from '../src/migrations';
import { readCursor } from '../src/store';

jest.setTimeout(60_000);

const HIDDEN = 20;

/** Forwards JSON-RPC to `target`, answering UNKNOWN_BLOCK for HIDDEN; `relink` also rewrites the
 * next block's prev_hash to the block before HIDDEN (a real skipped height). */
async function hidingProxy(target: string, relink: boolean) {
  const rpc = async (method: string, params: unknown) => {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'p', method, params }),
    });
    return (await res.json()) as { result?: { header: { hash: string; prev_hash: string } } };
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', async () => {
      const request = JSON.parse(body) as {
        id: unknown;
        method: string;
        params: { block_id?: unknown };
      };
      const send = (payload: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const height = request.method === 'block' ? request.params.block_id : undefined;
      if (height === HIDDEN) {
        send({
          jsonrpc: '2.0',
          id: request.id,
          error: {
            name: 'HANDLER_ERROR',
            cause: { name: 'UNKNOWN_BLOCK', info: { block_reference: { block_id: HIDDEN } } },
            code: -32000,
            message: 'Server error',
            data: `DB Not Found Error: BLOCK HEIGHT: ${HIDDEN} \n Cause: Unknown`,
          },
        });
        return;
      }
      const answer = await rpc(request.method, request.params);
      if (height === HIDDEN + 1 && relink && answer.result) {
        const before = await rpc('block', { block_id: HIDDEN - 1 });
        answer.result.header.prev_hash = before.result!.header.hash;
      }
      send({ ...answer, id: request.id });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

let net: Localnet;
let rpc: RpcServer;

beforeAll(async () => {
  net = await Localnet.init({ epochLength: 1000 });
  net.chain.fastForward(40);
  rpc = await startRpcServer(net, { port: 0 });
});

afterAll(async () => {
  await rpc?.close();
});

async function indexThrough(url: string): Promise<{ db: Db; indexer: Indexer }> {
  const db = await openDb({});
  await migrate(db);
  const indexer = new Indexer({
    rpcUrl: url,
    contractId: 'nobody.test.near',
    db,
    logger: pino({ level: process.env.IDX_DEBUG ? 'warn' : 'silent' }),
    startBlock: 0,
    batchBlocks: 10,
    retry: { baseMs: 1, maxMs: 5 },
  });
  await indexer.init();
  return { db, indexer };
}

test('a skipped height whose successor links to the block before it is stepped over', async () => {
  const proxy = await hidingProxy(rpc.url, true);
  const { db, indexer } = await indexThrough(proxy.url);
  await indexer.catchUp();
  expect((await readCursor(db))?.lastBlock).toBe(net.chain.height);
  await db.close();
  await proxy.close();
});

test('a missing block the next one does not link over stops the indexer at the block before it', async () => {
  const proxy = await hidingProxy(rpc.url, false);
  const { db, indexer } = await indexThrough(proxy.url);
  await expect(indexer.catchUp()).rejects.toThrow(/E_CHAIN_GAP/);
  expect((await readCursor(db))?.lastBlock).toBe(HIDDEN - 1);
  await db.close();
  await proxy.close();
});
