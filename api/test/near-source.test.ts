/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import { buildApp } from '../src/app';
import { redactUrl } from '../src/near';
import { NearStateSource } from '../src/state/near-source';
import { FakeRpc } from './fake-rpc';
import { demoView, ONE, until } from './fixtures';

let rpc: FakeRpc;
let source: NearStateSource;

beforeEach(async () => {
  rpc = new FakeRpc(demoView({ block_height: 100 }));
  await rpc.start();
});
afterEach(async () => {
  await source?.stop();
  await rpc.stop();
});

function newSource(overrides: Partial<ConstructorParameters<typeof NearStateSource>[0]> = {}) {
  source = new NearStateSource({
    rpcUrl: rpc.url,
    contractId: 'metapool.test.near',
    pollIntervalMs: 20,
    rpcTimeoutMs: 200,
    ...overrides,
  });
  return source;
}

describe('NearStateSource (near-api-js JsonRpcProvider)', () => {
  test('reads get_contract_state once per new final block, never per poll', async () => {
    const src = newSource();
    const heights: number[] = [];
    src.subscribe((s) => heights.push(s.blockHeight));
    await src.start();
    expect(src.status().snapshot?.blockHeight).toBe(100);
    await until(() => rpc.count('block') >= 6, 'six block polls');
    expect(rpc.count('query:get_contract_state')).toBe(1);

    rpc.height = 101;
    rpc.view = demoView({ block_height: 101, liquidity: (7_000n * ONE).toString() });
    await until(() => src.status().snapshot?.blockHeight === 101, 'block 101');
    expect(src.status().snapshot?.pool.liquidity).toBe(7_000n * ONE);
    expect(rpc.count('query:get_contract_state')).toBe(2);
    expect(heights).toEqual([100, 101]);
    expect(src.status().viewReads).toBe(2);
  });

  test('a slow RPC counts as failing (E_RPC_TIMEOUT); the last snapshot is kept', async () => {
    const src = newSource({ rpcTimeoutMs: 300 });
    await src.start();
    expect(src.status().snapshot?.blockHeight).toBe(100);
    rpc.delayMs = 1000;
    await until(() => src.status().lastError !== undefined, 'a timeout');
    expect(src.status().lastError).toMatch(/E_RPC_TIMEOUT/);
    expect(src.status().snapshot?.blockHeight).toBe(100);
    rpc.delayMs = 0;
    await until(() => src.status().lastError === undefined, 'recovery', 3000);
  });

  test('a hung RPC request is cancelled at its timeout: its socket is closed, not left open', async () => {
    const src = newSource({ rpcTimeoutMs: 200, pollIntervalMs: 60_000 });
    await src.start();
    rpc.delayMs = 60_000; // never answers within the test
    rpc.height = 101;
    await src.refresh();
    expect(src.status().lastError).toMatch(/E_RPC_TIMEOUT: block took longer than 200 ms/);
    await until(() => rpc.abandoned === 1, 'the server to see the request cancelled');
  });

  test('redactUrl keeps scheme, host and port only', () => {
    expect(redactUrl('https://user:pa55@rpc.example.org:8443/v1/KEY?apikey=K2')).toBe(
      'https://***@rpc.example.org:8443/***',
    );
    expect(redactUrl('http://127.0.0.1:3030')).toBe('http://127.0.0.1:3030');
    expect(redactUrl('not a url')).toBe('(invalid RPC URL)');
  });

  test('the RPC URL is never shown: a provider key in the path or query is redacted', async () => {
    const keyed = `${rpc.url}/v1/KEY-IN-PATH?apikey=KEY-IN-QUERY`;
    const src = newSource({ rpcUrl: keyed });
    const app = await buildApp({ source: src, rateLimit: false });
    await app.ready();
    try {
      expect((await app.inject('/ready')).json().source).toBe(
        `metapool.test.near via ${rpc.url}/***`,
      );
      await rpc.stop();
      await src.refresh();
      const down = await app.inject('/ready');
      expect(down.statusCode).toBe(503);
      expect(down.json().code).toBe('RPC_UNREACHABLE');
      for (const secret of ['KEY-IN-PATH', 'KEY-IN-QUERY']) {
        expect(down.body).not.toContain(secret);
        expect(src.status().lastError).not.toContain(secret);
      }
    } finally {
      await app.close();
    }
  });

  test('an RPC that is down or answers 503 is recorded, not thrown', async () => {
    const src = newSource();
    rpc.httpStatus = 503;
    await src.start();
    expect(src.status().snapshot).toBeUndefined();
    expect(src.status().lastError).toBeDefined();
    rpc.httpStatus = 200;
    await src.refresh();
    expect(src.status().snapshot?.blockHeight).toBe(100);
    await rpc.stop();
    await src.refresh();
    expect(src.status().lastError).toMatch(
      /cannot reach the RPC at http:\/\/127\.0\.0\.1:\d+ \([A-Z_]+\)/,
    );
    expect(src.status().rpcErrors).toBeGreaterThanOrEqual(2);
  });

  test('the app answers from the chain state, and 503s once it is stale', async () => {
    let now = Date.now();
    const src = newSource({ now: () => now });
    const app = await buildApp({
      source: src,
      rateLimit: false,
      maxStaleMs: 10_000,
      now: () => now,
    });
    await app.ready();
    try {
      const ok = await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().block_height).toBe(100);
      await rpc.stop();
      await src.refresh();
      now += 5_000;
      const served = await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
      expect(served.statusCode).toBe(200);
      expect(served.json()).toMatchObject({ rpc_ok: false, state_age_ms: 5_000 });
      now += 6_000;
      const stale = await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
      expect(stale.statusCode).toBe(503);
      expect(stale.json().code).toBe('STATE_STALE');
    } finally {
      await app.close();
    }
  });
});
