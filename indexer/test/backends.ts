// The two store backends every store suite runs on: PGlite (always) and a Postgres server when
// DATABASE_URL names one (`make test` starts a throwaway server and sets it). Each store gets its
// own fresh database so suites running at the same time never share rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Db, openDb } from '../src/db';
import { migrate } from '../src/migrations';

export interface Store {
  /** Opens (again) the same store, migrated: a restarted process. */
  open(): Promise<Db>;
  /** The postgres:// URL of a server-backed store (undefined on PGlite). */
  url?: string;
  drop(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  create(): Promise<Store>;
}

const pglite: Backend = {
  name: 'pglite',
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snear-indexer-'));
    return {
      open: async () => {
        const db = await openDb({ dataDir: dir });
        await migrate(db);
        return db;
      },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
};

function postgres(serverUrl: string): Backend {
  return {
    name: 'postgres',
    async create() {
      const name = `snear_idx_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        open: async () => {
          const db = await openDb({ databaseUrl: url.toString() });
          await migrate(db);
          return db;
        },
        drop: async () => {
          const c = new pg.Client({ connectionString: serverUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    },
  };
}

/** PGlite, plus the Postgres server when DATABASE_URL is set. */
export function backends(): Backend[] {
  const url = process.env.DATABASE_URL;
  return url ? [pglite, postgres(url)] : [pglite];
}

/** Says why the Postgres runs are missing (printed once, never counted as passes). */
export function postgresMissingNote(): string | undefined {
  return process.env.DATABASE_URL
    ? undefined
    : 'DATABASE_URL is not set: the store suites ran on PGlite only (make test starts a Postgres server)';
}
