// The indexer against a localnet metapool scenario, on PGlite and (when DATABASE_URL is set) on a
// Postgres server: the stored events are exactly those the chain recorded, the epoch samples are
// the contract's price and liquidity at each epoch's first block, and neither a restart nor an
// RPC outage mid-run loses or repeats a row.
import pino from 'pino';
import type { Db } from '../src/db';
import { Indexer } from '../src/indexer';
import { readCursor } from '../src/store';
import { type Backend, backends, postgresMissingNote, type Store } from './backends';
import { type FlakyProxy, startFlakyProxy } from './flaky-proxy';
import {
  EPOCH_LENGTH,
  NEAR,
  nextEpoch,
  ping,
  type Scenario,
  sampleNow,
  startScenario,
  type TrueEvent,
  type TrueSample,
  truth,
  userActivity,
} from './scenario';

jest.setTimeout(600_000);

const logger = pino({ level: 'silent' });
const FAST_RETRY = { baseMs: 1, maxMs: 20 };

interface Runner {
  name: string;
  catchUp(): Promise<void>;
  db(): Db;
  indexer(): Indexer;
  close(): Promise<void>;
}

function makeIndexer(db: Db, rpcUrl: string, contractId: string, batchBlocks = 50) {
  return new Indexer({
    rpcUrl,
    contractId,
    db,
    logger,
    startBlock: 0,
    batchBlocks,
    progressMs: 0,
    retry: FAST_RETRY,
  });
}

/** One process following the chain the whole time. */
function steady(name: string, store: Store, rpcUrl: () => string, contractId: string): Runner {
  let db: Db | undefined;
  let idx: Indexer | undefined;
  return {
    name,
    async catchUp() {
      if (!db) {
        db = await store.open();
        idx = makeIndexer(db, rpcUrl(), contractId);
        await idx.init();
      }
      await idx!.catchUp();
    },
    db: () => db!,
    indexer: () => idx!,
    close: async () => {
      await db?.close();
      await store.drop();
    },
  };
}

/** A process that stores one small batch and is gone, then a new one that resumes: every checkpoint. */
function restarting(name: string, store: Store, rpcUrl: string, contractId: string): Runner {
  let db: Db | undefined;
  let idx: Indexer | undefined;
  return {
    name,
    async catchUp() {
      await db?.close();
      const first = await store.open();
      const short = makeIndexer(first, rpcUrl, contractId, 7);
      await short.init();
      await short.step();
      await first.close();
      db = await store.open();
      idx = makeIndexer(db, rpcUrl, contractId, 7);
      await idx.init();
      await idx.catchUp();
    },
    db: () => db!,
    indexer: () => idx!,
    close: async () => {
      await db?.close();
      await store.drop();
    },
  };
}

interface StoredEvent extends TrueEvent {}

async function storedEvents(db: Db): Promise<StoredEvent[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT receipt_id, log_index, data_index, event, account_id, amount::text AS amount,
            fee_near::text AS fee_near, block_height::text AS block_height, data
       FROM events`,
  );
  return rows
    .map((r) => ({
      key: `${r.receipt_id}/${r.log_index}/${r.data_index}`,
      event: String(r.event),
      accountId: (r.account_id as string | null) ?? null,
      amount: (r.amount as string | null) ?? null,
      feeNear: (r.fee_near as string | null) ?? null,
      blockHeight: Number(r.block_height),
      data: r.data as Record<string, unknown>,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

async function storedSamples(db: Db, epochs: number[]): Promise<TrueSample[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT epoch::text AS epoch, price_yocto::text AS price, liquidity_near::text AS liquidity,
            lp_unstaking_near::text AS lp_unstaking
       FROM epoch_samples WHERE epoch = ANY($1::bigint[]) ORDER BY epoch`,
    [epochs],
  );
  return rows.map((r) => ({
    epoch: Number(r.epoch),
    price: String(r.price),
    liquidity: String(r.liquidity),
    lpUnstaking: String(r.lp_unstaking),
  }));
}

let s: Scenario;
const proxies: FlakyProxy[] = [];
const runners: Runner[] = [];
const sampled: TrueSample[] = [];
const FAIL_EVERY = 4;
const FAIL_UNTIL = 240;

async function checkpoint(): Promise<void> {
  for (const r of runners) await r.catchUp();
}

