import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// The page's hand-written files: read once, served from memory.
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The directory of the page, next to src/ and dist/. */
export const PUBLIC_DIR = join(__dirname, '..', '..', 'public');

/**
 * Serves the page at `/` and the app bundle esbuild wrote to `public/dist/` (`make build`) at
 * `/dist/<file>`; it calls the API over HTTP like any front-end.
 */
export async function pageRoutes(
  app: FastifyInstance,
  { publicDir }: { publicDir: string },
): Promise<void> {
  const files = { ...FILES };
  const dist = join(publicDir, 'dist');
  if (existsSync(dist)) {
    for (const name of readdirSync(dist)) {
      const type = TYPES[extname(name)];
      if (type) files[`/dist/${name}`] = { file: join('dist', name), type };
    }
  }
  for (const [url, { file, type }] of Object.entries(files)) {
    const body = readFileSync(join(publicDir, file));
    app.get(
      url,
      { schema: { hide: true }, config: { rateLimit: false } },
      async (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(body),
    );
  }
}
