import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { ApiError } from './errors';

/** Requests allowed per client per window; `maxClients` bounds the memory the counters take. */
export interface RateLimitOptions {
  max: number;
  timeWindowMs: number;
  /** Clients tracked at once; past it the least recently seen is forgotten (default 10,000). */
  maxClients?: number;
  now?: () => number;
}

interface ClientWindow {
  count: number;
  resetAtMs: number;
}

/**
 * Fixed windows per client (the client's first request opens a window of `timeWindowMs`): the same
 * policy and headers as @fastify/rate-limit's local store, counted in a synchronous hook. That
 * plugin awaits three promises per request (key, store, hook), about 10 µs on this API's hot path.
 */
export class RateLimiter {
  private readonly clients = new Map<string, ClientWindow>();
  private readonly maxClients: number;
  private readonly now: () => number;
  /** The `x-ratelimit-limit` value, built once. */
  readonly limitHeader: string;

  constructor(
    readonly max: number,
    readonly timeWindowMs: number,
    options: Pick<RateLimitOptions, 'maxClients' | 'now'> = {},
  ) {
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
    this.limitHeader = String(max);
  }

  /** Counts one request from `key`; returns the client's window (count includes this request). */
  hit(key: string): ClientWindow {
    const now = this.now();
    let window = this.clients.get(key);
    if (window === undefined) {
      if (this.clients.size >= this.maxClients) {
        // forget the least recently opened window (Map keeps insertion order)
        const oldest = this.clients.keys().next().value;
        if (oldest !== undefined) this.clients.delete(oldest);
      }
      window = { count: 0, resetAtMs: now + this.timeWindowMs };
      this.clients.set(key, window);
    } else if (window.resetAtMs <= now) {
      // expired: open a new window, moved to the back of the eviction order
      this.clients.delete(key);
      window.count = 0;
      window.resetAtMs = now + this.timeWindowMs;
      this.clients.set(key, window);
    }
    window.count += 1;
    return window;
  }

  /** Whole seconds until `window` resets (at least 1 while it is open). */
  secondsLeft(window: ClientWindow): number {
    return Math.max(1, Math.ceil((window.resetAtMs - this.now()) / 1000));
  }
}

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

/**
 * Limits every route registered after this call (except those with `config: { rateLimit: false }`):
 * `x-ratelimit-limit`, `-remaining` and `-reset` on each answer; past the limit a 429
 * `RATE_LIMITED` with `retry-after`.
 */
export function installRateLimit(app: FastifyInstance, options: RateLimitOptions): RateLimiter {
  const limiter = new RateLimiter(options.max, options.timeWindowMs, options);
  const windowText = humanSeconds(Math.max(1, Math.round(options.timeWindowMs / 1000)));
  // callback style: no promise per request
  const hook: onRequestHookHandler = (request, reply, done) => {
    const window = limiter.hit(clientKey(request.ip));
    const reset = limiter.secondsLeft(window);
    const remaining = limiter.max - window.count;
    reply.header('x-ratelimit-limit', limiter.limitHeader);
    reply.header('x-ratelimit-remaining', Math.max(remaining, 0));
    reply.header('x-ratelimit-reset', reset);
    if (remaining >= 0) {
      done();
      return;
    }
    reply.header('retry-after', reset);
    done(
      new ApiError(
        429,
        'RATE_LIMITED',
        `Rate limit of ${limiter.max} requests per ${windowText} reached; retry after ${humanSeconds(reset)}.`,
      ),
    );
  };
  app.addHook('onRoute', (route) => {
    const config = route.config as { rateLimit?: boolean } | undefined;
    if (config?.rateLimit === false) return;
    const existing = route.onRequest;
    route.onRequest =
      existing === undefined
        ? [hook]
        : Array.isArray(existing)
          ? [...existing, hook]
          : [existing, hook];
  });
  return limiter;
}
