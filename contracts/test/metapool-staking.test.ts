// The metapool's staking side on localnet: lifecycles with rewards, delayed unstake timing,
// timer protection, caps, injected staking-pool failures and lockup accounts.
import {
  Auditor,
  contractState,
  epochs,
  type Fixture,
  NEAR,
  pingUntilIdle,
  poolAccount,
  realPeersSkipReason,
  setup,
  TimerWatch,
  USER_GAS,
  viewBig,
} from './metapool-fixture';

jest.setTimeout(180_000);

/** Advances epoch by epoch (keeper runs each time) until `epoch`. */
async function untilEpoch(f: Fixture, epoch: number): Promise<void> {
  while (f.net.epochHeight() < epoch) await epochs(f, 1);
  await pingUntilIdle(f);
}

describe('lifecycle over many epochs', () => {
  it('spreads stake, recognises rewards, mints the protocol fee, pays every unstake when predicted', async () => {
    const f = await setup({ pools: 5, users: ['alice', 'bob', 'carol'] });
    const watch = new TimerWatch(f);
    f.afterPing = (step) => watch.observe(step);
    const audit = new Auditor(f);
    const { alice, bob, carol } = f.users;
    await audit.stake(alice, 3_000n * NEAR);
    await audit.stake(bob, 1_500n * NEAR);
    await pingUntilIdle(f);
    let s = await audit.check(true);
    // every pool got a share, none holds everything
    for (const v of s.validators) expect(BigInt(v.staked)).toBeGreaterThan(800n * NEAR);
    const price0 = { near: BigInt(s.total_staked_near), snear: BigInt(s.total_snear) };

    const unlocks: Record<string, number> = {};
    for (let e = 0; e < 12; e++) {
      await epochs(f, 1);
      s = await audit.check(true);
      if (e === 2) await audit.stake(carol, 700n * NEAR);
      if (e === 3) unlocks.alice = (await audit.unstake(alice, 1_000n * NEAR))!;
      if (e === 5) unlocks.bob = (await audit.unstakeAll(bob))!;
      await audit.check();
    }
    // the price rose, rewards were recognised and the treasury got its fee as sNEAR
    const price1 = { near: BigInt(s.total_staked_near), snear: BigInt(s.total_snear) };
    expect(price1.near * price0.snear).toBeGreaterThan(price0.near * price1.snear);
    const rewards = BigInt(s.rewards_near);
    expect(rewards).toBeGreaterThan(0n);
    const treasuryValue = await viewBig(f.metapool, 'get_account_staked_balance', {
      account_id: f.treasury.accountId,
    });
    // 10% of the rewards, paid as sNEAR that has since earned rewards too
    expect(treasuryValue).toBeGreaterThanOrEqual(rewards / 10n - 100n);
    expect(treasuryValue).toBeLessThan(rewards / 9n);
    // both unstakes are withdrawable at their predicted epochs (already passed), and pay in full
    for (const [name, unlock] of Object.entries(unlocks)) {
      expect(f.net.epochHeight()).toBeGreaterThanOrEqual(unlock);
      const user = f.users[name];
      const owed = await viewBig(f.metapool, 'get_account_unstaked_balance', {
        account_id: user.accountId,
      });
      expect(
        await f.metapool.view('is_account_unstaked_balance_available', {
          account_id: user.accountId,
        }),
      ).toBe(true);
      expect(await audit.withdrawAll(user)).toBe(owed);
    }
    expect(watch.violations).toEqual([]);
    expect(watch.unstakeCalls).toBeGreaterThan(0);
    await audit.check(true);
  });
});

