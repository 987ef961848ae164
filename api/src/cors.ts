import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Which origins may call the API from a browser: '*', one origin, or a list. */
export type CorsOrigin = string | string[];

/** Headers a browser client may read: when to retry, and its rate-limit budget. */
export const EXPOSED_HEADERS = [
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'etag',
];

/**
 * CORS for a public, credential-free API through @fastify/cors: `*` by default or an allow-list
 * (answered with the caller's origin and `vary: Origin`), preflight cached for a day, and the
 * retry and rate-limit headers exposed to scripts.
 */
export async function installCors(app: FastifyInstance, origin: CorsOrigin): Promise<void> {
  await app.register(cors, {
    origin: origin === '*' ? '*' : Array.isArray(origin) ? origin : [origin],
    methods: ['GET', 'POST', 'OPTIONS'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 86_400,
    credentials: false,
  });
}
