/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import { parseServerConfig } from '../src/config';
import { computeQuote, type QuoteInput, type QuoteKind } from '../src/quotes';
import { clientKey } from '../src/rate-limit';
import { closeApps, demoApp, ONE } from './fixtures';

afterEach(closeApps);

const INPUTS: Array<[QuoteKind, string, QuoteInput]> = [
  [
    'liquid-unstake',
    `snear=${3n * ONE + 7919n}&slippage_bps=75`,
    { snear: `${3n * ONE + 7919n}`, slippage_bps: 75 },
  ],
  [
    'liquid-unstake-exact-out',
    'near=2500000000000000000000000',
    { near: '2500000000000000000000000' },
  ],
  ['stake', 'amount=12.5', { amount: '12.5' }],
  ['add-liquidity', `near=${100n * ONE}`, { near: `${100n * ONE}` }],
  [
    'remove-liquidity',
    `shares=${10n * ONE}&slippage_bps=0`,
    { shares: `${10n * ONE}`, slippage_bps: 0 },
  ],
];

describe('quote bodies (JSON cached per block, state stamp added per request)', () => {
  test.each([10_000, 0])(
    'cache %i: the same bytes as the stamped quote object, stamp always current',
    async (quoteCacheEntries) => {
      const { app, source, clock } = await demoApp({ quoteCacheEntries });
      const snapshot = source.status().snapshot;
      if (!snapshot) throw new Error('no snapshot');
      for (const [kind, query, input] of INPUTS) {
        const url = `/v1/quote/${kind}?${query}`;
        const expected = (ageMs: number, rpcOk: boolean) =>
          JSON.stringify({
            ...computeQuote(kind, input, snapshot, 'metapool.test.near'),
            block_height: 1000,
            block_timestamp_ms: 1_764_000_000_000,
            state_age_ms: ageMs,
            rpc_ok: rpcOk,
          });
        const first = await app.inject(url);
        expect(first.statusCode).toBe(200);
        expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(first.body).toBe(expected(0, true));
        // a second answer (a cache hit when the cache is on) carries the current age and RPC state
        clock.ms += 1500;
        source.fail('connection refused');
        expect((await app.inject(url)).body).toBe(expected(1500, false));
        // back to a fresh, healthy state (a new snapshot of the same view) for the next kind
        clock.ms -= 1500;
        source.setView(snapshot.view);
      }
      await app.close();
    },
  );

  test('an invalid query is still refused by the schema before any cache lookup', async () => {
    const { app } = await demoApp();
    const ok = await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    expect(ok.statusCode).toBe(200);
    for (const bad of [`snear=${ONE}.5`, 'snear=01', `snear=${ONE}&slippage_bps=10001`]) {
      const res = await app.inject(`/v1/quote/liquid-unstake?${bad}`);
      expect([bad, res.statusCode]).toEqual([bad, 400]);
      expect(res.json().code).toBe('INVALID_REQUEST');
    }
    await app.close();
  });
});

