// The instant-exit pool on localnet: every trade equals amm-math to the yocto, splitting never
// gains, LP shares, deposit clearing, self-unstake, slippage, insufficient liquidity, bank run.
import {
  isAmmError,
  maxSellableSnear,
  poolStateFromContractView,
  quoteLiquidUnstake,
  quoteToView,
} from '@snear/amm-math';
import type { Account } from '@snear/localnet';
import {
  Auditor,
  contractState,
  epochs,
  type Fixture,
  NEAR,
  pingUntilIdle,
  setup,
  TimerWatch,
  USER_GAS,
  viewBig,
} from './metapool-fixture';
import { rng } from './support/random';

jest.setTimeout(180_000);

/** A random bigint in [1, max], log-uniform so tiny and huge amounts both occur. */
function randomAmount(r: () => number, max: bigint): bigint {
  if (max <= 1n) return 1n;
  const digits = max.toString().length;
  const d = 1 + Math.floor(r() * digits);
  let x = 0n;
  for (let i = 0; i < d; i++) x = x * 10n + BigInt(Math.floor(r() * 10));
  return (x % max) + 1n;
}

async function snear(f: Fixture, who: Account): Promise<bigint> {
  return viewBig(f.metapool, 'ft_balance_of', { account_id: who.accountId });
}

async function poolState(f: Fixture) {
  return poolStateFromContractView(await contractState(f));
}

/** Pool with 5,000 NEAR of liquidity (target 10,000) and stakers holding sNEAR. */
async function market(extraUsers: string[] = []) {
  const f = await setup({
    pools: 3,
    users: ['lp', 'lp2', 'alice', 'bob', 'carol', ...extraUsers],
    epochLength: 200,
  });
  const audit = new Auditor(f);
  await audit.addLiquidity(f.users.lp, 5_000n * NEAR);
  for (const name of ['alice', 'bob', 'carol', ...extraUsers])
    await audit.stake(f.users[name], 4_000n * NEAR);
  await pingUntilIdle(f);
  return { f, audit };
}

