/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

// The history routes read the indexer's store through `pg`: on PGlite served over the Postgres
// wire protocol by the indexer (its default), and on a Postgres server when DATABASE_URL is set.
import { type Db, type EventRow, serveStore, writeBatch } from '@snear/indexer';
import type { FastifyInstance } from 'fastify';
import { type Backend, backends, type Store } from '../../indexer/test/backends';
import { APY_FORMULA } from '../src/history/apy';
import { PgHistoryStore } from '../src/history/store';
import { closeApps, demoApp, ONE } from './fixtures';

jest.setTimeout(120_000);

const DAY_NS = 86_400n * 1_000_000_000n;
const T0 = 1_700_000_000n * 1_000_000_000n;
/** Prices per epoch (yocto NEAR per sNEAR): one epoch a day for 10 days. */
const PRICES = Array.from({ length: 11 }, (_, i) => ONE + BigInt(i) * 10n ** 20n);

function sample(epoch: number) {
  return {
    epoch,
    blockHeight: 1000 + epoch * 100,
    blockHash: `hash${epoch}`,
    blockTimestampNs: T0 + BigInt(epoch) * DAY_NS,
    priceYocto: PRICES[epoch],
    totalStakedNear: PRICES[epoch] * 1000n,
    totalSnear: 1000n * ONE,
    liquidityNear: BigInt(5000 - epoch) * ONE,
    lpUnstakingNear: BigInt(epoch) * ONE,
    poolSnear: BigInt(epoch) * ONE,
    lpShares: 5000n * ONE,
  };
}

let receipt = 0;
function event(
  epoch: number,
  name: string,
  accountId: string | null,
  data: Record<string, unknown>,
  amount: bigint | null,
  feeNear: bigint | null = null,
): EventRow {
  receipt++;
  return {
    receiptId: `R${receipt.toString().padStart(4, '0')}`,
    txHash: `T${receipt}`,
    contractId: 'metapool.test.near',
    blockHeight: 1000 + epoch * 100 + 10,
    blockHash: `b${receipt}`,
    blockTimestampNs: T0 + BigInt(epoch) * DAY_NS + 10n ** 9n,
    epochId: `e${epoch}`,
    logIndex: 0,
    dataIndex: 0,
    standard: 'snear',
    version: '1.0.0',
    event: name,
    accountId,
    amount,
    feeNear,
    data,
  };
}

const EVENTS: EventRow[] = [
  event(1, 'deposit_and_stake', 'alice.near', { account_id: 'alice.near', amount: '1' }, 1n),
  event(2, 'rewards', null, { pool: 'p0', amount: '7' }, 7n, 1n),
  event(2, 'rewards', null, { pool: 'p1', amount: '5' }, 5n, 1n),
  ...[3, 4, 5, 6, 7].map((epoch) =>
    event(
      epoch,
      'liquid_unstake',
      epoch % 2 ? 'alice.near' : 'bob.near',
      { account_id: 'x', near_out: String(epoch * 10), fee_near: String(epoch) },
      BigInt(epoch * 10),
      BigInt(epoch),
    ),
  ),
  event(8, 'unstake', 'bob.near', { account_id: 'bob.near', amount: '3', unlock_epoch: 12 }, 3n),
];

