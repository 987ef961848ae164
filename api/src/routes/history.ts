// History routes, read from the indexer's store (indexer/): APY from share prices, price and
// liquidity per epoch, exits (paged), an account's own activity. Every answer carries `indexer`:
// its last stored block, the chain head and how far it lags. Without a store: 503
// HISTORY_UNAVAILABLE saying how to start the indexer.
import { formatNear } from '@snear/amm-math';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';
import { ApiError, commonErrorResponses } from '../errors';
import { APY_FORMULA, apyOver } from '../history/apy';
import type { EventRecord, HistoryStore, PageCursor, SampleRow } from '../history/store';
import { allRequired } from './quotes';

export interface HistoryRouteOptions {
  ctx: AppContext;
  /** The indexer's store, or undefined when the API was started without one. */
  history?: HistoryStore;
}

const yocto = { type: 'string', pattern: '^[0-9]+$' } as const;
const nullableYocto = { type: ['string', 'null'], pattern: '^[0-9]+$' } as const;
const ACCOUNT_ID = '^(([a-z\\d]+[-_])*[a-z\\d]+\\.)*([a-z\\d]+[-_])*[a-z\\d]+$';
/** `<block_height>-<receipt_id>-<log_index>-<data_index>`, as `next_cursor` gives it. */
const CURSOR = '^[0-9]{1,15}-[0-9A-Za-z]{1,64}-[0-9]{1,6}-[0-9]{1,6}$';
const EXIT_KINDS = ['liquid_unstake', 'unstake'];

const NOT_CONFIGURED =
  'The history store is not configured: start the indexer (make start does; or node indexer/dist/cli.js --rpc-url <RPC>), then start the API with --history-database-url (SNEAR_HISTORY_DATABASE_URL) set to the store URL the indexer prints.';

const indexerSchema = allRequired({
  last_block: { type: 'integer', description: 'last block the indexer stored' },
  chain_head: { type: 'integer', description: 'latest final block seen (indexer or API)' },
  lag_blocks: { type: 'integer', description: 'chain_head - last_block' },
  updated_at: { type: 'string', description: 'when the indexer last stored a batch (ISO 8601)' },
});

const pointSchema = allRequired({
  epoch: { type: 'integer' },
  block_height: { type: 'integer' },
  timestamp: { type: 'string', description: 'block time, ISO 8601' },
  timestamp_ms: { type: 'integer' },
});

const eventSchema = allRequired({
  kind: { type: 'string', description: 'the NEP-297 event name' },
  account_id: { type: ['string', 'null'] },
  block_height: { type: 'integer' },
  timestamp: { type: 'string' },
  timestamp_ms: { type: 'integer' },
  tx_hash: { type: 'string' },
  receipt_id: { type: 'string' },
  amount: { ...nullableYocto, description: 'headline amount in yocto (NEAR for exits)' },
  amount_text: { type: ['string', 'null'], description: 'amount as a decimal' },
  fee_near: { ...nullableYocto, description: 'fee in yocto NEAR (liquid unstakes, rewards)' },
  fee_near_text: { type: ['string', 'null'] },
  data: { type: 'object', additionalProperties: true, description: 'the event data as emitted' },
});

