/** @jest-environment ./test/esm-environment.js */
import { parseServerConfig } from '../src/config';
import { type RunningServer, startServer } from '../src/server';
import { FakeRpc } from './fake-rpc';
import { demoView, ONE } from './fixtures';
import { RedisServer } from './redis-server';

jest.setTimeout(60_000);

const redis = new RedisServer();
const rpc = new FakeRpc(demoView());
const servers: RunningServer[] = [];

beforeAll(async () => {
  await redis.start();
  await rpc.start();
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
afterAll(async () => {
  await rpc.stop();
  await redis.stop();
});

/** An API replica on any free port, against the fake RPC, with a limit of 4 per minute. */
async function replica(redisUrl?: string): Promise<RunningServer> {
  const config = parseServerConfig(
    // load shedding off: jest's own start-up would read as an overloaded event loop
    [
      '--rpc-url',
      rpc.url,
      '--port',
      '0',
      '--rate-limit',
      '4',
      '--log-level',
      'warn',
      '--shed-loop-delay-ms',
      '0',
    ],
    redisUrl === undefined ? {} : { REDIS_URL: redisUrl },
  );
  const server = await startServer(config);
  servers.push(server);
  return server;
}

const quote = (server: RunningServer) => fetch(`${server.url}/v1/quote/stake?near=${ONE}`);

describe('N replicas behind a load balancer', () => {
  test('with REDIS_URL, two replicas share one limit per client', async () => {
    const [a, b] = [await replica(redis.url), await replica(redis.url)];
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (const server of [a, b, a, b, a, b]) {
      const res = await quote(server);
      statuses.push(res.status);
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
      await res.body?.cancel();
    }
    // 4 allowed in all, whichever replica answered
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(remaining.slice(0, 4)).toEqual(['3', '2', '1', '0']);
  });

  test('without it each replica counts alone (in memory)', async () => {
    const [a, b] = [await replica(), await replica()];
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a, b]) {
      const res = await quote(server);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });
});