describe.each(backends().map((b): [string, Backend] => [b.name, b]))(
  '%s store',
  (_name, backend) => {
    let store: Store;
    let db: Db;
    let served: { url: string; close(): Promise<void> } | undefined;
    let history: PgHistoryStore;
    let app: FastifyInstance;

    beforeAll(async () => {
      store = await backend.create();
      db = await store.open();
      await writeBatch(
        db,
        EVENTS,
        PRICES.map((_, epoch) => sample(epoch)),
        {
          contractId: 'metapool.test.near',
          lastBlock: 2100,
          lastBlockHash: 'h',
          lastEpochId: 'e10',
          chainHead: 2125,
        },
      );
      served = store.url ? undefined : await serveStore(db, '127.0.0.1', 0);
      history = new PgHistoryStore(store.url ?? served!.url);
      ({ app } = await demoApp({ history }));
    });

    afterAll(async () => {
      await closeApps();
      await history?.close();
      await served?.close();
      await db?.close();
      await store?.drop();
    });

    const get = async (url: string) => {
      const res = await app.inject({ method: 'GET', url });
      return { status: res.statusCode, body: res.json() };
    };

    test('/v1/apy follows the documented formula over 7 and 30 days, with the indexer lag', async () => {
      const { status, body } = await get('/v1/apy');
      expect(status).toBe(200);
      expect(body.formula).toBe(APY_FORMULA);
      // newest sample: epoch 10; 7 days before it: epoch 3; 30 days: not there, so the oldest (0).
      expect(body).toMatchObject({ to_epoch: 10, from_epoch_7d: 3, from_epoch_30d: 0 });
      expect(body.days_7d).toBe(7);
      expect(body.days_30d).toBe(10);
      const apy = (from: number, days: number) =>
        ((Number(PRICES[10]) / Number(PRICES[from])) ** (365 / days) - 1).toFixed(6);
      expect(body.apy_7d).toBe(apy(3, 7));
      expect(body.apy_30d).toBe(apy(0, 10));
      expect(body.price).toBe('1.001');
      expect(body.indexer).toMatchObject({ last_block: 2100, chain_head: 2125, lag_blocks: 25 });
    });

    test('/v1/history/price gives exact prices per epoch and the rewards of each epoch', async () => {
      const { status, body } = await get('/v1/history/price?from=1&to=3');
      expect(status).toBe(200);
      expect(body.points.map((p: { epoch: number }) => p.epoch)).toEqual([1, 2, 3]);
      expect(body.points[1]).toMatchObject({
        epoch: 2,
        block_height: 1200,
        timestamp_ms: Number((T0 + 2n * DAY_NS) / 1_000_000n),
        price: '1.0002',
        price_yocto: PRICES[2].toString(),
        rewards_near: '12',
      });
      expect(body.points[0].rewards_near).toBe('0');
      expect(body.indexer.lag_blocks).toBe(25);
    });

    test('/v1/history/liquidity gives the pool at each epoch', async () => {
      const { body } = await get('/v1/history/liquidity?from=4&to=4');
      expect(body.points).toEqual([
        expect.objectContaining({
          epoch: 4,
          liquidity_near: (4996n * ONE).toString(),
          liquidity_near_text: '4996',
          lp_unstaking_near: (4n * ONE).toString(),
        }),
      ]);
    });

    test('/v1/history/exits pages newest first through every exit once', async () => {
      const seen: Array<{ kind: string; amount: string; fee_near: string | null }> = [];
      let cursor: string | null = '';
      let pages = 0;
      while (cursor !== null) {
        const { status, body } = await get(
          `/v1/history/exits?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(status).toBe(200);
        expect(body.indexer.lag_blocks).toBe(25);
        seen.push(...body.items);
        cursor = body.next_cursor;
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen.map((e) => e.kind)).toEqual(['unstake', ...Array(5).fill('liquid_unstake')]);
      expect(seen.map((e) => e.amount)).toEqual(['3', '70', '60', '50', '40', '30']);
      expect(seen[1]).toMatchObject({ fee_near: '7', account_id: 'alice.near' });
    });

    test("/v1/history/account lists only that account's events", async () => {
      const { body } = await get('/v1/history/account?account_id=bob.near');
      expect(body.account_id).toBe('bob.near');
      expect(body.items.map((e: { kind: string }) => e.kind)).toEqual([
        'unstake',
        'liquid_unstake',
        'liquid_unstake',
      ]);
      expect(body.next_cursor).toBeNull();
    });

    test('query parameters are strict', async () => {
      expect((await get('/v1/history/exits?limt=2')).body.code).toBe('UNKNOWN_PARAMETER');
      expect((await get('/v1/history/exits?cursor=nope')).status).toBe(400);
      expect((await get('/v1/history/price?from=1e1')).status).toBe(400);
      expect((await get('/v1/history/account')).status).toBe(400);
      expect((await get('/v1/apy?x=1')).status).toBe(400);
    });
  },
);

test('without a store the history routes answer 503 saying how to start the indexer', async () => {
  const { app } = await demoApp();
  for (const url of ['/v1/apy', '/v1/history/price', '/v1/history/exits']) {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('HISTORY_UNAVAILABLE');
    expect(res.json().message).toMatch(/start the indexer/);
  }
  await closeApps();
});

test('an unreachable store answers 503 HISTORY_UNAVAILABLE, not 500', async () => {
  const history = new PgHistoryStore('postgres://postgres@127.0.0.1:1/postgres');
  const { app } = await demoApp({ history });
  const res = await app.inject({ method: 'GET', url: '/v1/history/price' });
  expect(res.statusCode).toBe(503);
  expect(res.json().code).toBe('HISTORY_UNAVAILABLE');
  await closeApps();
  await history.close();
});
