/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import { connect } from 'node:net';
import { poolStateFromContractView, quoteLiquidUnstake, quoteToView } from '@snear/amm-math';
import pino from 'pino';
import { closeApps, demoApp, demoView, ONE } from './fixtures';

afterEach(closeApps);

describe('GET /v1/state', () => {
  test('pool numbers, derived figures, delayed-unstake estimate and the raw view', async () => {
    const { app, clock } = await demoApp({ epochDurationMs: 1000 });
    const res = await app.inject('/v1/state');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const view = demoView();
    expect(body.block_height).toBe(1000);
    expect(body.epoch_height).toBe(12);
    expect(body.rpc_ok).toBe(true);
    expect(body.pool).toMatchObject({
      total_staked_near: view.total_staked_near,
      liquidity: view.liquidity,
      min_fee_bps: 30,
      max_fee_bps: 300,
    });
    expect(body.delayed_unstake).toEqual({
      epochs: 4,
      epoch_duration_ms: 1000,
      estimated_wait_ms: 4000,
      estimated_ready_at_ms: clock.ms + 4000,
    });
    expect(body.metapool.validators[0].account_id).toBe('pool-1.test.near');
    await app.close();
  });
});

describe('RPC down and stale state', () => {
  test('no state read yet → 503 STATE_UNAVAILABLE naming the RPC error', async () => {
    const { app, source } = await demoApp({ view: null });
    source.fail('connect ECONNREFUSED 127.0.0.1:3030');
    for (const url of ['/v1/state', `/v1/quote/liquid-unstake?snear=${ONE}`, '/ready']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('STATE_UNAVAILABLE');
      expect(res.json().message).toMatch(/ECONNREFUSED/);
      expect(res.headers['retry-after']).toBeDefined();
    }
    expect((await app.inject('/health')).statusCode).toBe(200);
    await app.close();
  });

  test('RPC failing within the bound → last state with its height and age; /ready says 503', async () => {
    const { app, source, clock } = await demoApp({ maxStaleMs: 30_000 });
    source.fail('E_RPC_TIMEOUT: block took longer than 3000 ms');
    clock.ms += 20_000;
    const quote = await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    expect(quote.statusCode).toBe(200);
    expect(quote.json()).toMatchObject({ block_height: 1000, state_age_ms: 20_000, rpc_ok: false });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().code).toBe('RPC_UNREACHABLE');
    await app.close();
  });

  test('an outage is logged once at warn, not a stack trace per request', async () => {
    const lines: Array<{ level: number; msg: string; err?: unknown }> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const { app, source, clock } = await demoApp({ maxStaleMs: 1_000, logger });
    source.fail('E_RPC_TIMEOUT: block took longer than 3000 ms');
    clock.ms += 5_000;
    for (let i = 0; i < 5; i++) {
      expect((await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`)).statusCode).toBe(503);
    }
    const warned = lines.filter((l) => l.msg === 'answering 503');
    expect(warned).toHaveLength(1);
    expect(warned[0].level).toBe(40);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    source.setView(demoView({ block_height: 1001 }));
    expect((await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`)).statusCode).toBe(200);
    source.fail('E_RPC_TIMEOUT again');
    clock.ms += 5_000;
    await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    expect(lines.filter((l) => l.msg === 'answering 503')).toHaveLength(2);
    await app.close();
  });

  test('beyond the staleness bound → 503 STATE_STALE with block height and age', async () => {
    const { app, source, clock } = await demoApp({ maxStaleMs: 30_000 });
    source.fail('E_RPC_TIMEOUT: block took longer than 3000 ms');
    clock.ms += 30_001;
    const res = await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'STATE_STALE', block_height: 1000, age_ms: 30_001 });
    expect(res.json().message).toMatch(/E_RPC_TIMEOUT/);
    // the chain answers again: quotes resume from the new block
    source.setView(demoView({ block_height: 1001 }));
    const again = await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    expect(again.statusCode).toBe(200);
    expect(again.json().block_height).toBe(1001);
    await app.close();
  });

  test('a new block replaces cached quotes', async () => {
    const { app, source } = await demoApp();
    const url = `/v1/quote/liquid-unstake?snear=${100n * ONE}`;
    const before = (await app.inject(url)).json();
    const view = demoView({ block_height: 1001, liquidity: (5_000n * ONE).toString() });
    source.setView(view);
    const after = (await app.inject(url)).json();
    expect(after.block_height).toBe(1001);
    const q = quoteLiquidUnstake(poolStateFromContractView(view), 100n * ONE);
    expect(after).toMatchObject({ ...quoteToView(q), fee_bps: q.feeBps });
    expect(after.near_out).not.toBe(before.near_out);
    await app.close();
  });
});