describe('liquid unstake equals amm-math', () => {
  it('for many random trades: contract result == quoteLiquidUnstake == quote_liquid_unstake', async () => {
    const { f, audit } = await market();
    const r = rng(20261125);
    const sellers = [f.users.alice, f.users.bob, f.users.carol];
    let trades = 0;
    let refusals = 0;
    for (let i = 0; i < 2_000; i++) {
      const seller = sellers[i % sellers.length];
      const balance = await snear(f, seller);
      if (balance === 0n || r() < 0.08) {
        // vary the state: new stake clears the pool, new liquidity deepens it
        if (r() < 0.5) await audit.stake(seller, randomAmount(r, 2_000n * NEAR) + NEAR);
        else await audit.addLiquidity(f.users.lp2, randomAmount(r, 1_000n * NEAR) + NEAR);
        continue;
      }
      const amount = randomAmount(r, balance);
      const state = await poolState(f);
      let expected: ReturnType<typeof quoteToView> | null = null;
      let code = '';
      try {
        expected = quoteToView(quoteLiquidUnstake(state, amount));
      } catch (e) {
        if (!isAmmError(e)) throw e;
        code = e.code;
      }
      // the view on the same state says the same
      const view = await f.metapool
        .view('quote_liquid_unstake', { snear_amount: amount.toString() })
        .catch((e: Error) => e.message);
      if (expected === null) expect(String(view)).toContain(`E_${code}`);
      else expect(view).toEqual(expected);
      const out = await seller.callRaw(
        f.metapool,
        'liquid_unstake',
        { snear_amount: amount.toString(), min_near_out: '0' },
        { attachedDeposit: 1n, gas: USER_GAS },
      );
      if (expected === null) {
        refusals += 1;
        expect(out.failureMessage).toContain(`E_${code}`);
        continue;
      }
      expect(out.status).toBe('success');
      expect(out.value).toEqual(expected);
      audit.netUserNear -= BigInt(expected.near_out);
      trades += 1;
      if (i % 40 === 0) await audit.check();
    }
    expect(trades).toBeGreaterThan(1_500);
    // some trades were larger than the pool could pay, and were refused like amm-math refuses them
    expect(refusals).toBeGreaterThan(0);
    await audit.check();
  });

  it('quote_liquid_unstake equals amm-math on the same state, and ft_transfer_call pays the same', async () => {
    const { f } = await market();
    const r = rng(7);
    for (let i = 0; i < 150; i++) {
      const amount = randomAmount(r, 2_000n * NEAR);
      const state = await poolState(f);
      const view = await f.metapool.view('quote_liquid_unstake', {
        snear_amount: amount.toString(),
      });
      expect(view).toEqual(quoteToView(quoteLiquidUnstake(state, amount)));
    }
    const amount = 1_234n * NEAR;
    const snap = f.net.snapshot();
    const direct = await f.users.alice.call(
      f.metapool,
      'liquid_unstake',
      { snear_amount: amount.toString(), min_near_out: '0' },
      { attachedDeposit: 1n, gas: USER_GAS },
    );
    f.net.restore(snap);
    const before = await snear(f, f.users.alice);
    const out = await f.users.alice.callRaw(
      f.metapool,
      'ft_transfer_call',
      {
        receiver_id: f.metapool.accountId,
        amount: amount.toString(),
        msg: JSON.stringify({ action: 'liquid_unstake', min_near_out: '0' }),
      },
      { gas: USER_GAS, attachedDeposit: 1n },
    );
    expect(out.status).toBe('success');
    expect(out.value).toBe(amount.toString());
    expect(before - (await snear(f, f.users.alice))).toBe(amount);
    const log = out.logs.find((l) => l.includes('"event":"liquid_unstake"'))!;
    const near_out = JSON.parse(log.slice('EVENT_JSON:'.length)).data[0].near_out;
    expect(near_out).toBe((direct as { near_out: string }).near_out);
  });
});

describe('splitting never gains on chain', () => {
  it('selling in 10 or 37 pieces returns no more than one sale', async () => {
    const { f } = await market();
    const seller = f.users.alice;
    for (const total of [3_000n * NEAR, 777n * NEAR + 12345n]) {
      const snap = f.net.snapshot();
      const whole = (await seller.call(
        f.metapool,
        'liquid_unstake',
        { snear_amount: total.toString(), min_near_out: '0' },
        { attachedDeposit: 1n, gas: USER_GAS },
      )) as { near_out: string };
      f.net.restore(snap);
      for (const pieces of [10n, 37n]) {
        const snap2 = f.net.snapshot();
        let sum = 0n;
        for (let i = 0n; i < pieces; i++) {
          const part =
            i === pieces - 1n ? total - (total / pieces) * (pieces - 1n) : total / pieces;
          const q = (await seller.call(
            f.metapool,
            'liquid_unstake',
            { snear_amount: part.toString(), min_near_out: '0' },
            { attachedDeposit: 1n, gas: USER_GAS },
          )) as { near_out: string };
          sum += BigInt(q.near_out);
        }
        expect(sum).toBeLessThanOrEqual(BigInt(whole.near_out));
        f.net.restore(snap2);
      }
    }
  });
});

