import { parseArgs } from 'node:util';
import { APP_DEFAULTS } from './app';

/** Everything the API process is configured with (flags win over environment variables). */
export interface ServerConfig {
  rpcUrl: string;
  contractId: string;
  host: string;
  port: number;
  pollIntervalMs: number;
  rpcTimeoutMs: number;
  maxStaleMs: number;
  quoteCacheEntries: number;
  rateLimit: { max: number; timeWindowMs: number } | false;
  corsOrigin: string | string[];
  epochDurationMs: number;
  logLevel: string;
  slowRequestMs: number;
  logRequests: boolean;
  /** Redis for the shared rate limit (may carry a password: never logged), or undefined. */
  redisUrl?: string;
  trustProxy: boolean | string | string[];
  maxStreamsPerClient: number;
  /** Event-loop delay (ms) past which requests get 503 OVERLOADED; 0 = no load shedding. */
  shedEventLoopDelayMs: number;
  /** The indexer's history store (postgres:// URL), or undefined: /v1/history/* answer 503. */
  historyDatabaseUrl?: string;
  /** What the app's wallet connects to: localnet, testnet or mainnet. */
  networkId: string;
  /** The RPC the browser app reads and sends through (default: --rpc-url). */
  publicRpcUrl: string;
}

// flag name → [environment variable, default, help]
const SETTINGS = {
  'rpc-url': ['SNEAR_RPC_URL', 'http://127.0.0.1:3030', 'NEAR JSON-RPC endpoint'],
  'contract-id': ['SNEAR_CONTRACT_ID', 'metapool.test.near', 'metapool account id'],
  'network-id': [
    'SNEAR_NETWORK_ID',
    'localnet',
    "the app's wallet network: localnet, testnet, mainnet",
  ],
  'public-rpc-url': ['SNEAR_PUBLIC_RPC_URL', '', 'RPC the browser app uses ("" = --rpc-url)'],
  host: ['SNEAR_API_HOST', '127.0.0.1', 'interface to listen on'],
  port: ['SNEAR_API_PORT', '3000', 'port to listen on (0 = any free port)'],
  'poll-ms': ['SNEAR_POLL_MS', '500', 'how often to check for a new final block'],
  'rpc-timeout-ms': ['SNEAR_RPC_TIMEOUT_MS', '3000', 'longest wait for one RPC answer'],
  'max-stale-ms': [
    'SNEAR_MAX_STALE_MS',
    String(APP_DEFAULTS.maxStaleMs),
    'serve the last state at most this long after the chain last confirmed it, then 503',
  ],
  'quote-cache': [
    'SNEAR_QUOTE_CACHE',
    String(APP_DEFAULTS.quoteCacheEntries),
    'quotes memoised per block (0 = off)',
  ],
  'rate-limit': [
    'SNEAR_RATE_LIMIT',
    String(APP_DEFAULTS.rateLimit.max),
    'requests per client per window (0 = off)',
  ],
  'rate-window-ms': [
    'SNEAR_RATE_WINDOW_MS',
    String(APP_DEFAULTS.rateLimit.timeWindowMs),
    'rate-limit window',
  ],
  'cors-origin': ['SNEAR_CORS_ORIGIN', '*', 'allowed CORS origins, comma-separated ("*" = any)'],
  'epoch-ms': [
    'SNEAR_EPOCH_MS',
    String(APP_DEFAULTS.epochDurationMs),
    'typical epoch duration, for delayed-unstake dates',
  ],
  'log-level': ['SNEAR_LOG_LEVEL', 'info', 'pino log level'],
  'slow-ms': [
    'SNEAR_SLOW_MS',
    String(APP_DEFAULTS.slowRequestMs),
    'log requests slower than this at warn (5xx are always logged)',
  ],
  'log-requests': ['SNEAR_LOG_REQUESTS', '0', '1 = log every request at info (else at debug)'],
  'redis-url': [
    'REDIS_URL',
    '',
    'Redis shared by all replicas for the rate limit (empty = in memory, per replica)',
  ],
  'trust-proxy': [
    'SNEAR_TRUST_PROXY',
    '0',
    'read client addresses from X-Forwarded-For: 1 = any proxy, or proxy addresses/CIDRs, comma-separated',
  ],
  'max-streams-per-ip': [
    'SNEAR_MAX_STREAMS_PER_IP',
    String(APP_DEFAULTS.maxStreamsPerClient),
    'live streams (/v1/stream) one client address may hold',
  ],
  'shed-loop-delay-ms': [
    'SNEAR_SHED_LOOP_DELAY_MS',
    String(APP_DEFAULTS.loadShedding.maxEventLoopDelayMs),
    'answer 503 OVERLOADED past this event-loop delay (0 = never)',
  ],
  'history-database-url': [
    'SNEAR_HISTORY_DATABASE_URL',
    '',
    "the indexer's store: its DATABASE_URL, or the URL it prints for its PGlite (empty = no history routes)",
  ],
} as const;

