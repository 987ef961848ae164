#!/usr/bin/env node
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { APP_DEFAULTS, buildApp } from './app';
import { parseServerConfig, type ServerConfig, usage } from './config';
import { PgHistoryStore } from './history/store';
import { redactUrl } from './near';
import type { DemoWallet } from './routes/app-config';
import { NearStateSource } from './state/near-source';

/** A running API process: its app, the URL it listens on, and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Starts the API on chain state read through near-api-js; resolves once it is listening. */
export async function startServer(
  config: ServerConfig,
  extras: { demo?: DemoWallet } = {},
): Promise<RunningServer> {
  // the rate limit's counters, shared by every replica on the same Redis
  const redis =
    config.redisUrl === undefined
      ? undefined
      : new Redis(config.redisUrl, { connectTimeout: 1000, maxRetriesPerRequest: 1 });
  const history =
    config.historyDatabaseUrl === undefined
      ? undefined
      : new PgHistoryStore(config.historyDatabaseUrl);
  const app = await buildApp({
    history,
    source: new NearStateSource({
      rpcUrl: config.rpcUrl,
      contractId: config.contractId,
      pollIntervalMs: config.pollIntervalMs,
      rpcTimeoutMs: config.rpcTimeoutMs,
      log: {
        info: (obj, msg) => app.log.info(obj, msg),
        warn: (obj, msg) => app.log.warn(obj, msg),
      },
    }),
    maxStaleMs: config.maxStaleMs,
    quoteCacheEntries: config.quoteCacheEntries,
    rateLimit: config.rateLimit,
    corsOrigin: config.corsOrigin,
    epochDurationMs: config.epochDurationMs,
    logger: { level: config.logLevel },
    slowRequestMs: config.slowRequestMs,
    logRequests: config.logRequests,
    redis,
    trustProxy: config.trustProxy,
    maxStreamsPerClient: config.maxStreamsPerClient,
    network: { networkId: config.networkId, rpcUrl: config.publicRpcUrl, demo: extras.demo },
    loadShedding:
      config.shedEventLoopDelayMs === 0
        ? false
        : { ...APP_DEFAULTS.loadShedding, maxEventLoopDelayMs: config.shedEventLoopDelayMs },
  });
  let lastRedisError: string | undefined;
  redis?.on('error', (error: Error) => {
    // ioredis retries by itself; log each new failure once (requests pass meanwhile: skipOnError)
    if (error.message !== lastRedisError)
      app.log.warn({ err: error.message }, 'rate-limit Redis failing');
    lastRedisError = error.message;
  });
  redis?.on('ready', () => {
    if (lastRedisError !== undefined) app.log.info('rate-limit Redis reachable again');
    lastRedisError = undefined;
  });
  if (history)
    app.addHook('onClose', async () => void (await history.close().catch(() => undefined)));
  if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => undefined)));
  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      rpc: redactUrl(config.rpcUrl),
      contract: config.contractId,
      rateLimitStore: config.redisUrl ? redactUrl(config.redisUrl) : 'memory',
      historyStore: config.historyDatabaseUrl
        ? redactUrl(config.historyDatabaseUrl)
        : 'none (/v1/history/* answer 503)',
    },
    `quote API on ${address}`,
  );
  return { app, url: address, close: () => app.close() };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(usage());
    return;
  }
  let config: ServerConfig;
  try {
    config = parseServerConfig(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const server = await startServer(config);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`E_START: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
