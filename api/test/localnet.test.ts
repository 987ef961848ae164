/** @jest-environment ./test/esm-environment.js */
jest.mock(
  'light-my-request',
  () => (globalThis as { __lightMyRequest?: unknown }).__lightMyRequest,
);

import { createAccountWithKey } from '@snear/localnet';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { pingUntilIdle } from '../../contracts/deploy/protocol';
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
// the contract view gives fee_bps as a string, the API as an integer like every *_bps field
const pick = (o: Record<string, unknown>) =>
  Object.fromEntries(QUOTE_FIELDS.map((k) => [k, k === 'fee_bps' ? String(o[k]) : o[k]]));

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
      const view = await contractView('quote_liquid_unstake', { snear_amount: amount.toString() });
      if (view.near_out === '0') {
        // the contract would take the sNEAR for nothing: the API refuses the sale
        expect([status, body.code]).toEqual([422, 'AMOUNT_TOO_SMALL']);
        continue;
      }
      expect(status).toBe(200);
      const chainState = await contractView('get_contract_state', {});
      expect(body.block_height).toBe(Number(chainState.block_height));
      expect(pick(body)).toEqual(view);
      const executed = await alice.callFunction({
        contractId: demo.metapool.accountId,
        methodName: 'liquid_unstake',
        args: { snear_amount: amount.toString(), min_near_out: body.min_near_out },
        gas: 75n * TGAS,
        deposit: 1n,
      });
      expect(pick(executed as Record<string, unknown>)).toEqual(pick(body));
      // the pool after the trade is what the quote said
      const afterTrade = await contractView('get_contract_state', {});
      expect(afterTrade.liquidity).toBe(body.liquidity_after);
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
    expect(stake.body.call).toMatchObject({
      method_name: 'deposit_and_stake',
      deposit: (777n * NEAR + 123n).toString(),
    });
    const minted = await sign(bob, stake.body.call);
    expect(String(minted)).toBe(stake.body.snear_out);
    expect((await contractView('get_contract_state', {})).liquidity).toBe(
      stake.body.liquidity_after,
    );

    await source.refresh();
    const add = await apiGet(`/v1/quote/add-liquidity?near=${321n * NEAR}`);
    const shares = await sign(bob, add.body.call);
    expect(String(shares)).toBe(add.body.lp_shares);

    await source.refresh();
    const half = (BigInt(String(shares)) / 2n).toString();
    const remove = await apiGet(`/v1/quote/remove-liquidity?shares=${half}`);
    const removed = (await sign(bob, remove.body.call)) as Record<string, string>;
    expect(removed.near_out).toBe(remove.body.near_out);
    expect(removed.snear_out).toBe(remove.body.snear_out);
    expect(removed.unstaking_near).toBe(remove.body.unstaking_near);
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
    const logged = lines.map((l) => JSON.parse(l));
    const done = logged.find((l) => l.msg === 'maintenance round done: idle');
    // every step names its transaction, so an operator can look it up
    expect(done.tx_hash).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    expect(logged.filter((l) => String(l.msg).startsWith('ping:')).every((l) => l.tx_hash)).toBe(
      true,
    );
  });

  test('a batch equals the contract view item by item, from one block', async () => {
    await source.refresh();
    const amounts = [2n, NEAR, 10n * NEAR + 3n, 2_000n * NEAR];
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

  test('liquid_unstake call arguments sign as they are (1 yoctoNEAR attached)', async () => {
    await source.refresh();
    const sale = await apiGet(`/v1/quote/liquid-unstake?snear=${3n * NEAR}`);
    expect(sale.body.call).toEqual({
      contract_id: demo.metapool.accountId,
      method_name: 'liquid_unstake',
      args: { snear_amount: (3n * NEAR).toString(), min_near_out: sale.body.min_near_out },
      deposit: '1',
      gas: (75n * TGAS).toString(),
    });
    const sold = await sign(rpcAccount('alice'), sale.body.call);
    expect(pick(sold as Record<string, unknown>)).toEqual(pick(sale.body));
  });

  test("with the pool's own delayed unstake pending, add and remove quotes equal what the ready-made calls do", async () => {
    // sell sNEAR into the pool, then a new epoch: the keeper's ping self-unstakes the pool's sNEAR
    const alice = rpcAccount('alice');
    await alice.callFunction({
      contractId: demo.metapool.accountId,
      methodName: 'liquid_unstake',
      args: { snear_amount: (2_000n * NEAR).toString(), min_near_out: '0' },
      gas: 75n * TGAS,
      deposit: 1n,
    });
    await demo.net.fastForwardEpochs(1);
    await pingUntilIdle(demo.owner, demo.metapool);
    const chain = await contractView('get_contract_state', {});
    expect(BigInt(chain.lp_unstaking_near)).toBeGreaterThan(0n);

    // add: the contract prices shares with liquidity + lp_unstaking_near
    await source.refresh();
    const add = await apiGet(`/v1/quote/add-liquidity?near=${10n * NEAR}&slippage_bps=0`);
    expect(add.status).toBe(200);
    expect(add.body.call).toMatchObject({
      method_name: 'add_liquidity',
      args: { min_shares: add.body.lp_shares },
      deposit: (10n * NEAR).toString(),
    });
    const minted = await sign(alice, add.body.call);
    expect(String(minted)).toBe(add.body.lp_shares);
    const state = await contractView('get_contract_state', {});
    expect(add.body.liquidity_after).toBe(state.liquidity);

    // remove: NEAR and sNEAR now, and the pro-rata part of the pool's unstake as a delayed unstake
    await source.refresh();
    const lp = rpcAccount('lp');
    const shares = (1_000n * NEAR).toString();
    const remove = await apiGet(`/v1/quote/remove-liquidity?shares=${shares}&slippage_bps=0`);
    expect(remove.status).toBe(200);
    expect(BigInt(remove.body.unstaking_near)).toBeGreaterThan(0n);
    const before = (await contractView('get_account_unstake_schedule', {
      account_id: demo.users.lp.accountId,
    })) as unknown as { total: string };
    const removed = (await sign(lp, remove.body.call)) as Record<string, string>;
    expect({ near_out: removed.near_out, snear_out: removed.snear_out }).toEqual({
      near_out: remove.body.near_out,
      snear_out: remove.body.snear_out,
    });
    const schedule = (await contractView('get_account_unstake_schedule', {
      account_id: demo.users.lp.accountId,
    })) as unknown as { total: string; buckets: Array<{ unlock_epoch: number; amount: string }> };
    expect(BigInt(schedule.total) - BigInt(before.total)).toBe(BigInt(removed.unstaking_near));
    if (chain.lp_unstaking_schedule !== undefined) {
      expect(removed.unstaking_near).toBe(remove.body.unstaking_near);
      // the pool's buckets are known: each part unlocks exactly with its bucket
      const epochs = (
        chain.lp_unstaking_schedule as unknown as Array<{ unlock_epoch: number }>
      ).map((b) => Number(b.unlock_epoch));
      for (const part of remove.body.unstaking as Array<{
        unlock_epoch: number;
        estimated: boolean;
      }>) {
        expect(epochs).toContain(part.unlock_epoch);
        expect(part.estimated).toBe(false);
      }
      return;
    } else {
      // Without the pool's buckets in get_contract_state the API can only split their total: the
      // contract rounds each bucket down, so it credits up to (buckets − 1) yocto less.
      const slack = BigInt(schedule.buckets.length - 1);
      const gap = BigInt(remove.body.unstaking_near) - BigInt(removed.unstaking_near);
      expect(gap >= 0n && gap <= slack).toBe(true);
    }
    // the estimate is an upper bound of the epoch the NEAR unlocks
    const latest = Math.max(...schedule.buckets.map((b) => b.unlock_epoch));
    expect(remove.body.unstaking[0].unlock_epoch).toBeGreaterThanOrEqual(latest);
  });

  test('/v1/state shows governance: who governs, and each queued change with its apply epoch', async () => {
    const stateNow = async () => {
      await source.refresh();
      const { status, body } = await apiGet('/v1/state');
      expect(status).toBe(200);
      return body;
    };
    const before = await stateNow();
    expect(before.governance).toMatchObject({
      governance_id: demo.owner.accountId,
      owner_id: demo.owner.accountId,
      guardian_id: null,
      handed_over: false,
      timelock_epochs: 6,
      timelock_floor_epochs: 6,
      deposits_paused: false,
      queued: [],
    });
    const change = (await demo.owner.call(
      demo.metapool,
      'propose_fee_params',
      { reward_fee_bps: 500 },
      { gas: 100n * TGAS },
    )) as { id: number; apply_epoch: number };
    const body = await stateNow();
    expect(body.governance.queued).toHaveLength(1);
    const [q] = body.governance.queued;
    expect(q).toMatchObject({
      id: change.id,
      kind: 'fee_params',
      args: { reward_fee_bps: 500 },
      apply_epoch: change.apply_epoch,
      epochs_left: change.apply_epoch - body.epoch_height,
    });
    expect(q.apply_epoch).toBe(body.epoch_height + 6);
    expect(q.estimated_apply_at_ms).toBeGreaterThan(Date.now());
    await demo.owner.call(demo.metapool, 'cancel_change', { id: change.id }, { gas: 100n * TGAS });
    expect((await stateNow()).governance.queued).toEqual([]);
  });
});

/** Signs a quote's ready-made call as `account`. */
function sign(
  account: { callFunction(args: object): Promise<unknown> },
  call: { contract_id: string; method_name: string; args: object; deposit: string; gas: string },
) {
  return account.callFunction({
    contractId: call.contract_id,
    methodName: call.method_name,
    args: call.args,
    deposit: BigInt(call.deposit),
    gas: BigInt(call.gas),
  });
}