type Flag = keyof typeof SETTINGS;

/** Usage text listing every flag, its environment variable and default. */
export function usage(): string {
  const lines = Object.entries(SETTINGS).map(
    ([flag, [env, def, help]]) =>
      `  --${flag.padEnd(16)} ${env.padEnd(22)} ${help} (default ${def})`,
  );
  return `Usage: node api/dist/server.js [flags]\n${lines.join('\n')}\n`;
}

function integer(flag: Flag, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`E_CONFIG: --${flag} must be an integer >= ${min}, got "${text}"`);
  }
  return value;
}

function flag(name: Flag, text: string): boolean {
  if (text !== '0' && text !== '1') {
    throw new Error(`E_CONFIG: --${name} must be 0 or 1, got "${text}"`);
  }
  return text === '1';
}

function trustProxy(text: string): boolean | string[] {
  if (text === '0' || text === '') return false;
  if (text === '1') return true;
  return text.split(',').map((a) => a.trim());
}

function networkId(text: string): string {
  if (!['localnet', 'testnet', 'mainnet'].includes(text)) {
    throw new Error(`E_CONFIG: --network-id must be localnet, testnet or mainnet, got "${text}"`);
  }
  return text;
}

/** Reads the configuration from command-line flags and environment variables. */
export function parseServerConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ServerConfig {
  const options = Object.fromEntries(
    Object.keys(SETTINGS).map((flag) => [flag, { type: 'string' as const }]),
  );
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const get = (flag: Flag): string => {
    const [envName, fallback] = SETTINGS[flag];
    return (values[flag] as string | undefined) ?? env[envName] ?? fallback;
  };
  const rateMax = integer('rate-limit', get('rate-limit'), 0);
  const cors = get('cors-origin');
  return {
    rpcUrl: get('rpc-url'),
    contractId: get('contract-id'),
    host: get('host'),
    port: integer('port', get('port'), 0),
    pollIntervalMs: integer('poll-ms', get('poll-ms'), 10),
    rpcTimeoutMs: integer('rpc-timeout-ms', get('rpc-timeout-ms'), 10),
    maxStaleMs: integer('max-stale-ms', get('max-stale-ms'), 0),
    quoteCacheEntries: integer('quote-cache', get('quote-cache'), 0),
    rateLimit:
      rateMax === 0
        ? false
        : { max: rateMax, timeWindowMs: integer('rate-window-ms', get('rate-window-ms'), 1) },
    corsOrigin: cors === '*' ? '*' : cors.split(',').map((o) => o.trim()),
    epochDurationMs: integer('epoch-ms', get('epoch-ms'), 1),
    logLevel: get('log-level'),
    slowRequestMs: integer('slow-ms', get('slow-ms'), 0),
    logRequests: flag('log-requests', get('log-requests')),
    redisUrl: get('redis-url') === '' ? undefined : get('redis-url'),
    trustProxy: trustProxy(get('trust-proxy')),
    maxStreamsPerClient: integer('max-streams-per-ip', get('max-streams-per-ip'), 1),
    shedEventLoopDelayMs: integer('shed-loop-delay-ms', get('shed-loop-delay-ms'), 0),
    historyDatabaseUrl:
      get('history-database-url') === '' ? undefined : get('history-database-url'),
    networkId: networkId(get('network-id')),
    publicRpcUrl: get('public-rpc-url') || get('rpc-url'),
  };
}