describe('delayed unstake', () => {
  it('keeps buckets apart and unlocks each exactly at its predicted epoch', async () => {
    const f = await setup({ pools: 2, users: ['alice'] });
    const watch = new TimerWatch(f);
    f.afterPing = (step) => watch.observe(step);
    const audit = new Auditor(f);
    const { alice } = f.users;
    await audit.stake(alice, 1_000n * NEAR);
    await epochs(f, 1);
    const u1 = (await audit.unstake(alice, 100n * NEAR))!;
    expect(u1).toBe(f.net.epochHeight() + 4);
    await pingUntilIdle(f);
    await epochs(f, 2);
    const u2 = (await audit.unstake(alice, 50n * NEAR))!;
    expect(u2).toBeGreaterThan(u1);
    await pingUntilIdle(f);
    const schedule = (await f.metapool.view('get_account_unstake_schedule', {
      account_id: alice.accountId,
    })) as {
      buckets: { unlock_epoch: number; amount: string }[];
    };
    expect(schedule.buckets.map((b) => [b.unlock_epoch, b.amount])).toEqual([
      [u1, (100n * NEAR).toString()],
      [u2, (50n * NEAR).toString()],
    ]);
    // one epoch before: nothing; at u1: exactly the first bucket
    await untilEpoch(f, u1 - 1);
    expect(await audit.withdrawAll(alice)).toBeNull();
    expect(audit.failures.at(-1)).toMatch(/E_NOT_AVAILABLE/);
    await untilEpoch(f, u1);
    expect(await audit.withdrawAll(alice)).toBe(100n * NEAR);
    await untilEpoch(f, u2);
    expect(await audit.withdrawAll(alice)).toBe(50n * NEAR);
    expect(watch.violations).toEqual([]);
    await audit.check(true);
  });

  it('waits longer, as predicted, when no timer-free pool can cover the unstake', async () => {
    const f = await setup({ pools: 2, users: ['alice', 'bob'] });
    const watch = new TimerWatch(f);
    f.afterPing = (step) => watch.observe(step);
    const audit = new Auditor(f);
    const { alice, bob } = f.users;
    await audit.stake(alice, 1_000n * NEAR);
    await audit.stake(bob, 1_500n * NEAR);
    await epochs(f, 1);
    // epoch e: alice's unstake comes from one pool, whose timer then runs until e + 4
    const e0 = f.net.epochHeight();
    const uA = (await audit.unstake(alice, 900n * NEAR))!;
    expect(uA).toBe(e0 + 4);
    await pingUntilIdle(f);
    await epochs(f, 1);
    // e + 1: the other pool (about 1,250 NEAR) cannot cover bob's 1,500: the rest waits for the
    // first pool's timer (e + 4), then unbonds (e + 8)
    const uB = (await audit.unstake(bob, 1_500n * NEAR))!;
    expect(uB).toBe(e0 + 8);
    await pingUntilIdle(f);
    await untilEpoch(f, uA);
    expect(await audit.withdrawAll(alice)).toBe(900n * NEAR);
    await untilEpoch(f, uB - 1);
    expect(await audit.withdrawAll(bob)).toBeNull();
    await untilEpoch(f, uB);
    expect(await audit.withdrawAll(bob)).toBe(1_500n * NEAR);
    expect(watch.violations).toEqual([]);
    await audit.check(true);
  });

  it('nets deposits against unstakes within an epoch: no validator call', async () => {
    const f = await setup({ pools: 2, users: ['alice', 'bob'] });
    const audit = new Auditor(f);
    const { alice, bob } = f.users;
    await audit.stake(alice, 500n * NEAR);
    await pingUntilIdle(f);
    await epochs(f, 1);
    await audit.stake(bob, 300n * NEAR);
    await audit.unstake(alice, 200n * NEAR);
    const s = await audit.check();
    expect(s.pending_unstake_near).toBe('0');
    // (plus a few yocto of share rounding that came back into the reserve)
    expect(BigInt(s.reserve_near) - 100n * NEAR).toBeGreaterThanOrEqual(0n);
    expect(BigInt(s.reserve_near) - 100n * NEAR).toBeLessThan(1_000n);
    const steps = await pingUntilIdle(f);
    expect(steps).not.toContain('unstake');
    for (const p of f.pools)
      expect((await poolAccount(p, f.metapool.accountId)).unstaked).toBeLessThan(NEAR);
  });
});