describe('LP shares', () => {
  it('grow with swap fees and staking rewards; transfer; remove pays pro rata', async () => {
    const { f, audit } = await market();
    const { lp, lp2, alice } = f.users;
    const shares = BigInt(
      (
        (await f.metapool.view('get_lp_account', { account_id: lp.accountId })) as {
          shares: string;
        }
      ).shares,
    );
    expect(shares).toBe(5_000n * NEAR);
    await audit.liquidUnstake(alice, 2_000n * NEAR);
    const afterFee = (await f.metapool.view('get_lp_account', {
      account_id: lp.accountId,
    })) as Record<string, string>;
    expect(BigInt(afterFee.value_near)).toBeGreaterThan(5_000n * NEAR);
    await epochs(f, 3);
    const afterRewards = (await f.metapool.view('get_lp_account', {
      account_id: lp.accountId,
    })) as Record<string, string>;
    expect(BigInt(afterRewards.value_near)).toBeGreaterThan(BigInt(afterFee.value_near));
    // a second LP buys in at the current value: no dilution of the first
    await audit.addLiquidity(lp2, 1_000n * NEAR);
    const lpAfter = (await f.metapool.view('get_lp_account', {
      account_id: lp.accountId,
    })) as Record<string, string>;
    expect(BigInt(lpAfter.value_near)).toBeGreaterThanOrEqual(BigInt(afterRewards.value_near) - 2n);
    // transfer a third of the shares to lp2 (registered), then both remove pro rata
    await lp.call(
      f.metapool,
      'lp_transfer',
      { receiver_id: lp2.accountId, shares: (shares / 3n).toString() },
      { gas: USER_GAS },
    );
    const s = await audit.check();
    const lpShares = BigInt(s.lp_shares);
    const mine = shares - shares / 3n;
    const expectNear = (BigInt(s.liquidity) * mine) / lpShares;
    const expectSnear = (BigInt(s.pool_snear) * mine) / lpShares;
    const snearBefore = await snear(f, lp);
    const r = (await audit.removeLiquidity(lp, mine))!;
    expect(BigInt(r.near_out)).toBe(expectNear);
    expect(BigInt(r.snear_out)).toBe(expectSnear);
    expect((await snear(f, lp)) - snearBefore).toBe(expectSnear);
    const rest = BigInt(
      (
        (await f.metapool.view('get_lp_account', { account_id: lp2.accountId })) as {
          shares: string;
        }
      ).shares,
    );
    await audit.removeLiquidity(lp2, rest);
    const end = await audit.check();
    expect(end.lp_shares).toBe('0');
  });
});

describe('deposit clearing', () => {
  it('restores liquidity from new stake, with no staking-pool unstake', async () => {
    const { f, audit } = await market(['dave']);
    const watch = new TimerWatch(f);
    f.afterPing = (step) => watch.observe(step);
    await audit.liquidUnstake(f.users.alice, 3_000n * NEAR);
    const s1 = await audit.check();
    const poolValue =
      (BigInt(s1.pool_snear) * BigInt(s1.total_staked_near)) / BigInt(s1.total_snear);
    const out = await f.users.dave.callRaw(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 5_000n * NEAR, gas: USER_GAS },
    );
    expect(out.status).toBe('success');
    audit.netUserNear += 5_000n * NEAR;
    // only the metapool (and the gas refund) ran: no validator was called
    expect(out.receipts.filter((x) => !x.isRefund).map((x) => x.executor)).toEqual([
      f.metapool.accountId,
    ]);
    const s2 = await audit.check();
    expect(BigInt(s2.liquidity) - BigInt(s1.liquidity)).toBe(poolValue);
    expect(BigInt(s2.pool_snear)).toBeLessThanOrEqual(1n);
    await epochs(f, 6);
    expect(watch.unstakeCalls).toBe(0);
    await audit.check(true);
  });
});

describe('self-unstake', () => {
  it('refills liquidity after the unbonding epochs when deposits dry up', async () => {
    const { f, audit } = await market();
    const watch = new TimerWatch(f);
    f.afterPing = (step) => watch.observe(step);
    await audit.liquidUnstake(f.users.alice, 3_000n * NEAR);
    await f.net.fastForwardEpochs(1);
    const before = await audit.check();
    const lpValueBefore = BigInt(
      (
        (await f.metapool.view('get_lp_account', { account_id: f.users.lp.accountId })) as Record<
          string,
          string
        >
      ).value_near,
    );
    const steps = await pingUntilIdle(f);
    expect(steps).toContain('pool_self_unstake');
    expect(steps).toContain('unstake');
    const mid = await audit.check();
    expect(BigInt(mid.lp_unstaking_near)).toBeGreaterThan(0n);
    expect(mid.liquidity).toBe(before.liquidity);
    // LP value is kept while the NEAR is on its way back
    const lpValueMid = BigInt(
      (
        (await f.metapool.view('get_lp_account', { account_id: f.users.lp.accountId })) as Record<
          string,
          string
        >
      ).value_near,
    );
    expect(lpValueMid).toBeGreaterThanOrEqual(lpValueBefore - 2n);
    await epochs(f, 4);
    const after = await audit.check(true);
    expect(after.lp_unstaking_near).toBe('0');
    expect(BigInt(after.liquidity)).toBeGreaterThan(BigInt(before.liquidity) + 2_900n * NEAR);
    expect(watch.violations).toEqual([]);
  });
});

