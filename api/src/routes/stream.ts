import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from '../context';
import { ApiError } from '../errors';
import { clientKey } from '../rate-limit';
import { stateBody } from './state-body';

/** GET /v1/stream: Server-Sent Events, one `state` event now and one per new block. */
export async function streamRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  const open = new Set<ServerResponse>();
  // open streams per client address: each holds a socket and a subscriber for as long as it lives
  const perClient = new Map<string, number>();

  // Streams never go idle: end them so that close() does not wait for clients to leave.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
    open.clear();
  });

  app.get(
    '/v1/stream',
    {
      // open for as long as the client listens: not a slow request
      config: { longLived: true },
      schema: {
        summary: 'Server-Sent Events: `state` (same body as /v1/state) at every new block',
        tags: ['state'],
        response: {
          200: {
            description: 'event: state (the /v1/state body) or unavailable (an error body)',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    (request, reply) => {
      const client = clientKey(request.ip);
      const held = perClient.get(client) ?? 0;
      if (held >= ctx.maxStreamsPerClient) {
        throw new ApiError(
          429,
          'TOO_MANY_STREAMS',
          `This address already has ${held} live streams open (the limit); close one, or share one stream between tabs.`,
          { max_streams: ctx.maxStreamsPerClient },
        );
      }
      perClient.set(client, held + 1);
      const raw = reply.raw;
      const send = (event: string, data: unknown, id?: number) => {
        const head = id === undefined ? '' : `id: ${id}\n`;
        raw.write(`${head}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const sendState = () => {
        try {
          const served = ctx.freshness.require();
          send('state', stateBody(served, ctx.epochDurationMs), served.snapshot.blockHeight);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          send('unavailable', { code: error.code, message: error.message, ...error.fields });
        }
      };

      reply.hijack();
      // Headers set by plugins (CORS, rate limit) live on the reply; copy them to the raw stream.
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: 2000\n\n`);
      sendState();
      open.add(raw);
      ctx.metrics.sseClients += 1;

      const unsubscribe = ctx.source.subscribe(() => sendState());
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), ctx.sseHeartbeatMs);
      heartbeat.unref();
      let closed = false;
      const cleanup = () => {
        if (closed) return;
        closed = true;
        open.delete(raw);
        const left = (perClient.get(client) ?? 1) - 1;
        if (left > 0) perClient.set(client, left);
        else perClient.delete(client);
        clearInterval(heartbeat);
        unsubscribe();
        ctx.metrics.sseClients -= 1;
      };
      request.raw.on('close', cleanup);
      raw.on('close', cleanup);
    },
  );
}