beforeAll(async () => {
  s = await startScenario();
  const contractId = s.metapool.accountId;
  for (const backend of backends() as Backend[]) {
    const proxy = await startFlakyProxy(s.rpc.url, (n) => n % FAIL_EVERY === 0 && n <= FAIL_UNTIL);
    proxies.push(proxy);
    runners.push(
      steady(`${backend.name} steady`, await backend.create(), () => s.rpc.url, contractId),
      restarting(`${backend.name} restarting`, await backend.create(), s.rpc.url, contractId),
      steady(`${backend.name} rpc outage`, await backend.create(), () => proxy.url, contractId),
    );
  }
  const note = postgresMissingNote();
  if (note) process.stderr.write(`[indexer tests] ${note}\n`);

  await userActivity(s);
  await checkpoint();
  for (let i = 0; i < 3; i++) {
    nextEpoch(s);
    await checkpoint();
    sampled.push(await sampleNow(s));
    await ping(s);
    await checkpoint();
  }
});

afterAll(async () => {
  for (const r of runners) await r.close();
  for (const p of proxies) await p.close();
  await s?.rpc.close();
});

const names = () => runners.map((r) => r.name);

describe.each(backends().map((b) => b.name))('%s store', (backend) => {
  const mine = () => runners.filter((r) => r.name.startsWith(backend));

  test('every runner stored exactly the events the chain recorded, once each', async () => {
    const expected = truth(s);
    expect(expected.length).toBeGreaterThan(20);
    for (const r of mine()) {
      const stored = await storedEvents(r.db());
      expect({ runner: r.name, rows: stored }).toEqual({ runner: r.name, rows: expected });
    }
  });

  test('the scenario events are there with their amounts and the liquid unstake fee', async () => {
    const stored = await storedEvents(mine()[0].db());
    const kinds = new Set(stored.map((e) => e.event));
    for (const kind of [
      'deposit_and_stake',
      'add_liquidity',
      'liquid_unstake',
      'remove_liquidity',
      'unstake',
      'rewards',
      'pool_self_unstake',
    ]) {
      expect(kinds).toContain(kind);
    }
    const alice = stored.find(
      (e) => e.event === 'deposit_and_stake' && e.accountId === 'alice.test.near',
    );
    expect(alice?.amount).toBe((20_000n * NEAR).toString());
    const exit = stored.find((e) => e.event === 'liquid_unstake');
    expect(exit?.accountId).toBe('alice.test.near');
    expect(exit?.amount).toBe(exit?.data.near_out);
    expect(BigInt(exit?.feeNear ?? 0)).toBeGreaterThan(0n);
    expect(BigInt(exit?.feeNear ?? 0) + BigInt(exit?.amount ?? 0)).toBe(
      BigInt(String(exit?.data.value_near)),
    );
    const rewards = stored.filter((e) => e.event === 'rewards');
    expect(rewards.every((e) => BigInt(e.amount ?? 0) > 0n)).toBe(true);
  });

  test('each epoch has the price and liquidity the contract had at its first block', async () => {
    const epochs = sampled.map((x) => x.epoch);
    expect(epochs).toEqual([...new Set(epochs)].sort((a, b) => a - b));
    // Rewards collected each epoch raise the share price.
    expect(BigInt(sampled[1].price)).toBeGreaterThan(BigInt(sampled[0].price));
    expect(BigInt(sampled[2].price)).toBeGreaterThan(BigInt(sampled[1].price));
    for (const r of mine()) {
      const stored = await storedSamples(
        r.db(),
        sampled.map((x) => x.epoch),
      );
      expect({ runner: r.name, samples: stored }).toEqual({ runner: r.name, samples: sampled });
    }
  });

  test('no sample describes another epoch than its own (localnet answers views from its head)', async () => {
    for (const r of mine()) {
      const rows = await r
        .db()
        .query<{ epoch: string; block_height: string }>(
          'SELECT epoch::text AS epoch, block_height::text AS block_height FROM epoch_samples',
        );
      expect(rows.length).toBeGreaterThanOrEqual(sampled.length);
      for (const row of rows) {
        expect(Number(row.epoch)).toBe(Math.floor(Number(row.block_height) / EPOCH_LENGTH));
      }
    }
  });

  test('the cursor is at the chain head and says how far the chain is', async () => {
    for (const r of mine()) {
      const cursor = await readCursor(r.db());
      expect(cursor?.lastBlock).toBe(s.net.chain.height);
      expect(cursor?.chainHead).toBe(s.net.chain.height);
      expect(r.indexer().progress().lagBlocks).toBe(0);
    }
  });

  test('the RPC outage really happened and was retried', async () => {
    const outage = mine().find((r) => r.name.endsWith('rpc outage'))!;
    const proxy = proxies[backends().findIndex((b) => b.name === backend)];
    expect(proxy.failed()).toBe(FAIL_UNTIL / FAIL_EVERY);
    expect(outage.indexer().rpc.failures).toBe(proxy.failed());
  });
});

test('runners ran on every configured backend', () => {
  expect(names().length).toBe(3 * backends().length);
});