function pageQuery(extra: Record<string, object> = {}, required: string[] = []) {
  return {
    type: 'object',
    properties: {
      ...extra,
      cursor: { type: 'string', pattern: CURSOR, description: 'next_cursor of the previous page' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    },
    required,
    additionalProperties: false,
  };
}

const rangeQuery = {
  type: 'object',
  properties: {
    from: { type: 'integer', minimum: 0, description: 'first epoch (inclusive)' },
    to: { type: 'integer', minimum: 0, description: 'last epoch (inclusive)' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 },
  },
  additionalProperties: false,
};

const msOf = (ns: bigint) => Number(ns / 1_000_000n);
const iso = (ns: bigint) => new Date(msOf(ns)).toISOString();

function parseCursor(text: string | undefined): PageCursor | undefined {
  if (text === undefined) return undefined;
  const [height, receiptId, logIndex, dataIndex] = text.split('-');
  return {
    blockHeight: Number(height),
    receiptId,
    logIndex: Number(logIndex),
    dataIndex: Number(dataIndex),
  };
}

function cursorOf(e: EventRecord): string {
  return `${e.blockHeight}-${e.receiptId}-${e.logIndex}-${e.dataIndex}`;
}

function eventView(e: EventRecord) {
  return {
    kind: e.event,
    account_id: e.accountId,
    block_height: e.blockHeight,
    timestamp: iso(e.timestampNs),
    timestamp_ms: msOf(e.timestampNs),
    tx_hash: e.txHash,
    receipt_id: e.receiptId,
    amount: e.amount?.toString() ?? null,
    amount_text: e.amount === null ? null : formatNear(e.amount),
    fee_near: e.feeNear?.toString() ?? null,
    fee_near_text: e.feeNear === null ? null : formatNear(e.feeNear),
    data: e.data,
  };
}

function point(s: SampleRow) {
  return {
    epoch: s.epoch,
    block_height: s.blockHeight,
    timestamp: iso(s.timestampNs),
    timestamp_ms: msOf(s.timestampNs),
  };
}

/** GET /v1/apy, /v1/history/{price,liquidity,exits,account}. */
export async function historyRoutes(
  app: FastifyInstance,
  { ctx, history }: HistoryRouteOptions,
): Promise<void> {
  /** Runs a read, turning store failures into 503s a person can act on. */
  async function read<T>(work: (store: HistoryStore) => Promise<T>): Promise<T> {
    if (!history) throw new ApiError(503, 'HISTORY_UNAVAILABLE', NOT_CONFIGURED);
    try {
      return await work(history);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(
        503,
        'HISTORY_UNAVAILABLE',
        `The history store cannot be read (${(error as Error).message}); check that the indexer is running and that --history-database-url points at its store.`,
      );
    }
  }

  /** The indexer lag every answer carries. */
  async function lag(store: HistoryStore) {
    const cursor = await store.cursor();
    if (!cursor) {
      throw new ApiError(
        503,
        'HISTORY_UNAVAILABLE',
        'The indexer has not stored a block yet; wait for its first progress line ("indexed to block ...").',
      );
    }
    const live = ctx.source.status().snapshot?.blockHeight ?? 0;
    const head = Math.max(cursor.chainHead, live, cursor.lastBlock);
    return {
      last_block: cursor.lastBlock,
      chain_head: head,
      lag_blocks: head - cursor.lastBlock,
      updated_at: cursor.updatedAt,
    };
  }

  app.get(
    '/v1/apy',
    {
      schema: {
        summary: 'Staking APY over 7 and 30 days, from the share price the indexer stored',
        description: `${APY_FORMULA}. p_then is the newest sample at least 7 (30) days before the newest one, else the oldest sample (then days_7d / days_30d is shorter than the window). Decimal fractions (0.05 = 5 %); null with fewer than two samples or less than a day between them.`,
        tags: ['history'],
        response: {
          200: allRequired({
            apy_7d: { type: ['string', 'null'] },
            apy_30d: { type: ['string', 'null'] },
            formula: { type: 'string' },
            from_epoch_7d: { type: ['integer', 'null'] },
            from_epoch_30d: { type: ['integer', 'null'] },
            to_epoch: { type: ['integer', 'null'] },
            days_7d: { type: 'number' },
            days_30d: { type: 'number' },
            price: { type: ['string', 'null'], description: 'newest NEAR per sNEAR' },
            price_yocto: nullableYocto,
            indexer: indexerSchema,
          }),
          ...commonErrorResponses,
        },
      },
    },
    async () =>
      read(async (store) => {
        const indexer = await lag(store);
        // Newest 1000 samples, oldest first: 30 days of ~12 h epochs with room to spare.
        const samples = await store.samples({ limit: 1000 });
        const to = samples[samples.length - 1];
        const w7 = apyOver(samples, 7);
        const w30 = apyOver(samples, 30);
        return {
          apy_7d: w7.apy,
          apy_30d: w30.apy,
          formula: APY_FORMULA,
          from_epoch_7d: w7.fromEpoch,
          from_epoch_30d: w30.fromEpoch,
          to_epoch: to?.epoch ?? null,
          days_7d: w7.days,
          days_30d: w30.days,
          price: to ? formatNear(to.priceYocto) : null,
          price_yocto: to?.priceYocto.toString() ?? null,
          indexer,
        };
      }),
  );

  /**
   * A per-epoch series: `point(s)` plus the route's own `fields` (their schema) of each stored
   * sample, oldest first, with the indexer's lag.
   */
  function samplesRoute(
    path: string,
    doc: { summary: string; description?: string },
    fields: Record<string, object>,
    view: (s: SampleRow) => Record<string, string>,
  ) {
    app.get<{ Querystring: { from?: number; to?: number; limit: number } }>(
      path,
      {
        schema: {
          ...doc,
          tags: ['history'],
          querystring: rangeQuery,
          response: {
            200: allRequired({
              points: {
                type: 'array',
                items: allRequired({
                  ...(pointSchema as { properties: Record<string, object> }).properties,
                  ...fields,
                }),
              },
              indexer: indexerSchema,
            }),
            ...commonErrorResponses,
          },
        },
      },
      async (request) =>
        read(async (store) => {
          const indexer = await lag(store);
          const rows = await store.samples(request.query);
          return { points: rows.map((s) => ({ ...point(s), ...view(s) })), indexer };
        }),
    );
  }

  samplesRoute(
    '/v1/history/price',
    {
      summary: 'Share price (NEAR per sNEAR) at each epoch, oldest first',
      description:
        "One point per epoch: the metapool's ft_price and totals at the first block the indexer saw of it, and the rewards collected (rewards events) until the next point.",
    },
    {
      price: { type: 'string', description: 'NEAR per sNEAR, exact decimal' },
      price_yocto: { ...yocto, description: 'yocto NEAR per 1 sNEAR' },
      total_staked_near: yocto,
      total_snear: yocto,
      rewards_near: { ...yocto, description: 'rewards collected in this epoch' },
    },
    (s) => ({
      price: formatNear(s.priceYocto),
      price_yocto: s.priceYocto.toString(),
      total_staked_near: s.totalStakedNear.toString(),
      total_snear: s.totalSnear.toString(),
      rewards_near: s.rewardsNear.toString(),
    }),
  );

  samplesRoute(
    '/v1/history/liquidity',
    { summary: "The instant-exit pool's liquidity at each epoch, oldest first" },
    {
      liquidity_near: { ...yocto, description: 'NEAR in the pool, yocto' },
      liquidity_near_text: { type: 'string' },
      lp_unstaking_near: { ...yocto, description: 'NEAR the pool is unstaking, yocto' },
      lp_unstaking_near_text: { type: 'string' },
      pool_snear: { ...yocto, description: 'sNEAR the pool holds, yocto' },
      lp_shares: yocto,
    },
    (s) => ({
      liquidity_near: s.liquidityNear.toString(),
      liquidity_near_text: formatNear(s.liquidityNear),
      lp_unstaking_near: s.lpUnstakingNear.toString(),
      lp_unstaking_near_text: formatNear(s.lpUnstakingNear),
      pool_snear: s.poolSnear.toString(),
      lp_shares: s.lpShares.toString(),
    }),
  );

  const pageResponse = allRequired({
    items: { type: 'array', items: eventSchema },
    next_cursor: { type: ['string', 'null'], description: 'pass as ?cursor= for older items' },
    indexer: indexerSchema,
  });

  async function page(
    store: HistoryStore,
    filter: { kinds?: string[]; accountId?: string },
    query: { cursor?: string; limit: number },
  ) {
    const indexer = await lag(store);
    const rows = await store.events({
      ...filter,
      after: parseCursor(query.cursor),
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    return {
      items: items.map(eventView),
      next_cursor: rows.length > query.limit ? cursorOf(items[items.length - 1]) : null,
      indexer,
    };
  }

  app.get<{ Querystring: { cursor?: string; limit: number } }>(
    '/v1/history/exits',
    {
      schema: {
        summary: 'Exits, newest first: liquid unstakes (with their fee) and delayed unstakes',
        description:
          'kind liquid_unstake: amount = NEAR received, fee_near = the fee; kind unstake: amount = NEAR unstaked, data.unlock_epoch. Paged: follow next_cursor.',
        tags: ['history'],
        querystring: pageQuery(),
        response: { 200: pageResponse, ...commonErrorResponses },
      },
    },
    async (request) => read((store) => page(store, { kinds: EXIT_KINDS }, request.query)),
  );

  app.get<{ Querystring: { account_id: string; cursor?: string; limit: number } }>(
    '/v1/history/account',
    {
      schema: {
        summary: "An account's own activity, newest first (every metapool event naming it)",
        tags: ['history'],
        querystring: pageQuery(
          { account_id: { type: 'string', minLength: 2, maxLength: 64, pattern: ACCOUNT_ID } },
          ['account_id'],
        ),
        response: {
          200: allRequired({
            account_id: { type: 'string' },
            ...(pageResponse as { properties: Record<string, object> }).properties,
          }),
          ...commonErrorResponses,
        },
      },
    },
    async (request) =>
      read(async (store) => ({
        account_id: request.query.account_id,
        ...(await page(store, { accountId: request.query.account_id }, request.query)),
      })),
  );
}
