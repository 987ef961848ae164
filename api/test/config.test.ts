import { parseServerConfig, usage } from '../src/config';

describe('server configuration', () => {
  test('defaults, environment, then flags (flags win)', () => {
    const defaults = parseServerConfig([], {});
    expect(defaults).toMatchObject({
      rpcUrl: 'http://127.0.0.1:3030',
      contractId: 'metapool.test.near',
      port: 3000,
      maxStaleMs: 60_000,
      rateLimit: { max: 1200, timeWindowMs: 60_000 },
      corsOrigin: '*',
    });
    const env = {
      SNEAR_RPC_URL: 'https://rpc.example',
      SNEAR_API_PORT: '8080',
      SNEAR_RATE_LIMIT: '0',
    };
    const fromEnv = parseServerConfig([], env);
    expect(fromEnv).toMatchObject({ rpcUrl: 'https://rpc.example', port: 8080, rateLimit: false });
    const fromFlags = parseServerConfig(
      [
        '--rpc-url',
        'http://node:3030',
        '--max-stale-ms',
        '5000',
        '--cors-origin',
        'https://app.example',
      ],
      env,
    );
    expect(fromFlags).toMatchObject({
      rpcUrl: 'http://node:3030',
      port: 8080,
      maxStaleMs: 5000,
      corsOrigin: ['https://app.example'],
    });
  });

  test("the app's network: localnet by default, the API's RPC unless a public one is given", () => {
    expect(parseServerConfig([], {})).toMatchObject({
      networkId: 'localnet',
      publicRpcUrl: 'http://127.0.0.1:3030',
    });
    const env = { SNEAR_NETWORK_ID: 'mainnet', SNEAR_PUBLIC_RPC_URL: 'https://rpc.example' };
    expect(parseServerConfig([], env)).toMatchObject({
      networkId: 'mainnet',
      publicRpcUrl: 'https://rpc.example',
    });
    expect(() => parseServerConfig(['--network-id', 'devnet'], {})).toThrow(/--network-id/);
  });

  test('bad values name the flag; unknown flags are refused', () => {
    expect(() => parseServerConfig(['--port', 'http'], {})).toThrow(
      /E_CONFIG: --port must be an integer/,
    );
    expect(() => parseServerConfig([], { SNEAR_POLL_MS: '-1' })).toThrow(/--poll-ms/);
    expect(() => parseServerConfig(['--prot', '1'], {})).toThrow();
  });

  test('replica settings: shared Redis, trusted proxies, stream cap, load shedding', () => {
    expect(parseServerConfig([], {})).toMatchObject({
      redisUrl: undefined,
      trustProxy: false,
      maxStreamsPerClient: 5,
      shedEventLoopDelayMs: 1000,
    });
    expect(
      parseServerConfig(['--trust-proxy', '10.0.0.0/8, 127.0.0.1', '--max-streams-per-ip', '2'], {
        REDIS_URL: 'redis://cache:6379',
      }),
    ).toMatchObject({
      redisUrl: 'redis://cache:6379',
      trustProxy: ['10.0.0.0/8', '127.0.0.1'],
      maxStreamsPerClient: 2,
    });
    expect(parseServerConfig([], { SNEAR_TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(() => parseServerConfig(['--max-streams-per-ip', '0'], {})).toThrow(
      /--max-streams-per-ip/,
    );
  });

  test('usage lists every flag with its variable', () => {
    expect(usage()).toContain('--max-stale-ms');
    expect(usage()).toContain('SNEAR_RATE_LIMIT');
  });
});
