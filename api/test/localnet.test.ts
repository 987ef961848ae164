/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import { createAccountWithKey } from '@snear/localnet';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../src/app';
import { Keeper, nearKeeperChain } from '../src/keeper';
import { loadNearApi } from '../src/near';
import { NearStateSource } from '../src/state/near-source';
import { type Demo, NEAR, startDemo, TGAS } from './localnet-fixture';
import { SseClient } from './sse';

jest.setTimeout(300_000);

const QUOTE_FIELDS = [
  'snear_in',
  'value_near',
  'near_out',
  'fee_near',
  'fee_bps',
  'treasury_snear',
];
const pick = (o: Record<string, unknown>) => Object.fromEntries(QUOTE_FIELDS.map((k) => [k, o[k]]));

let demo: Demo;
let app: FastifyInstance;
let address: string;
let source: NearStateSource;
let near: Awaited<ReturnType<typeof loadNearApi>>;
let provider: InstanceType<typeof near.JsonRpcProvider>;

beforeAll(async () => {
  demo = await startDemo();
  near = await loadNearApi();
  provider = new near.JsonRpcProvider({ url: demo.rpc.url });
  source = new NearStateSource({
    rpcUrl: demo.rpc.url,
    contractId: demo.metapool.accountId,
    pollIntervalMs: 50,
    rpcTimeoutMs: 10_000,
  });
  app = await buildApp({ source, rateLimit: false });
  address = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await demo?.rpc.close();
});

/** A near-api-js Account signing as a demo user over JSON-RPC. */
function rpcAccount(name: string) {
  const user = demo.users[name];
  return new near.Account(user.accountId, provider, user.secretKey);
}

const contractView = (method: string, args: Record<string, unknown>) =>
  provider.callFunction({ contractId: demo.metapool.accountId, method, args }) as Promise<
    Record<string, string>
  >;

async function apiGet(path: string) {
  const res = await app.inject(path);
  return { status: res.statusCode, body: res.json() };
}

