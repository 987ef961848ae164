// The store's connection: PGlite (embedded, a data directory, no server) by default, or a Postgres
// server when DATABASE_URL is set. Both run the same SQL through this one small interface.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { nodeRequire } from './node-require';

/** Something SQL runs on: the database or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** An open store. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several `;`-separated statements (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction: all of it is stored, or none. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The embedded database (PGlite only), e.g. to serve it over the Postgres wire protocol. */
  readonly pglite?: PGlite;
}

/** Where the store lives: a Postgres URL, else a PGlite data directory (undefined: in memory). */
export interface DbTarget {
  databaseUrl?: string;
  dataDir?: string;
}

function pgliteDb(db: PGlite): Db {
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows,
  });
  return {
    kind: 'pglite',
    pglite: db,
    ...wrap(db),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}

function postgresDb(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) =>
      (await q.query(sql, params as unknown[])).rows as T[],
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Opens the store: a Postgres server when `databaseUrl` is set, else PGlite at `dataDir`. */
export async function openDb(target: DbTarget): Promise<Db> {
  if (target.databaseUrl) {
    const db = postgresDb(target.databaseUrl);
    try {
      await db.query('SELECT 1');
    } catch (err) {
      await db.close().catch(() => undefined);
      throw new Error(
        `E_DB_CONNECT: cannot reach the Postgres server at DATABASE_URL (${(err as Error).message}); start it or unset DATABASE_URL to use the embedded PGlite store`,
      );
    }
    return db;
  }
  const { PGlite: Embedded } =
    nodeRequire<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
  const db = new Embedded(target.dataDir);
  await db.waitReady;
  return pgliteDb(db);
}