describe('guards', () => {
  it('slippage: fails below min_near_out with the quote in the message, state unchanged', async () => {
    const { f, audit } = await market();
    const amount = 1_000n * NEAR;
    const q = (await f.metapool.view('quote_liquid_unstake', {
      snear_amount: amount.toString(),
    })) as { near_out: string };
    const min = BigInt(q.near_out) + 1n;
    expect(await audit.liquidUnstake(f.users.alice, amount, min)).toBeNull();
    const msg = audit.failures.at(-1)!;
    expect(msg).toMatch(
      /E_SLIPPAGE: would receive \d+(\.\d+)? NEAR \(\d+ yocto, fee \d+ bps\), minimum/,
    );
    expect(msg).toContain(q.near_out);
    expect(msg).toContain(min.toString());
    expect(await audit.liquidUnstake(f.users.alice, amount, min - 1n)).not.toBeNull();
  });

  it('insufficient liquidity names the largest sellable amount, which then sells', async () => {
    const { f, audit } = await market();
    await audit.stake(f.users.alice, 4_000n * NEAR);
    const max = maxSellableSnear(await poolState(f));
    expect(await audit.liquidUnstake(f.users.alice, max + 1n)).toBeNull();
    const msg = audit.failures.at(-1)!;
    expect(msg).toMatch(/E_INSUFFICIENT_LIQUIDITY/);
    expect(msg).toContain(max.toString());
    const q = (await audit.liquidUnstake(f.users.alice, max))!;
    expect(BigInt(q.near_out)).toBeLessThanOrEqual(5_000n * NEAR);
    await audit.check();
  });

  it('bad input: zero, more than balance, malformed msg, unregistered receiver', async () => {
    const { f, audit } = await market();
    const { alice, lp } = f.users;
    const stranger = await f.root.createSubAccount('stranger', { initialBalance: 10n * NEAR });
    const cases: [Account, string, unknown, bigint, RegExp][] = [
      [alice, 'liquid_unstake', { snear_amount: '0', min_near_out: '0' }, 1n, /E_ZERO_AMOUNT/],
      [
        alice,
        'liquid_unstake',
        { snear_amount: (10n ** 30n).toString(), min_near_out: '0' },
        1n,
        /E_INSUFFICIENT_BALANCE/,
      ],
      [alice, 'liquid_unstake', { snear_amount: 5, min_near_out: '0' }, 1n, /E_BAD_ARGS/],
      [alice, 'liquid_unstake', { snear_amount: '-5', min_near_out: '0' }, 1n, /E_BAD_ARGS/],
      [alice, 'liquid_unstake', { snear_amount: '1' }, 1n, /E_BAD_ARGS/],
      [
        alice,
        'ft_transfer_call',
        { receiver_id: f.metapool.accountId, amount: '100', msg: 'sell' },
        1n,
        /E_BAD_MSG/,
      ],
      [
        alice,
        'ft_transfer_call',
        { receiver_id: f.metapool.accountId, amount: '100', msg: '{"action":"burn"}' },
        1n,
        /E_BAD_MSG/,
      ],
      [
        alice,
        'ft_transfer',
        { receiver_id: stranger.accountId, amount: '100' },
        1n,
        /E_NOT_REGISTERED/,
      ],
      [
        alice,
        'ft_transfer',
        { receiver_id: alice.accountId, amount: '100' },
        1n,
        /E_SELF_TRANSFER/,
      ],
      [alice, 'ft_transfer', { receiver_id: lp.accountId, amount: '100' }, 0n, /E_DEPOSIT/],
      [
        lp,
        'lp_transfer',
        { receiver_id: stranger.accountId, shares: '100' },
        0n,
        /E_NOT_REGISTERED/,
      ],
      [lp, 'remove_liquidity', { shares: (10n ** 30n).toString() }, 0n, /E_INSUFFICIENT_LP_SHARES/],
      [lp, 'add_liquidity', { min_shares: (10n ** 30n).toString() }, NEAR, /E_SLIPPAGE/],
      [alice, 'add_liquidity', {}, 0n, /E_ZERO_AMOUNT/],
      [alice, 'remove_liquidity', { shares: '1' }, NEAR, /E_DEPOSIT/],
      [
        stranger,
        'on_pool_result',
        { pool: 'pool0.test.near', op: 'stake', amount: '1' },
        0n,
        /E_UNAUTHORIZED/,
      ],
      [
        stranger,
        'ft_resolve_transfer',
        { sender_id: 'a.test.near', receiver_id: 'b.test.near', amount: '1' },
        0n,
        /E_UNAUTHORIZED/,
      ],
    ];
    for (const [who, method, args, deposit, code] of cases) {
      const before = (await who.balance()).total;
      const out = await who.callRaw(f.metapool, method, args, {
        gas: USER_GAS,
        attachedDeposit: deposit,
      });
      expect([method, out.failureMessage]).toEqual([method, expect.stringMatching(code)]);
      // the deposit came back: only gas was spent
      expect(before - (await who.balance()).total).toBeLessThan(NEAR / 100n);
    }
    await audit.check();
  });
});

