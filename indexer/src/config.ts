// The indexer process's configuration: flags win over environment variables.
import { parseArgs } from 'node:util';

export interface IndexerConfig {
  rpcUrl: string;
  contractId: string;
  /** First block on an empty store (undefined: the final head when it starts). */
  startBlock?: number;
  /** A Postgres server; undefined: the embedded PGlite store in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** PGlite only: where the store is served over the Postgres wire protocol for the API. */
  serveHost: string;
  servePort: number;
  pollMs: number;
  progressMs: number;
  batchBlocks: number;
  logLevel: string;
}

// flag name → [environment variable, default, help]
const SETTINGS = {
  'rpc-url': ['SNEAR_RPC_URL', 'http://127.0.0.1:3030', 'NEAR JSON-RPC endpoint (any node)'],
  'contract-id': ['SNEAR_CONTRACT_ID', 'metapool.test.near', 'metapool account id'],
  'start-block': [
    'SNEAR_INDEXER_START_BLOCK',
    '',
    'first block on an empty store (empty = the final head at start)',
  ],
  'database-url': [
    'DATABASE_URL',
    '',
    'Postgres server URL (empty = embedded PGlite in --data-dir)',
  ],
  'data-dir': ['SNEAR_INDEXER_DATA_DIR', '.snear-indexer', 'PGlite data directory'],
  'serve-host': ['SNEAR_INDEXER_PG_HOST', '127.0.0.1', 'PGlite: interface the store is served on'],
  'serve-port': [
    'SNEAR_INDEXER_PG_PORT',
    '5433',
    'PGlite: port the store is served on over the Postgres protocol (0 = any free port)',
  ],
  'poll-ms': ['SNEAR_INDEXER_POLL_MS', '1000', 'wait between polls once caught up'],
  'progress-ms': ['SNEAR_INDEXER_PROGRESS_MS', '5000', 'progress log interval'],
  'batch-blocks': ['SNEAR_INDEXER_BATCH_BLOCKS', '100', 'blocks stored per batch'],
  'log-level': ['SNEAR_LOG_LEVEL', 'info', 'pino log level'],
} as const;

type Flag = keyof typeof SETTINGS;

export function usage(): string {
  const lines = Object.entries(SETTINGS).map(
    ([flag, [env, def, help]]) =>
      `  --${flag.padEnd(14)} ${env.padEnd(26)} ${help}${def ? ` (default ${def})` : ''}`,
  );
  return `Usage: node indexer/dist/cli.js [flags]\n${lines.join('\n')}\n`;
}

function integer(flag: Flag, text: string, min: number): number {
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min) {
    throw new Error(`E_CONFIG: --${flag} must be an integer >= ${min}, got "${text}"`);
  }
  return value;
}

export function parseIndexerConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): IndexerConfig {
  const options = Object.fromEntries(
    Object.keys(SETTINGS).map((flag) => [flag, { type: 'string' as const }]),
  );
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const get = (flag: Flag): string => {
    const [envName, fallback] = SETTINGS[flag];
    return (values[flag] as string | undefined) ?? env[envName] ?? fallback;
  };
  const start = get('start-block');
  const url = get('database-url');
  return {
    rpcUrl: get('rpc-url'),
    contractId: get('contract-id'),
    startBlock: start === '' ? undefined : integer('start-block', start, 0),
    databaseUrl: url === '' ? undefined : url,
    dataDir: get('data-dir'),
    serveHost: get('serve-host'),
    servePort: integer('serve-port', get('serve-port'), 0),
    pollMs: integer('poll-ms', get('poll-ms'), 10),
    progressMs: integer('progress-ms', get('progress-ms'), 0),
    batchBlocks: integer('batch-blocks', get('batch-blocks'), 1),
    logLevel: get('log-level'),
  };
}
