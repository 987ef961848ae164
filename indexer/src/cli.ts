#!/usr/bin/env node
// The indexer process: migrate the store, serve it (PGlite) for the API, follow the chain.
import fs from 'node:fs';
import pino from 'pino';
import { parseIndexerConfig, usage } from './config';
import { openDb } from './db';
import { Indexer } from './indexer';
import { migrate } from './migrations';
import { serveStore } from './serve';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(usage());
    return;
  }
  const config = parseIndexerConfig(process.argv.slice(2));
  const logger = pino({ name: 'snear-indexer', level: config.logLevel });
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(db);
  logger.info(
    { store: db.kind, migrations_applied: applied },
    db.kind === 'postgres'
      ? 'store: Postgres server (DATABASE_URL)'
      : `store: PGlite in ${config.dataDir}`,
  );
  const served =
    db.kind === 'pglite' ? await serveStore(db, config.serveHost, config.servePort) : undefined;
  if (served) {
    logger.info(
      { history_database_url: served.url },
      `store served for the API: SNEAR_HISTORY_DATABASE_URL=${served.url}`,
    );
  }
  const indexer = new Indexer({
    rpcUrl: config.rpcUrl,
    contractId: config.contractId,
    db,
    logger,
    startBlock: config.startBlock,
    pollMs: config.pollMs,
    progressMs: config.progressMs,
    batchBlocks: config.batchBlocks,
  });
  await indexer.init();
  indexer.start();
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping after the batch in progress');
    await indexer.stop();
    await served?.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