describe("NEAR's staking pool rounding", () => {
  const realSkip = realPeersSkipReason();
  (realSkip ? it.skip : it)(
    `leaves a few yocto unstaked with us after each delegation: no withdraw step for them, back with the next unstake${realSkip ? ` (skipped: ${realSkip})` : ''}`,
    async () => {
      const f = await setup({ pools: 2, users: ['alice'], peers: 'real' });
      const audit = new Auditor(f);
      const { alice } = f.users;
      await audit.stake(alice, 1_000n * NEAR);
      await epochs(f, 3);
      // the share price is above 1 now: deposit_and_stake charges the floor value of whole shares
      await audit.stake(alice, 77n * NEAR + 12_345n);
      expect(await pingUntilIdle(f)).toEqual(['stake', 'stake']);
      let s = await audit.check(true);
      let dust = 0n;
      for (const p of f.pools) {
        const a = await poolAccount(p, f.metapool.accountId);
        expect(a.unstaked).toBeLessThan(1_000_000n);
        dust += a.unstaked;
      }
      expect(dust).toBeGreaterThan(0n);
      expect(BigInt(s.pools_unstaked_near)).toBe(dust);
      // everything out: the dust leaves with the unstake, alice gets all, nothing stays unstaked
      const unlock = (await audit.unstakeAll(alice))!;
      await untilEpoch(f, unlock);
      const due = await viewBig(f.metapool, 'get_account_unstaked_balance', {
        account_id: alice.accountId,
      });
      expect(await audit.withdrawAll(alice)).toBe(due);
      s = await audit.check(true);
      expect(s.pools_unstaked_near).toBe('0');
      expect(s.owed_near).toBe('0');
    },
  );
});

describe('caps', () => {
  it('keeps a single pool under maxPoolShareBps and reports the rest as reserve', async () => {
    const f = await setup({ pools: 1, users: ['alice'], init: { max_pool_share_bps: 5_000 } });
    const audit = new Auditor(f);
    await audit.stake(f.users.alice, 1_000n * NEAR);
    await pingUntilIdle(f);
    const s = await audit.check(true);
    const own = BigInt(s.pools_staked_near) + BigInt(s.reserve_near);
    expect(BigInt(s.validators[0].staked) * 2n).toBeLessThanOrEqual(own);
    expect(BigInt(s.reserve_near)).toBeGreaterThanOrEqual(own / 2n);
    const idle = (await f.owner.call(f.metapool, 'ping', {}, { gas: 300n * 10n ** 12n })) as {
      action: string;
      amount: string;
      detail: string;
    };
    expect(idle.action).toBe('idle');
    expect(BigInt(idle.amount)).toBe(BigInt(s.reserve_near));
    expect(idle.detail).toMatch(/reserve not placed/);
    // unstakes shrink our stake: the pool is trimmed back to the cap once, not drained
    await epochs(f, 1);
    await audit.unstake(f.users.alice, 600n * NEAR);
    await pingUntilIdle(f);
    const after = await audit.check(true);
    const total = BigInt(after.total_staked_near);
    expect(BigInt(after.validators[0].staked) * 2n).toBeLessThanOrEqual(total + 2n);
    expect(BigInt(after.validators[0].staked) * 2n).toBeGreaterThan(total - NEAR);
  });

  it('never raises a validator above maxNetworkShareBps of the network stake', async () => {
    const f = await setup({ pools: 3, users: ['alice'], init: { max_network_share_bps: 100 } });
    const audit = new Auditor(f);
    await audit.stake(f.users.alice, 5_000n * NEAR);
    await pingUntilIdle(f);
    await audit.check(true);
    const s = await contractState(f);
    let networkTotal = 0n;
    for (const stake of f.net.validators().values()) networkTotal += stake;
    // our delegation never exceeds 1% of the network's stake (less the validator's own)
    for (const pool of f.pools) {
      const ours = await poolAccount(pool, f.metapool.accountId);
      expect(ours.staked + ours.unstaked).toBeLessThanOrEqual(networkTotal / 100n);
      expect(ours.staked).toBeGreaterThan(0n);
    }
    expect(BigInt(s.reserve_near)).toBeGreaterThan(3_000n * NEAR);
  });
});

