import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// The page's files (a handful): read once, served from memory.
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** The directory of the page, next to src/ and dist/. */
export const PUBLIC_DIR = join(__dirname, '..', '..', 'public');

/** Serves the page at `/` (it calls the API over HTTP like any front-end). */
export async function pageRoutes(
  app: FastifyInstance,
  { publicDir }: { publicDir: string },
): Promise<void> {
  for (const [url, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(join(publicDir, file));
    app.get(
      url,
      { schema: { hide: true }, config: { rateLimit: false } },
      async (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(body),
    );
  }
}
