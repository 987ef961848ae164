import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiError } from './errors';

/**
 * The rate-limit key of a client address: IPv4 as is, an IPv4-mapped IPv6 address as its IPv4
 * form, other IPv6 addresses by their /64 prefix (one host usually owns a whole /64).
 */
export function clientKey(ip: string): string {
  if (ip.indexOf(':') === -1) return ip;
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return mapped[1];
  const bare = lower.split('%')[0];
  const [head, tail] = bare.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  let groups = headGroups;
  if (tail !== undefined) {
    const tailGroups = tail === '' ? [] : tail.split(':');
    // an embedded IPv4 tail counts as two groups
    const tailLength = tailGroups.length + (tailGroups.at(-1)?.includes('.') ? 1 : 0);
    const zeros = Math.max(0, 8 - headGroups.length - tailLength);
    groups = [...headGroups, ...new Array<string>(zeros).fill('0'), ...tailGroups];
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Human form of a duration for messages: "45 s", "2 min". */
function humanSeconds(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** Requests allowed per client per window, counted in memory or in a shared Redis. */
export interface RateLimitOptions {
  max: number;
  timeWindowMs: number;
  /** A connected ioredis client: every replica using it shares each client's count. */
  redis?: Redis;
  /** Client keys (after clientKey) never limited, e.g. a monitoring host. */
  allowList?: string[];
}

/**
 * @fastify/rate-limit on every route registered after this call (except those with
 * `config: { rateLimit: false }`): `x-ratelimit-limit`, `-remaining`, `-reset` on each answer;
 * past the limit a 429 `RATE_LIMITED` with `retry-after`. Clients are keyed by clientKey (the
 * proxy-resolved address when trustProxy is set). With `redis` the count is shared by replicas;
 * if Redis fails, requests pass (and the failure is logged) rather than the API going down.
 */
export async function installRateLimit(
  app: FastifyInstance,
  options: RateLimitOptions,
): Promise<void> {
  const windowText = humanSeconds(Math.max(1, Math.round(options.timeWindowMs / 1000)));
  const allow = new Set(options.allowList ?? []);
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.timeWindowMs,
    keyGenerator: (request) => clientKey(request.ip),
    allowList: allow.size === 0 ? undefined : (_request, key) => allow.has(key),
    ...(options.redis
      ? { redis: options.redis, nameSpace: 'snear-api-rl:', skipOnError: true }
      : { cache: 10_000 }),
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `Rate limit of ${context.max} requests per ${windowText} reached; retry after ${humanSeconds(Math.max(1, Math.ceil(context.ttl / 1000)))}.`,
      ),
  });
}
