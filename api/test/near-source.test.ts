/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import { buildApp } from '../src/app';
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
