import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { Redis } from 'ioredis';
import { clientErrorHandler } from './client-error';
import type { AppContext } from './context';
import { type CorsOrigin, installCors } from './cors';
import { createErrorHandler, OutageLog } from './error-handler';
import { ApiError, errorBodySchema } from './errors';
import type { HistoryStore } from './history/store';
import { Metrics } from './metrics';
import { QuoteCache } from './quotes';
import { installRateLimit } from './rate-limit';
import { type AppNetworkOptions, appConfigRoutes } from './routes/app-config';
import { botRoutes } from './routes/bots';
import { docsRoutes } from './routes/docs';
import { feeCurveRoutes } from './routes/fee-curve';
import { govRoutes } from './routes/gov';
import { historyRoutes } from './routes/history';
import { metricsRoutes } from './routes/metrics';
import { PUBLIC_DIR, pageRoutes } from './routes/page';
import { quoteRoutes } from './routes/quotes';
import { stateRoutes } from './routes/state';
import { stateBodySchema } from './routes/state-body';
import { streamRoutes } from './routes/stream';
import { Freshness } from './state/freshness';
import type { StateSource } from './state/source';
import { installStrictQuery } from './strict-query';

/** Thresholds of @fastify/under-pressure past which requests get 503 OVERLOADED. */
export interface LoadShedding {
  maxEventLoopDelayMs: number;
  /** 0..1; off when absent (a busy start-up reads as 1). */
  maxEventLoopUtilization?: number;
  maxHeapUsedBytes?: number;
  sampleIntervalMs?: number;
}

/** Everything `buildApp` needs; only `source` is required. */
export interface AppOptions {
  /** Where chain state comes from (NearStateSource, or FakeStateSource in tests). */
  source: StateSource;
  /** Serve the last state for at most this long after the chain last confirmed it (ms). */
  maxStaleMs?: number;
  /** Quotes memoised per block (0 disables). */
  quoteCacheEntries?: number;
  /** Requests per client per window, or false to disable. */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  /** A connected ioredis client: the rate limit is then shared by every replica using it. */
  redis?: Redis;
  /** Client addresses never rate-limited (e.g. monitoring). */
  rateLimitAllowList?: string[];
  /**
   * Trust X-Forwarded-For from these proxies (Fastify's trustProxy: true, a hop count, or
   * addresses/CIDRs), so rate limits and stream caps apply to clients, not the load balancer.
   */
  trustProxy?: boolean | string | string[];
  /** Live-stream (SSE) connections per client address (default 5). */
  maxStreamsPerClient?: number;
  /** Answer 503 OVERLOADED past these (default off; the server uses APP_DEFAULTS.loadShedding). */
  loadShedding?: LoadShedding | false;
  /** Compress bodies over 2 KiB (default true). */
  compression?: boolean;
  /** Allowed CORS origins (default '*': a public, credential-free API). */
  corsOrigin?: CorsOrigin;
  /** Fastify logger setting: false, true, pino options or a pino instance. */
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance'];
  /**
   * Log every request at info ("request completed"), as Fastify does by default. Off by default:
   * 5xx (with the error) and slow requests are always logged, every request at debug level.
   */
  logRequests?: boolean;
  /** Requests slower than this are logged at warn (ms). */
  slowRequestMs?: number;
  /** Typical epoch duration, for delayed-unstake estimates (default 12 h, mainnet). */
  epochDurationMs?: number;
  sseHeartbeatMs?: number;
  /** Start the source when the app is ready and stop it on close (default true). */
  manageSource?: boolean;
  publicDir?: string;
  /** What the browser app connects its wallet to (default: localnet through the source's RPC). */
  network?: Omit<AppNetworkOptions, 'contractId'>;
  now?: () => number;
  /** The indexer's history store (/v1/apy, /v1/history/*); absent: those routes answer 503. */
  history?: HistoryStore;
}

/** Defaults documented in the README and `server.ts --help`. */
export const APP_DEFAULTS = {
  maxStaleMs: 60_000,
  quoteCacheEntries: 10_000,
  rateLimit: { max: 1200, timeWindowMs: 60_000 },
  epochDurationMs: 12 * 3600 * 1000,
  sseHeartbeatMs: 15_000,
  slowRequestMs: 500,
  maxStreamsPerClient: 5,
  loadShedding: { maxEventLoopDelayMs: 1000 },
} as const;