describe('network-share cap (cap 2) after the network moves', () => {
  it('trims a validator pushed above maxNetworkShareBps, timer-free only, within the bound', async () => {
    // cap 2 = 20%; pool0 has twice the weight of the others
    const f = await setup({
      pools: 3,
      weights: [2, 1, 1],
      users: ['alice'],
      init: { max_network_share_bps: 2_000 },
    });
    const watch = new TimerWatch(f);
    const unstakes: { epoch: number; pool: string; amount: bigint }[] = [];
    f.afterPing = async (step) => {
      await watch.observe(step);
      if (step.action === 'unstake' && step.ok !== false && step.pool)
        unstakes.push({
          epoch: f.net.epochHeight(),
          pool: step.pool,
          amount: BigInt(step.amount!),
        });
    };
    const audit = new Auditor(f);
    const { alice } = f.users;
    const pool0 = f.pools[0].accountId;
    await audit.stake(alice, 20_000n * NEAR);
    await pingUntilIdle(f);
    // our delegations become validator stake two epochs on
    await epochs(f, 3);
    let s = await audit.check(true);
    const v0 = () => s.validators.find((v) => v.account_id === pool0)!;
    expect(BigInt(v0().network_stake)).toBeGreaterThan(9_000n * NEAR);
    for (const v of s.validators) expect(v.over_cap).toBe(false);

    // a delayed unstake leaves pending unstaked funds on pool0 (its timer runs 4 epochs)
    await audit.unstake(alice, 1_000n * NEAR);
    await pingUntilIdle(f);
    s = await audit.check(true);
    expect(v0().timer_pending).toBe(true);
    const unstakeEpoch = f.net.epochHeight();

    // the network's other validator loses 60% of its stake: 20% of the network is now ~8,000 NEAR
    f.net.slash('test.near', { num: 3, den: 5 });
    s = await contractState(f);
    expect(v0().over_cap).toBe(true);
    expect(BigInt(v0().network_excess_near)).toBeGreaterThan(NEAR);
    // no trim while pool0's timer is pending: that would re-lock the user's NEAR (§6)
    const before = unstakes.length;
    await pingUntilIdle(f);
    expect(unstakes.length).toBe(before);
    s = await audit.check(true);
    expect(v0().over_cap).toBe(true);

    // the trim follows the withdrawal: no later than the epoch pool0's timer frees
    const trimBy = unstakeEpoch + 4;
    let excessSeen = 0n;
    while (f.net.epochHeight() < trimBy + 10) {
      s = await contractState(f);
      if (f.net.epochHeight() < trimBy) excessSeen = BigInt(v0().network_excess_near);
      await epochs(f, 1);
      await audit.check(true);
    }
    const trims = unstakes.filter((u) => u.pool === pool0 && u.epoch > unstakeEpoch);

    expect(trims.length).toBe(1);
    expect(trims[0].epoch).toBeLessThanOrEqual(trimBy);
    // the excess reported the epoch before (rewards move it a little), in one step
    expect(excessSeen).toBeGreaterThan(1_000n * NEAR);
    expect(trims[0].amount * 100n).toBeGreaterThanOrEqual(excessSeen * 99n);
    expect(trims[0].amount * 100n).toBeLessThanOrEqual(excessSeen * 101n);
    // now within cap 2 on the network's own view; the NEAR went to the other pools
    s = await audit.check(true);
    expect(BigInt(v0().network_stake)).toBeLessThanOrEqual(BigInt(s.network_cap_near) + NEAR);
    expect(v0().over_cap).toBe(false);
    expect(BigInt(s.reserve_near)).toBeLessThan(NEAR);
    for (const v of s.validators) expect(BigInt(v.network_excess_near)).toBe(0n);
    expect(watch.violations).toEqual([]);
    expect(watch.unstakeCalls).toBeGreaterThanOrEqual(2);
  });
});