describe('POST /v1/quotes', () => {
  test('mixed kinds from one state; a failing item does not fail the batch', async () => {
    const { app } = await demoApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/quotes',
      payload: {
        quotes: [
          { kind: 'liquid-unstake', snear: (10n * ONE).toString(), slippage_bps: 0 },
          { kind: 'stake', amount: '3.25' },
          { kind: 'liquid-unstake', snear: (10n ** 30n).toString() },
          { kind: 'add-liquidity' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.block_height).toBe(1000);
    const single = (
      await app.inject(`/v1/quote/liquid-unstake?snear=${10n * ONE}&slippage_bps=0`)
    ).json();
    expect(body.results[0]).toEqual({
      ok: true,
      quote: expect.objectContaining({ near_out: single.near_out, min_near_out: single.near_out }),
    });
    expect(body.results[1].quote.near_in).toBe((3n * ONE + ONE / 4n).toString());
    expect(body.results[2]).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_LIQUIDITY' } });
    expect(body.results[2].error.max_snear_in).toMatch(/^\d+$/);
    expect(body.results[3]).toMatchObject({ ok: false, error: { code: 'MISSING_AMOUNT' } });
    await app.close();
  });

  test.each([
    [
      '101 items',
      { quotes: Array.from({ length: 101 }, () => ({ kind: 'stake', near: '1' })) },
      400,
    ],
    ['no items', { quotes: [] }, 400],
    ['unknown kind', { quotes: [{ kind: 'swap', near: '1' }] }, 400],
    ['not an array', { quotes: 'x' }, 400],
    ['missing quotes', {}, 400],
  ])('%s → 400 INVALID_REQUEST', async (_name, payload, status) => {
    const { app } = await demoApp();
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe('INVALID_REQUEST');
    await app.close();
  });

  test('bad JSON → 400 INVALID_JSON; wrong content type → 415', async () => {
    const { app } = await demoApp();
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/quotes',
      headers: { 'content-type': 'application/json' },
      payload: '{"quotes": [',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_JSON');
    const text = await app.inject({
      method: 'POST',
      url: '/v1/quotes',
      headers: { 'content-type': 'application/xml' },
      payload: '<quotes/>',
    });
    expect(text.statusCode).toBe(415);
    // JSON.parse turns 1e400 into Infinity, which schema validation alone lets through
    const huge = await app.inject({
      method: 'POST',
      url: '/v1/quotes',
      headers: { 'content-type': 'application/json' },
      payload: '{"quotes":[{"kind":"liquid-unstake","snear":"1000","slippage_bps":1e400}]}',
    });
    expect(huge.statusCode).toBeLessThan(500);
    expect(JSON.stringify(huge.json())).toContain('slippage_bps');
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await app.close();
  });
});

describe('operations', () => {
  test('/health and /ready when the chain is reachable', async () => {
    const { app } = await demoApp();
    expect((await app.inject('/health')).json().status).toBe('ok');
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, block_height: 1000 });
    await app.close();
  });

  test('/metrics counts requests and exposes the state gauges in Prometheus text', async () => {
    const { app } = await demoApp();
    await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    await app.inject('/v1/quote/liquid-unstake?snear=-1');
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain(
      'snear_api_requests_total{method="GET",route="/v1/quote/liquid-unstake",status="200"} 1',
    );
    expect(res.body).toContain(
      'snear_api_requests_total{method="GET",route="/v1/quote/liquid-unstake",status="400"} 1',
    );
    expect(res.body).toContain('snear_state_block_height 1000');
    expect(res.body).toContain('snear_rpc_up 1');
    expect(res.body).toMatch(
      /snear_api_request_duration_seconds_count\{route="\/v1\/quote\/liquid-unstake"\} 2/,
    );
    // the histogram is cumulative and ends at the count
    const buckets = [
      ...res.body.matchAll(
        /duration_seconds_bucket\{route="\/v1\/quote\/liquid-unstake",le="[^"]+"\} (\d+)/g,
      ),
    ].map((m) => Number(m[1]));
    expect(buckets).toHaveLength(11);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe(2);
    await app.close();
  });

  test('/openapi.json documents every route; /docs serves Swagger UI', async () => {
    const { app } = await demoApp();
    const spec = (await app.inject('/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/state',
      '/v1/quote/liquid-unstake',
      '/v1/quote/liquid-unstake-exact-out',
      '/v1/quote/stake',
      '/v1/quote/add-liquidity',
      '/v1/quote/remove-liquidity',
      '/v1/fee-curve',
      '/v1/quotes',
      '/v1/stream',
      '/health',
      '/ready',
      '/metrics',
    ]) {
      expect(spec.paths).toHaveProperty([path]);
    }
    const params = spec.paths['/v1/quote/liquid-unstake'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(params).toEqual(expect.arrayContaining(['snear', 'amount', 'slippage_bps']));
    const docs = await app.inject('/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('SwaggerUIBundle');
    expect((await app.inject('/docs/static/swagger-ui-bundle.js')).statusCode).toBe(200);
    expect((await app.inject('/docs/static/..%2Fpackage.json')).statusCode).toBe(404);
    await app.close();
  });

  test('the page is served at /', async () => {
    const { app } = await demoApp();
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('/dist/app.js');
    // the bundle (make build) and its on-demand chunks are served from public/dist
    const bundle = await app.inject('/dist/app.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/text\/javascript/);
    const chunk = /from"\.\/(chunk-[A-Z0-9]+\.js)"/.exec(bundle.body)?.[1];
    expect((await app.inject(`/dist/${chunk}`)).statusCode).toBe(200);
    expect((await app.inject('/dist/..%2Findex.html')).statusCode).toBe(404);
    await app.close();
  });

  test('/v1/app/config: the network, and a demo key only when one is handed in', async () => {
    const { app } = await demoApp();
    const body = (await app.inject('/v1/app/config')).json();
    expect(body).toMatchObject({ network_id: 'localnet', demo: null });
    // no demo wallet: no RPC proxy either
    expect((await app.inject({ method: 'POST', url: '/v1/dev/rpc', payload: {} })).statusCode).toBe(
      404,
    );
    await app.close();
  });

  test('CORS: any origin by default, or the configured ones; preflight answered', async () => {
    const open = await demoApp();
    const res = await open.app.inject({
      url: '/v1/state',
      headers: { origin: 'https://wallet.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const preflight = await open.app.inject({
      method: 'OPTIONS',
      url: '/v1/quotes',
      headers: {
        origin: 'https://wallet.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type');
    await open.app.close();
    const strict = await demoApp({ corsOrigin: ['https://snear.example', 'https://app.example'] });
    const other = await strict.app.inject({
      url: '/v1/state',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers.vary).toBe('Origin');
    const listed = await strict.app.inject({
      url: '/v1/state',
      headers: { origin: 'https://app.example' },
    });
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example');
    await strict.app.close();
  });

  test('rate limit → 429 RATE_LIMITED with retry information; /health is exempt', async () => {
    const { app } = await demoApp({ rateLimit: { max: 2, timeWindowMs: 60_000 } });
    const url = `/v1/quote/liquid-unstake?snear=${ONE}`;
    expect((await app.inject(url)).statusCode).toBe(200);
    expect((await app.inject(url)).statusCode).toBe(200);
    const limited = await app.inject(url);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 3; i++) expect((await app.inject('/health')).statusCode).toBe(200);
    await app.close();
  });

  test('unknown route → 404 NOT_FOUND pointing to /docs', async () => {
    const { app } = await demoApp();
    const res = await app.inject('/v1/quote/swap?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(res.json().message).toMatch(/\/docs/);
    await app.close();
  });

  test('a malformed chain view is a server-side error, never blamed on the client', async () => {
    const { app, source } = await demoApp();
    expect(() => source.setView({ ...demoView(), liquidity: '-1' })).toThrow();
    // the previous good state keeps being served
    expect((await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`)).statusCode).toBe(200);
    await app.close();
  });
});

describe("Node's own answers to malformed HTTP carry a code too", () => {
  /** Sends raw bytes to a listening app and returns the whole answer. */
  async function raw(request: string): Promise<string> {
    const { app } = await demoApp();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    await app.close();
    return answer;
  }

  test('a malformed request line → 400 BAD_REQUEST', async () => {
    const answer = await raw('GARBAGE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).code).toBe('BAD_REQUEST');
  });

  test('headers over the limit → 431 HEADERS_TOO_LARGE', async () => {
    const answer = await raw(
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).code).toBe('HEADERS_TOO_LARGE');
  });
});

test('the OpenAPI error body lists every code as an enum', async () => {
  const { app } = await demoApp();
  const doc = (await app.inject('/openapi.json')).json();
  const codes = doc.components.schemas.ErrorBody.properties.code.enum as string[];
  for (const code of [
    'UNKNOWN_PARAMETER',
    'AMOUNT_TOO_SMALL',
    'STATE_STALE',
    'BAD_REQUEST',
    'HEADERS_TOO_LARGE',
  ]) {
    expect(codes).toContain(code);
  }
  await app.close();
});

describe('HTTP caching, compression and load shedding', () => {
  test('state-derived answers carry a weak ETag naming the block; If-None-Match → 304 until the next block', async () => {
    const { app, source } = await demoApp();
    for (const url of [
      `/v1/quote/liquid-unstake?snear=${ONE}`,
      '/v1/state',
      '/v1/fee-curve',
      '/v1/metrics.json',
    ]) {
      const first = await app.inject(url);
      expect(first.headers.etag).toBe('W/"1000-1"');
      expect(first.headers['cache-control']).toBe('public, no-cache');
      const again = await app.inject({ url, headers: { 'if-none-match': 'W/"1000-1"' } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    }
    source.setView(demoView({ block_height: 1001 }));
    const next = await app.inject({ url: '/v1/state', headers: { 'if-none-match': 'W/"1000-1"' } });
    expect(next.statusCode).toBe(200);
    expect(next.headers.etag).toBe('W/"1001-1"');
    await app.close();
  });

  test('large bodies are compressed for clients that accept it; small quotes are not', async () => {
    const { app } = await demoApp();
    const curve = await app.inject({
      url: '/v1/fee-curve?points=200',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(curve.headers['content-encoding']).toBe('gzip');
    const quote = await app.inject({
      url: `/v1/quote/stake?near=${ONE}`,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(quote.headers['content-encoding']).toBeUndefined();
    await app.close();
  });

  test('under pressure the API sheds load: 503 OVERLOADED with retry-after', async () => {
    const { app } = await demoApp({
      loadShedding: {
        maxEventLoopDelayMs: 0,
        maxEventLoopUtilization: 0,
        maxHeapUsedBytes: 1, // always over: the heap is never 1 byte
        sampleIntervalMs: 5,
      },
    });
    let res = await app.inject(`/v1/quote/stake?near=${ONE}`);
    for (let i = 0; i < 100 && res.statusCode !== 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      res = await app.inject(`/v1/quote/stake?near=${ONE}`);
    }
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('OVERLOADED');
    expect(res.headers['retry-after']).toBeDefined();
    await app.close();
  });
});