/** Builds the quote API (not listening): plugins for state, quotes, curve, stream, ops, docs, page. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? false;
  const isInstance = typeof (logger as { child?: unknown }).child === 'function';
  const app = Fastify({
    ...(isInstance
      ? { loggerInstance: logger as FastifyServerOptions['loggerInstance'] }
      : { logger: logger as FastifyServerOptions['logger'] }),
    // Fastify's two info lines per request cost more than a cached quote; see the onResponse hook
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    trustProxy: options.trustProxy ?? false,
    clientErrorHandler,
    // strict input: unknown parameters are refused (not silently dropped), and no type coercion
    // (ajv would read "0x10" as 16); query integers are converted by installStrictQuery
    ajv: { customOptions: { allErrors: false, removeAdditional: false, coerceTypes: false } },
  });
  const outage = new OutageLog();
  const ctx: AppContext = {
    source: options.source,
    contractId: options.source.contractId,
    freshness: new Freshness(
      options.source,
      options.maxStaleMs ?? APP_DEFAULTS.maxStaleMs,
      now,
      () => outage.over(app.log),
    ),
    quoteCache: new QuoteCache<string>(options.quoteCacheEntries ?? APP_DEFAULTS.quoteCacheEntries),
    metrics: new Metrics(),
    now,
    epochDurationMs: options.epochDurationMs ?? APP_DEFAULTS.epochDurationMs,
    sseHeartbeatMs: options.sseHeartbeatMs ?? APP_DEFAULTS.sseHeartbeatMs,
    maxStreamsPerClient: options.maxStreamsPerClient ?? APP_DEFAULTS.maxStreamsPerClient,
  };

  installStrictQuery(app);
  app.addSchema(errorBodySchema);
  app.addSchema(stateBodySchema);
  app.setErrorHandler(createErrorHandler(outage));
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      code: 'NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`,
    });
  });
  const slowMs = options.slowRequestMs ?? APP_DEFAULTS.slowRequestMs;
  const logRequests = options.logRequests ?? false;
  // callback style: no promise per request on the hot path
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    const route = request.routeOptions;
    ctx.metrics.observe(request.method, route.url ?? 'unmatched', status, ms);
    // 5xx are logged with their error (and the request) by the error handler
    if (ms >= slowMs && (route.config as { longLived?: boolean } | undefined)?.longLived !== true) {
      request.log.warn({ req: request, res: reply, responseTime: ms }, 'slow request');
    } else if (logRequests) {
      request.log.info({ req: request, res: reply, responseTime: ms }, 'request completed');
    } else {
      request.log.debug({ req: request, res: reply, responseTime: ms }, 'request completed');
    }
    done();
  });
  if (options.manageSource ?? true) {
    app.addHook('onReady', async () => options.source.start());
    app.addHook('onClose', async () => options.source.stop());
  }

  // off unless asked (the server turns it on): an in-process test chain blocks the event loop
  const shedding: LoadShedding | false = options.loadShedding ?? false;
  if (shedding) {
    // Past these the process answers 503 OVERLOADED at once (with retry-after) instead of queueing
    // work it cannot finish in time; a load balancer then sends traffic to other replicas.
    await app.register(underPressure, {
      maxEventLoopDelay: shedding.maxEventLoopDelayMs,
      maxEventLoopUtilization: shedding.maxEventLoopUtilization,
      maxHeapUsedBytes: shedding.maxHeapUsedBytes,
      sampleInterval: shedding.sampleIntervalMs,
      retryAfter: 2,
      pressureHandler: (_request, _reply, type, value) => {
        throw new ApiError(
          503,
          'OVERLOADED',
          `This server is overloaded (${type} ${value}); retry in a few seconds.`,
        );
      },
    });
  }
  // Bodies over 2 KiB (state, fee curve, OpenAPI, page assets) are compressed when the client
  // accepts it; single quotes stay below and skip the CPU cost.
  if (options.compression ?? true) {
    await app.register(compress, { global: true, threshold: 2048, encodings: ['br', 'gzip'] });
  }
  await installCors(app, options.corsOrigin ?? '*');
  const limit = options.rateLimit ?? APP_DEFAULTS.rateLimit;
  if (limit) {
    await installRateLimit(app, {
      max: limit.max,
      timeWindowMs: limit.timeWindowMs,
      redis: options.redis,
      allowList: options.rateLimitAllowList,
    });
  }
  await app.register(swagger, {
    // name shared schemas by their $id (ErrorBody, StateBody) instead of def-0, def-1
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
    openapi: {
      info: {
        title: 'sNEAR quote API',
        version: '0.1.0',
        description:
          'Exact quotes (yocto decimal strings) for the sNEAR metapool and its instant-exit pool, computed by @snear/amm-math from the last final block.',
      },
      tags: [
        { name: 'quotes', description: 'Prices, to the yocto' },
        { name: 'state', description: 'Chain state' },
        { name: 'ops', description: 'Operations' },
        { name: 'history', description: "From the indexer's store: APY, prices, liquidity, exits" },
      ],
    },
  });
  await app.register(docsRoutes);

  await app.register(stateRoutes, { ctx });
  await app.register(quoteRoutes, { ctx });
  await app.register(botRoutes, { ctx });
  await app.register(govRoutes, { ctx });
  await app.register(feeCurveRoutes, { ctx });
  await app.register(streamRoutes, { ctx });
  await app.register(metricsRoutes, { ctx });
  await app.register(historyRoutes, { ctx, history: options.history });
  await app.register(appConfigRoutes, {
    network: {
      networkId: 'localnet',
      rpcUrl: '',
      ...options.network,
      contractId: options.source.contractId,
    },
  });
  await app.register(pageRoutes, { publicDir: options.publicDir ?? PUBLIC_DIR });
  return app;
}