describe('bank run', () => {
  it('many holders exit at once: instantly until liquidity is gone, the rest by delayed unstake', async () => {
    const holders = Array.from({ length: 8 }, (_, i) => `h${i}`);
    const { f, audit } = await market(holders);
    const watch = new TimerWatch(f);
    f.afterPing = (step) => watch.observe(step);
    await epochs(f, 1);
    const waits: { who: Account; unlock: number; owed: bigint }[] = [];
    let instant = 0;
    for (const name of ['alice', 'bob', 'carol', ...holders]) {
      const who = f.users[name];
      const bal = await snear(f, who);
      const sold = await audit.liquidUnstake(who, bal);
      if (sold !== null) {
        instant += 1;
        continue;
      }
      expect(audit.failures.at(-1)).toMatch(/E_INSUFFICIENT_LIQUIDITY/);
      const unlock = (await audit.unstakeAll(who))!;
      const owed = await viewBig(f.metapool, 'get_account_unstaked_balance', {
        account_id: who.accountId,
      });
      waits.push({ who, unlock, owed });
      // the keeper runs right away: the real unstake happens in the predicted epoch
      await pingUntilIdle(f);
      await audit.check();
    }
    expect(instant).toBeGreaterThan(0);
    expect(waits.length).toBeGreaterThan(3);
    await pingUntilIdle(f);
    const last = Math.max(...waits.map((w) => w.unlock));
    while (f.net.epochHeight() < last) {
      await epochs(f, 1);
      const epoch = f.net.epochHeight();
      for (const w of waits) {
        if (w.unlock === epoch) expect(await audit.withdrawAll(w.who)).toBe(w.owed);
        if (w.unlock > epoch) expect(await audit.withdrawAll(w.who)).toBeNull();
      }
      await audit.check(true);
    }
    for (const w of waits) {
      expect(
        await viewBig(f.metapool, 'get_account_unstaked_balance', { account_id: w.who.accountId }),
      ).toBe(0n);
    }
    expect(watch.violations).toEqual([]);
  });
});