describe('injected staking-pool failures', () => {
  // Long epochs: a failing pool is retried once per epoch, so ping goes idle within one.
  async function start() {
    const f = await setup({ pools: 2, users: ['alice'], epochLength: 500 });
    const audit = new Auditor(f);
    return { f, audit, alice: f.users.alice };
  }
  const failAll = (f: Fixture, method: string | null) => {
    for (const p of f.pools) f.net.failMethod(p.accountId, method);
  };

  it('a failing deposit_and_stake keeps the NEAR in reserve, then stakes it', async () => {
    const { f, audit, alice } = await start();
    await audit.stake(alice, 1_000n * NEAR);
    failAll(f, 'deposit_and_stake');
    expect(await pingUntilIdle(f)).toEqual(['stake!', 'stake!']);
    expect((await contractState(f)).reserve_near).toBe((1_001n * NEAR).toString());
    await audit.check();
    failAll(f, null);
    await epochs(f, 1);
    const s = await audit.check(true);
    expect(BigInt(s.reserve_near)).toBeLessThan(NEAR);
  });

  it('a failing unstake is undone and retried; the user is paid one epoch later', async () => {
    const { f, audit, alice } = await start();
    await audit.stake(alice, 1_000n * NEAR);
    await epochs(f, 1);
    const unlock = (await audit.unstake(alice, 400n * NEAR))!;
    failAll(f, 'unstake');
    expect(await pingUntilIdle(f)).toEqual(['unstake!', 'unstake!']);
    const s = await audit.check();
    expect(s.pending_unstake_near).toBe((400n * NEAR).toString());
    for (const v of s.validators) expect(v.unstaked).toBe('0');
    failAll(f, null);
    await untilEpoch(f, unlock + 1);
    expect(await audit.withdrawAll(alice)).toBe(400n * NEAR);
    await audit.check(true);
  });

  it('a failing withdraw keeps the user waiting, then pays in full', async () => {
    const { f, audit, alice } = await start();
    await audit.stake(alice, 1_000n * NEAR);
    await epochs(f, 1);
    const unlock = (await audit.unstake(alice, 400n * NEAR))!;
    await pingUntilIdle(f);
    failAll(f, 'withdraw');
    await untilEpoch(f, unlock);
    expect(await audit.withdrawAll(alice)).toBeNull();
    expect(audit.failures.at(-1)).toMatch(/E_NOT_AVAILABLE/);
    await audit.check();
    failAll(f, null);
    await epochs(f, 1);
    expect(await audit.withdrawAll(alice)).toBe(400n * NEAR);
    await audit.check(true);
  });

  it('a failing pool ping skips that reward sync without touching balances', async () => {
    const { f, audit, alice } = await start();
    await audit.stake(alice, 1_000n * NEAR);
    await epochs(f, 1);
    const before = await audit.check(true);
    failAll(f, 'ping');
    await f.net.fastForwardEpochs(1);
    expect(await pingUntilIdle(f)).toEqual(['sync!', 'sync!']);
    const after = await audit.check(true);
    expect(after.rewards_near).toBe(before.rewards_near);
    failAll(f, null);
    await epochs(f, 1);
    expect(BigInt((await audit.check(true)).rewards_near)).toBeGreaterThan(
      BigInt(before.rewards_near),
    );
  });
});

describe('lockup accounts', () => {
  it('get non-transferable stake and exact amounts back', async () => {
    const f = await setup({
      pools: 2,
      users: ['lockup'],
      init: { lockup_suffixes: ['.lockup.test.near'] },
    });
    const lockup = await f.users.lockup.createSubAccount('vest', { initialBalance: 2_000n * NEAR });
    const audit = new Auditor(f);
    await audit.stake(lockup, 1_000n * NEAR);
    expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: lockup.accountId })).toBe(0n);
    const staked = await viewBig(f.metapool, 'get_account_staked_balance', {
      account_id: lockup.accountId,
    });
    expect(staked).toBeLessThanOrEqual(1_000n * NEAR);
    expect(staked).toBeGreaterThanOrEqual(1_000n * NEAR - 1n);
    const s = await contractState(f);
    expect(BigInt(s.lockup_shares)).toBeGreaterThan(0n);
    for (const [method, args, deposit] of [
      ['ft_transfer', { receiver_id: f.treasury.accountId, amount: '1' }, 1n],
      ['liquid_unstake', { snear_amount: '1', min_near_out: '0' }, 1n],
      ['add_liquidity', {}, NEAR],
    ] as const) {
      const out = await lockup.callRaw(f.metapool, method, args, {
        gas: USER_GAS,
        attachedDeposit: deposit,
      });
      expect(out.failureMessage).toMatch(/E_LOCKUP/);
    }
    await pingUntilIdle(f);
    await epochs(f, 2);
    const exact = 123_456_789_000_000_000_000_000n;
    const unlock = (await audit.unstake(lockup, exact))!;
    expect(
      await viewBig(f.metapool, 'get_account_unstaked_balance', { account_id: lockup.accountId }),
    ).toBe(exact);
    await untilEpoch(f, unlock);
    expect(
      await f.metapool.view('is_account_unstaked_balance_available', {
        account_id: lockup.accountId,
      }),
    ).toBe(true);
    const before = (await lockup.balance()).total;
    const out = await lockup.callRaw(
      f.metapool,
      'withdraw',
      { amount: exact.toString() },
      { gas: USER_GAS },
    );
    expect(out.status).toBe('success');
    audit.netUserNear -= exact;
    expect((await lockup.balance()).total - before + out.gasBurnt * 0n).toBeGreaterThan(
      exact - NEAR / 100n,
    );
    await audit.check(true);
  });
});