describe('rate limit (@fastify/rate-limit)', () => {
  test('limit headers on every answer; 429 RATE_LIMITED with retry-after past it', async () => {
    const { app } = await demoApp({ rateLimit: { max: 2, timeWindowMs: 10_000 } });
    const url = `/v1/quote/liquid-unstake?snear=${ONE}`;
    const first = await app.inject(url);
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    expect(first.headers['x-ratelimit-reset']).toBe('10');
    expect((await app.inject(url)).headers['x-ratelimit-remaining']).toBe('0');
    const limited = await app.inject({ url, headers: { origin: 'https://wallet.example' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.json().message).toMatch(/2 requests per 10 s/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['access-control-allow-origin']).toBe('*');
    // browsers may read when to retry and the remaining budget
    const exposed = String(limited.headers['access-control-expose-headers']);
    for (const h of [
      'retry-after',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ]) {
      expect(exposed).toContain(h);
    }
    await app.close();
  });

  test('the page, static files and /docs do not spend the API budget', async () => {
    const { app } = await demoApp({ rateLimit: { max: 1, timeWindowMs: 60_000 } });
    for (const url of ['/', '/docs', '/openapi.json', '/', '/docs', '/health', '/metrics']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-remaining']).toBeUndefined();
    }
    const quote = await app.inject(`/v1/quote/stake?near=${ONE}`);
    expect(quote.statusCode).toBe(200);
    expect(quote.headers['x-ratelimit-remaining']).toBe('0');
    await app.close();
  });

  test('behind a trusted proxy, clients are told apart by X-Forwarded-For', async () => {
    const { app } = await demoApp({
      rateLimit: { max: 1, timeWindowMs: 60_000 },
      trustProxy: true,
    });
    const as = (ip: string) =>
      app.inject({ url: `/v1/quote/stake?near=${ONE}`, headers: { 'x-forwarded-for': ip } });
    expect((await as('203.0.113.1')).statusCode).toBe(200);
    expect((await as('203.0.113.2')).statusCode).toBe(200);
    expect((await as('203.0.113.1')).statusCode).toBe(429);
    // an IPv6 client's whole /64 shares one budget
    expect((await as('2001:db8:1:2::1')).statusCode).toBe(200);
    expect((await as('2001:db8:1:2::ffff')).statusCode).toBe(429);
    await app.close();
  });

  test('IPv6 clients are keyed by their /64, mapped IPv4 by the IPv4 address', () => {
    expect(clientKey('10.1.2.3')).toBe('10.1.2.3');
    expect(clientKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:DB8:1:2:ffff::9')).toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('logging', () => {
  const capture = () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
    return { lines, logger: { level: 'info', stream } };
  };

  test('no line per successful or client-error request at info; 5xx logged with the request', async () => {
    const { lines, logger } = capture();
    const { app } = await demoApp({ logger });
    await app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    await app.inject('/v1/quote/liquid-unstake?snear=-1');
    expect(lines.filter((l) => /request/.test(String(l.msg)))).toEqual([]);
    await app.close();

    // an expected 503 (no state yet) is one warn line, not an error with a stack
    const down = capture();
    const empty = await demoApp({ view: null, logger: down.logger });
    expect((await empty.app.inject(`/v1/quote/stake?near=${ONE}`)).statusCode).toBe(503);
    expect(down.lines.filter((l) => l.msg === 'request failed')).toEqual([]);
    expect(down.lines.filter((l) => l.msg === 'answering 503')).toMatchObject([
      { level: 40, code: 'STATE_UNAVAILABLE' },
    ]);
    await empty.app.close();

    // an unexpected 5xx is logged at error with the request and the error
    const broken = capture();
    const bug = await demoApp({ logger: broken.logger });
    jest.spyOn(bug.source, 'status').mockImplementation(() => {
      throw new Error('kaboom');
    });
    expect((await bug.app.inject(`/v1/quote/stake?near=${ONE}`)).statusCode).toBe(500);
    const failed = broken.lines.filter((l) => l.msg === 'request failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 50, req: { url: `/v1/quote/stake?near=${ONE}` } });
    expect((failed[0].err as { message: string }).message).toBe('kaboom');
    await bug.app.close();
  });

  test('slow requests at warn; every request at info when asked', async () => {
    const slow = capture();
    const a = await demoApp({ logger: slow.logger, slowRequestMs: 0 });
    await a.app.inject(`/v1/quote/liquid-unstake?snear=${ONE}`);
    const warned = slow.lines.filter((l) => l.msg === 'slow request');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, res: { statusCode: 200 } });
    expect(typeof warned[0].responseTime).toBe('number');
    await a.app.close();

    const all = capture();
    const b = await demoApp({ logger: all.logger, logRequests: true });
    await b.app.inject('/health');
    expect(all.lines.filter((l) => l.msg === 'request completed')).toHaveLength(1);
    await b.app.close();
  });
});

test('--slow-ms and --log-requests configure request logging', () => {
  expect(parseServerConfig([], {})).toMatchObject({ slowRequestMs: 500, logRequests: false });
  expect(parseServerConfig(['--slow-ms', '100'], { SNEAR_LOG_REQUESTS: '1' })).toMatchObject({
    slowRequestMs: 100,
    logRequests: true,
  });
  expect(() => parseServerConfig(['--log-requests', 'yes'], {})).toThrow(/--log-requests/);
});
