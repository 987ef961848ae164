import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from '../context';

/** GET /metrics: Prometheus text exposition. */
export async function metricsRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get(
    '/metrics',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Prometheus metrics (text format 0.0.4)',
        tags: ['ops'],
        produces: ['text/plain'],
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      reply.type('text/plain; version=0.0.4; charset=utf-8');
      return ctx.metrics.render(ctx.source.status(), ctx.now());
    },
  );
}
