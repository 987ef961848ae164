// PGlite is one process's embedded database: the API, a separate process, cannot open its data
// directory. The indexer therefore serves its PGlite over the Postgres wire protocol
// (@electric-sql/pglite-socket), and the API reads it with `pg` through a URL, exactly as it reads
// a Postgres server: one read path, the same SQL.
import type * as PGliteSocket from '@electric-sql/pglite-socket';
import type { Db } from './db';
import { nodeRequire } from './node-require';

export interface ServedStore {
  /** postgres://… URL the API uses (SNEAR_HISTORY_DATABASE_URL). */
  url: string;
  close(): Promise<void>;
}

/** Serves an open PGlite store on host:port (0 = a free port). */
export async function serveStore(db: Db, host: string, port: number): Promise<ServedStore> {
  if (!db.pglite) throw new Error('E_SERVE_STORE: only the embedded PGlite store is served');
  const { PGLiteSocketServer } = nodeRequire<typeof PGliteSocket>('@electric-sql/pglite-socket');
  const server = new PGLiteSocketServer({ db: db.pglite, host, port, maxConnections: 16 });
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `E_SERVE_PORT: cannot serve the store on ${host}:${port} (${(err as Error).message}); pick another with --serve-port (SNEAR_INDEXER_PG_PORT, 0 = any free port)`,
    );
  }
  const [, boundPort] = server.getServerConn().split(/:(?=\d+$)/);
  return {
    url: `postgres://postgres@${host}:${boundPort}/postgres`,
    close: () => server.stop(),
  };
}
