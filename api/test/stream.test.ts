/** @jest-environment ./test/esm-environment.js */
import { demoApp, demoView } from './fixtures';
import { SseClient } from './sse';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function listening(options: Parameters<typeof demoApp>[0] = {}) {
  const demo = await demoApp(options);
  cleanups.push(() => demo.app.close());
  const address = await demo.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...demo, address };
}

describe('GET /v1/stream (SSE)', () => {
  test('sends the state now and again at every new block; close() ends the stream', async () => {
    const { app, source, address } = await listening();
    const client = new SseClient(`${address}/v1/stream`, { origin: 'https://bot.example' });
    cleanups.push(() => client.close());
    const [first] = await client.waitFor(1);
    expect(client.response?.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(client.response?.headers['access-control-allow-origin']).toBe('*');
    expect(first.event).toBe('state');
    expect(first.id).toBe('1000');
    expect(JSON.parse(first.data).block_height).toBe(1000);

    source.setView(demoView({ block_height: 1001, liquidity: '5000000000000000000000000000' }));
    source.setView(demoView({ block_height: 1002 }));
    const events = await client.waitFor(3);
    expect(events.map((e) => JSON.parse(e.data).block_height)).toEqual([1000, 1001, 1002]);
    expect(JSON.parse(events[1].data).pool.liquidity).toBe('5000000000000000000000000000');

    const metrics = await fetch(`${address}/metrics`).then((r) => r.text());
    expect(metrics).toContain('snear_sse_clients 1');
    await app.close();
    await client.waitFor(99, 2000).catch(() => undefined);
    expect(client.ended).toBe(true);
  });

  test('without a state yet it says why, then streams once the chain answers', async () => {
    const { source, address } = await listening({ view: null });
    source.fail('connect ECONNREFUSED');
    const client = new SseClient(`${address}/v1/stream`);
    cleanups.push(() => client.close());
    const [first] = await client.waitFor(1);
    expect(first.event).toBe('unavailable');
    expect(JSON.parse(first.data).code).toBe('STATE_UNAVAILABLE');
    source.setView(demoView({ block_height: 7 }));
    const events = await client.waitFor(2);
    expect(events[1].event).toBe('state');
    expect(JSON.parse(events[1].data).block_height).toBe(7);
  });

  test('a client address may hold a few streams; the next is 429 TOO_MANY_STREAMS until one closes', async () => {
    const { address } = await listening({ maxStreamsPerClient: 2 });
    const a = new SseClient(`${address}/v1/stream`);
    const b = new SseClient(`${address}/v1/stream`);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    await a.waitFor(1);
    await b.waitFor(1);
    const third = await fetch(`${address}/v1/stream`);
    expect(third.status).toBe(429);
    expect((await third.json()).code).toBe('TOO_MANY_STREAMS');
    a.close();
    let again: Response | undefined;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      await again?.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await fetch(`${address}/v1/stream`);
    }
    expect(again?.status).toBe(200);
    await again?.body?.cancel();
  });
});
