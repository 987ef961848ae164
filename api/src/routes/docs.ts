import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// Swagger UI's assets as shipped by @fastify/swagger-ui. The plugin itself is not registered: it
// pulls in @fastify/static → content-disposition 3 (ES-module only), which jest cannot load on
// Node 20; serving three files ourselves keeps /docs testable with app.inject.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sNEAR quote API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/static/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>`;

function assetDir(): string {
  return join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
}

/** GET /openapi.json (from @fastify/swagger) and the Swagger UI page at /docs. */
export async function docsRoutes(app: FastifyInstance): Promise<void> {
  const dir = assetDir();
  const files = new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(join(dir, name))]));

  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );
  app.get(
    '/docs',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE),
  );
  app.get<{ Params: { file: string } }>(
    '/docs/static/:file',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (request, reply) => {
      const body = files.get(request.params.file);
      if (!body) {
        return reply
          .code(404)
          .send({ code: 'NOT_FOUND', message: `No documentation asset "${request.params.file}".` });
      }
      return reply
        .type(ASSETS[request.params.file])
        .header('cache-control', 'public, max-age=86400')
        .send(body);
    },
  );
}