describe('against localnet through near-api-js', () => {
  test('every liquid-unstake quote equals quote_liquid_unstake and the executed trade, to the yocto', async () => {
    const alice = rpcAccount('alice');
    const amounts = [
      NEAR,
      1n,
      123n * NEAR + 456_789n,
      999n * NEAR + 1n,
      (37n * NEAR) / 7n,
      1_500n * NEAR,
    ];
    // and 30 more, log-uniform from 1 yocto to 100 sNEAR (deterministic LCG)
    let seed = 20261125n;
    for (let k = 0; k < 30; k++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      const digits = 1n + (seed % 26n);
      amounts.push(1n + ((seed >> 8n) % 10n ** digits));
    }
    for (const amount of amounts) {
      await source.refresh();
      const { status, body } = await apiGet(
        `/v1/quote/liquid-unstake?snear=${amount}&slippage_bps=0`,
      );
      expect(status).toBe(200);
      const chainState = await contractView('get_contract_state', {});
      expect(body.block_height).toBe(Number(chainState.block_height));
      const view = await contractView('quote_liquid_unstake', { snear_amount: amount.toString() });
      expect(pick(body)).toEqual(view);
      const executed = await alice.callFunction({
        contractId: demo.metapool.accountId,
        methodName: 'liquid_unstake',
        args: { snear_amount: amount.toString(), min_near_out: body.min_near_out },
        gas: 75n * TGAS,
        deposit: 1n,
      });
      expect(pick(executed as Record<string, unknown>)).toEqual(pick(body));
    }
  });

  test('exact-out, stake and add-liquidity quotes equal what the contract then does', async () => {
    const bob = rpcAccount('bob');
    await source.refresh();
    const exact = await apiGet(`/v1/quote/liquid-unstake-exact-out?near=${250n * NEAR}`);
    expect(exact.status).toBe(200);
    expect(BigInt(exact.body.near_out)).toBeGreaterThanOrEqual(250n * NEAR);
    const sold = await bob.callFunction({
      contractId: demo.metapool.accountId,
      methodName: 'liquid_unstake',
      args: { snear_amount: exact.body.snear_in, min_near_out: (250n * NEAR).toString() },
      gas: 75n * TGAS,
      deposit: 1n,
    });
    expect(pick(sold as Record<string, unknown>)).toEqual(pick(exact.body));

    await source.refresh();
    const stake = await apiGet(`/v1/quote/stake?amount=777.000000000000000000000123`);
    const minted = await bob.callFunction({
      contractId: demo.metapool.accountId,
      methodName: 'deposit_and_stake',
      args: {},
      deposit: 777n * NEAR + 123n,
      gas: 75n * TGAS,
    });
    expect(String(minted)).toBe(stake.body.snear_out);

    await source.refresh();
    const add = await apiGet(`/v1/quote/add-liquidity?near=${321n * NEAR}`);
    const shares = await bob.callFunction({
      contractId: demo.metapool.accountId,
      methodName: 'add_liquidity',
      args: {},
      deposit: 321n * NEAR,
      gas: 75n * TGAS,
    });
    expect(String(shares)).toBe(add.body.lp_shares);

    await source.refresh();
    const half = (BigInt(String(shares)) / 2n).toString();
    const remove = await apiGet(`/v1/quote/remove-liquidity?shares=${half}`);
    const removed = (await bob.callFunction({
      contractId: demo.metapool.accountId,
      methodName: 'remove_liquidity',
      args: { shares: half, min_near_out: remove.body.min_near_out },
      gas: 75n * TGAS,
    })) as Record<string, string>;
    expect(removed.near_out).toBe(remove.body.near_out);
    expect(removed.snear_out).toBe(remove.body.snear_out);
  });

  test('the keeper pings over JSON-RPC with its own key until idle', async () => {
    const key = createAccountWithKey(demo.net, 'keeper.test.near', 100n * NEAR);
    const chain = await nearKeeperChain({
      rpcUrl: demo.rpc.url,
      contractId: demo.metapool.accountId,
      accountId: key.accountId,
      secretKey: key.secretKey,
    });
    await demo.net.fastForwardEpochs(1);
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const report = await new Keeper(chain, { log, retryDelayMs: 10 }).runRound();
    expect(report.idle).toBe(true);
    expect(report.epoch).toBe(demo.net.epochHeight());
    // a new epoch: every staking pool's rewards are synced first
    expect(report.steps.filter((s) => s.action === 'sync').length).toBeGreaterThanOrEqual(2);
    expect(lines.join('')).toContain('maintenance round done: idle');
  });

  test('a batch equals the contract view item by item, from one block', async () => {
    await source.refresh();
    const amounts = [1n, NEAR, 10n * NEAR + 3n, 2_000n * NEAR];
    const res = await app.inject({
      method: 'POST',
      url: '/v1/quotes',
      payload: { quotes: amounts.map((a) => ({ kind: 'liquid-unstake', snear: a.toString() })) },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    for (const [i, amount] of amounts.entries()) {
      const view = await contractView('quote_liquid_unstake', { snear_amount: amount.toString() });
      expect(body.results[i].ok).toBe(true);
      expect(pick(body.results[i].quote)).toEqual(view);
    }
  });

  test('SSE delivers the new state after a trade', async () => {
    const client = new SseClient(`${address}/v1/stream`);
    try {
      const [first] = await client.waitFor(1);
      const before = JSON.parse(first.data);
      await rpcAccount('alice').callFunction({
        contractId: demo.metapool.accountId,
        methodName: 'liquid_unstake',
        args: { snear_amount: (5n * NEAR).toString(), min_near_out: '0' },
        gas: 75n * TGAS,
        deposit: 1n,
      });
      const chain = await contractView('get_contract_state', {});
      await client.waitFor(2, 10_000);
      const last = JSON.parse(client.events[client.events.length - 1].data);
      expect(last.block_height).toBeGreaterThan(before.block_height);
      expect(BigInt(last.pool.liquidity)).toBeLessThan(BigInt(before.pool.liquidity));
      expect(last.pool.liquidity).toBe(chain.liquidity);
    } finally {
      client.close();
    }
  });

  test('insufficient liquidity: 422 with the largest sellable amount, which the contract quotes identically', async () => {
    await source.refresh();
    const tooMuch = 30_000n * NEAR;
    const res = await apiGet(`/v1/quote/liquid-unstake?snear=${tooMuch}`);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('INSUFFICIENT_LIQUIDITY');
    await expect(
      contractView('quote_liquid_unstake', { snear_amount: tooMuch.toString() }),
    ).rejects.toThrow(/INSUFFICIENT_LIQUIDITY/);
    const max = res.body.max_snear_in as string;
    const view = await contractView('quote_liquid_unstake', { snear_amount: max });
    const ok = await apiGet(`/v1/quote/liquid-unstake?snear=${max}`);
    expect(pick(ok.body)).toEqual(view);
  });
});
