// Governance (validator list and fees behind a timelock), the token standards, slashing, and
// bad input on the staking side: stable error codes, state unchanged, deposit refunded.
import type { Account } from '@snear/localnet';
import {
  Auditor,
  type ContractStateView,
  contractState,
  deployPool,
  epochs,
  type Fixture,
  failure,
  NEAR,
  PING_GAS,
  pingUntilIdle,
  poolAccount,
  realPeersSkipReason,
  setup,
  USER_GAS,
  viewBig,
} from './metapool-fixture';

jest.setTimeout(180_000);

describe('governance', () => {
  it('refuses a timelock shorter than the unbonding period + 2 epochs', async () => {
    for (const [init, floor] of [
      [{ timelock_epochs: 5 }, 6],
      [{ unbonding_epochs: 6, timelock_epochs: 7 }, 8],
    ] as const) {
      await expect(setup({ pools: 1, init })).rejects.toThrow(
        `E_BAD_ARGS: timelock_epochs ${init.timelock_epochs} is below the floor of unbonding_epochs + 2 = ${floor}`,
      );
    }
    const f = await setup({ pools: 1, init: { unbonding_epochs: 5 } });
    expect(await f.metapool.view('get_governance', {})).toMatchObject({
      timelock_epochs: 7,
      timelock_floor_epochs: 7,
    });
  });

  it('adds only whitelisted pools, applies list and fee changes after the timelock', async () => {
    const TIMELOCK = 6;
    const f = await setup({ pools: 2, users: ['alice'], extraPools: 1, epochLength: 500 });
    // the two basket pools were given at init (no users yet): applied at once
    let s = await contractState(f);
    expect(s.validators.map((v) => v.account_id)).toEqual([
      f.pools[0].accountId,
      f.pools[1].accountId,
    ]);
    const rogue = await deployPool(f.root, 'rogue', f.owner);
    const out = await f.owner.callRaw(
      f.metapool,
      'add_validator',
      { account_id: rogue.accountId, weight: 1 },
      { gas: PING_GAS },
    );
    expect(out.failureMessage).toMatch(/E_NOT_WHITELISTED/);
    await f.owner.call(
      f.metapool,
      'add_validator',
      { account_id: f.pools[2].accountId, weight: 2 },
      { gas: PING_GAS },
    );
    const fee = await f.owner.call(
      f.metapool,
      'propose_fee_params',
      { min_fee_bps: 10, max_fee_bps: 500, target_liquidity: (2_000n * NEAR).toString() },
      { gas: USER_GAS },
    );
    expect(fee).toMatchObject({
      kind: 'fee_params',
      apply_epoch: f.net.epochHeight() + TIMELOCK,
      args: { min_fee_bps: 10, max_fee_bps: 500 },
    });
    for (const bad of [
      { max_fee_bps: 1_001 },
      { min_fee_bps: 600, max_fee_bps: 500 },
      { treasury_cut_bps: 5_001 },
      { target_liquidity: '0' },
    ]) {
      const r = await f.owner.callRaw(f.metapool, 'propose_fee_params', bad, { gas: USER_GAS });
      expect(r.failureMessage).toMatch(/E_(INVALID_CURVE|BAD_PARAMS|ZERO_AMOUNT)/);
    }
    const pending = (await f.metapool.view('get_pending_changes', {})) as { eta_epoch: number }[];
    expect(pending).toHaveLength(2);
    const eta = Math.max(...pending.map((c) => c.eta_epoch));
    while (f.net.epochHeight() < eta - 1) await epochs(f, 1);
    await pingUntilIdle(f);
    s = await contractState(f);
    expect(s.validators.length).toBe(2);
    expect(s.max_fee_bps).toBe(300);
    await epochs(f, 1);
    s = await contractState(f);
    expect(s.validators.map((v) => [v.account_id, v.weight])).toEqual([
      [f.pools[0].accountId, 1],
      [f.pools[1].accountId, 1],
      [f.pools[2].accountId, 2],
    ]);
    expect([s.min_fee_bps, s.max_fee_bps, s.target_liquidity]).toEqual([
      10,
      500,
      (2_000n * NEAR).toString(),
    ]);
    // removal drains the pool, then drops it
    const audit = new Auditor(f);
    await audit.stake(f.users.alice, 1_000n * NEAR);
    await pingUntilIdle(f);
    await f.owner.call(
      f.metapool,
      'remove_validator',
      { account_id: f.pools[2].accountId },
      { gas: USER_GAS },
    );
    await epochs(f, TIMELOCK);
    s = await contractState(f);
    expect(s.validators.find((v) => v.account_id === f.pools[2].accountId)!.weight).toBe(0);
    await epochs(f, 6);
    s = await audit.check(true);
    expect(s.validators.map((v) => v.account_id)).toEqual([
      f.pools[0].accountId,
      f.pools[1].accountId,
    ]);
  });

  it('refuses admin calls from anyone but the owner or governance', async () => {
    const f = await setup({ pools: 1, users: ['mallory'] });
    const m = f.users.mallory;
    for (const [method, args] of [
      ['add_validator', { account_id: f.pools[0].accountId, weight: 1 }],
      ['set_validator_weight', { account_id: f.pools[0].accountId, weight: 5 }],
      ['remove_validator', { account_id: f.pools[0].accountId }],
      ['propose_fee_params', { max_fee_bps: 100 }],
      ['cancel_change', { id: 0 }],
    ] as const) {
      const out = await m.callRaw(f.metapool, method, args, { gas: USER_GAS });
      expect(out.failureMessage).toMatch(/E_UNAUTHORIZED/);
    }
  });
});

describe('guardian, pause and handover', () => {
  const TIMELOCK = 6;

  /** Fast-forwards to `epoch` and applies what is due; returns apply_changes' result. */
  async function applyAt(f: Fixture, epoch: number) {
    if (f.net.epochHeight() < epoch) await f.net.fastForwardEpochs(epoch - f.net.epochHeight());
    return (await f.treasury.call(f.metapool, 'apply_changes', {}, { gas: PING_GAS })) as {
      applied: number;
      rejected: { id: number; error: string }[];
    };
  }

  const queued = async (f: Fixture) =>
    (
      (await f.metapool.view('get_governance', {})) as {
        queued: { id: number; kind: string; apply_epoch: number }[];
      }
    ).queued;

  it('the guardian is set through the timelock, cancels a queued change and pauses deposits only; exits stay open', async () => {
    const f = await setup({ pools: 1, users: ['alice', 'guard'] });
    const { alice, guard } = f.users;
    await alice.call(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 100n * NEAR, gas: USER_GAS },
    );
    await alice.call(
      f.metapool,
      'add_liquidity',
      {},
      { attachedDeposit: 100n * NEAR, gas: USER_GAS },
    );
    // not a guardian yet: the set_guardian change waits out the timelock
    const set = (await f.owner.call(
      f.metapool,
      'set_guardian',
      { guardian_id: guard.accountId },
      { gas: USER_GAS },
    )) as { apply_epoch: number };
    expect(set.apply_epoch).toBe(f.net.epochHeight() + TIMELOCK);
    expect(await failure(guard, f.metapool, 'pause_deposits', {})).toMatch(/: E_UNAUTHORIZED/);
    await applyAt(f, set.apply_epoch - 1);
    expect(await failure(guard, f.metapool, 'pause_deposits', {})).toMatch(/: E_UNAUTHORIZED/);
    expect((await applyAt(f, set.apply_epoch)).applied).toBe(1);
    expect(await f.metapool.view('get_governance', {})).toMatchObject({
      guardian_id: guard.accountId,
    });
    // a hostile change: the guardian cancels it; it never applies
    const hostile = (await f.owner.call(
      f.metapool,
      'propose_fee_params',
      { reward_fee_bps: 2_000 },
      { gas: USER_GAS },
    )) as { id: number; apply_epoch: number };
    await guard.call(f.metapool, 'cancel_change', { id: hostile.id }, { gas: USER_GAS });
    expect(await queued(f)).toEqual([]);
    await applyAt(f, hostile.apply_epoch);
    expect((await contractState(f)).params.reward_fee_bps).toBe(1_000);
    // it cannot block its own replacement: a set_guardian change is governance's to cancel
    const replace = (await f.owner.call(
      f.metapool,
      'set_guardian',
      { guardian_id: alice.accountId },
      { gas: USER_GAS },
    )) as { id: number };
    expect(await failure(guard, f.metapool, 'cancel_change', { id: replace.id })).toMatch(
      /: E_UNAUTHORIZED: the guardian cannot cancel change \d+, a new guardian/,
    );
    await f.owner.call(f.metapool, 'cancel_change', { id: replace.id }, { gas: USER_GAS });
    // ...and nothing else: no proposals, no apply of its own choosing
    for (const [method, args] of [
      ['set_validator_weight', { account_id: f.pools[0].accountId, weight: 5 }],
      ['propose_fee_params', { reward_fee_bps: 0 }],
      ['set_guardian', { guardian_id: alice.accountId }],
      ['hand_over_to_governance', {}],
    ] as const) {
      expect(await failure(guard, f.metapool, method, args)).toMatch(/: E_UNAUTHORIZED/);
    }
    // the pause stops new deposits only
    await guard.call(f.metapool, 'pause_deposits', {}, { gas: USER_GAS });
    expect(await f.metapool.view('get_governance', {})).toMatchObject({ deposits_paused: true });
    for (const method of ['deposit_and_stake', 'deposit', 'add_liquidity']) {
      const out = await alice.callRaw(
        f.metapool,
        method,
        {},
        { attachedDeposit: NEAR, gas: USER_GAS },
      );
      expect(out.failureMessage).toMatch(/: E_PAUSED: new deposits are paused/);
    }
    await alice.call(
      f.metapool,
      'liquid_unstake',
      { snear_amount: (5n * NEAR).toString(), min_near_out: '0' },
      { attachedDeposit: 1n, gas: USER_GAS },
    );
    const lp = (await f.metapool.view('get_lp_account', { account_id: alice.accountId })) as {
      shares: string;
    };
    await alice.call(
      f.metapool,
      'remove_liquidity',
      { shares: (BigInt(lp.shares) / 2n).toString() },
      { gas: USER_GAS },
    );
    await alice.call(f.metapool, 'unstake', { amount: (10n * NEAR).toString() }, { gas: USER_GAS });
    await epochs(f, 6);
    await alice.call(f.metapool, 'withdraw_all', {}, { gas: USER_GAS });
    await guard.call(f.metapool, 'resume_deposits', {}, { gas: USER_GAS });
    await alice.call(f.metapool, 'deposit_and_stake', {}, { attachedDeposit: NEAR, gas: USER_GAS });
  });

  it('apply re-checks: a pool taken off the whitelist during the timelock is dropped with E_NOT_WHITELISTED; the rest applies', async () => {
    const f = await setup({ pools: 1, extraPools: 2 });
    const [, a, b] = f.pools;
    for (const pool of [a, b])
      await f.owner.call(
        f.metapool,
        'add_validator',
        { account_id: pool.accountId, weight: 1 },
        { gas: PING_GAS },
      );
    await f.owner.call(
      f.metapool,
      'set_validator_weight',
      { account_id: f.pools[0].accountId, weight: 4 },
      { gas: USER_GAS },
    );
    // the foundation takes pool a off the whitelist before the change is due
    await f.owner.call(
      f.whitelist,
      'remove_staking_pool',
      { staking_pool_account_id: a.accountId },
      { gas: PING_GAS },
    );
    const ids = (await queued(f)).map((c) => c.id);
    const res = await applyAt(f, f.net.epochHeight() + TIMELOCK);
    expect(res.applied).toBe(2);
    expect(res.rejected).toEqual([
      {
        id: ids[0],
        error: `E_NOT_WHITELISTED: ${a.accountId} is not on the lockup whitelist ${f.whitelist.accountId} at apply time; the change is dropped`,
      },
    ]);
    expect(await queued(f)).toEqual([]);
    expect((await contractState(f)).validators.map((v) => [v.account_id, v.weight])).toEqual([
      [f.pools[0].accountId, 4],
      [b.accountId, 1],
    ]);
  });

  it('fees beyond the hard caps never queue, and a change never applies twice', async () => {
    const f = await setup({ pools: 1 });
    for (const bad of [{ reward_fee_bps: 2_001 }, { treasury_cut_bps: 5_001 }]) {
      expect(await failure(f.owner, f.metapool, 'propose_fee_params', bad)).toMatch(
        /: E_BAD_PARAMS: .* exceeds the cap of/,
      );
    }
    const ok = (await f.owner.call(
      f.metapool,
      'propose_fee_params',
      { reward_fee_bps: 2_000 },
      { gas: USER_GAS },
    )) as { apply_epoch: number };
    expect((await applyAt(f, ok.apply_epoch)).applied).toBe(1);
    expect((await applyAt(f, ok.apply_epoch + 1)).applied).toBe(0);
    expect((await contractState(f)).params.reward_fee_bps).toBe(2_000);
  });

  it('handover: one queued change, then the owner can do nothing and cannot take it back', async () => {
    const f = await setup({ pools: 1, users: ['dao', 'guard'] });
    const { dao, guard } = f.users;
    expect(await failure(f.owner, f.metapool, 'hand_over_to_governance', {})).toMatch(
      /: E_BAD_ARGS: the governance account is the owner itself/,
    );
    const g = (await f.owner.call(
      f.metapool,
      'set_governance',
      { governance_id: dao.accountId },
      { gas: USER_GAS },
    )) as { apply_epoch: number };
    await f.owner.call(
      f.metapool,
      'set_guardian',
      { guardian_id: guard.accountId },
      { gas: USER_GAS },
    );
    await applyAt(f, g.apply_epoch);
    expect(await failure(dao, f.metapool, 'hand_over_to_governance', {})).toMatch(
      /: E_UNAUTHORIZED/,
    );
    const h = (await f.owner.call(
      f.metapool,
      'hand_over_to_governance',
      {},
      { gas: USER_GAS },
    )) as {
      kind: string;
      args: unknown;
      apply_epoch: number;
    };
    expect(h).toMatchObject({ kind: 'handover', args: { governance_id: dao.accountId } });
    // until it applies the owner still governs (and could cancel it)
    expect(await f.metapool.view('get_governance', {})).toMatchObject({
      handed_over: false,
      governed_by: [f.owner.accountId, dao.accountId],
    });
    await applyAt(f, h.apply_epoch);
    expect(await f.metapool.view('get_governance', {})).toMatchObject({
      handed_over: true,
      governed_by: [dao.accountId],
      governance_id: dao.accountId,
    });
    const dead = (await dao.call(
      f.metapool,
      'set_validator_weight',
      { account_id: f.pools[0].accountId, weight: 2 },
      { gas: USER_GAS },
    )) as { id: number };
    for (const [method, args] of [
      ['add_validator', { account_id: f.pools[0].accountId, weight: 1 }],
      ['set_validator_weight', { account_id: f.pools[0].accountId, weight: 5 }],
      ['remove_validator', { account_id: f.pools[0].accountId }],
      ['propose_fee_params', { max_fee_bps: 100 }],
      ['propose_lockup_suffixes', { lockup_suffixes: ['.lockup.near'] }],
      ['lower_gov_emission', { scale_bps: 1 }],
      ['set_gov_split', { stakers_bps: 5_000 }],
      ['set_gov_token', { gov_token_id: f.owner.accountId }],
      ['set_guardian', { guardian_id: f.owner.accountId }],
      ['set_governance', { governance_id: f.owner.accountId }],
      ['cancel_change', { id: dead.id }],
      ['pause_deposits', {}],
      ['resume_deposits', {}],
    ] as const) {
      expect(await failure(f.owner, f.metapool, method, args)).toMatch(/: E_UNAUTHORIZED/);
    }
    expect(await failure(f.owner, f.metapool, 'hand_over_to_governance', {})).toMatch(
      /: E_HANDED_OVER/,
    );
    // nor can governance hand it back to the owner
    expect(
      await failure(dao, f.metapool, 'set_governance', { governance_id: f.owner.accountId }),
    ).toMatch(/: E_HANDED_OVER/);
    expect(await queued(f)).toHaveLength(1);
  });
});

describe('token standards', () => {
  it('NEP-141/145/148: metadata, storage, transfer events, ft_transfer_call refund', async () => {
    const f = await setup({ pools: 1, users: ['alice', 'bob'] });
    const { alice, bob } = f.users;
    expect(await f.metapool.view('ft_metadata', {})).toMatchObject({
      spec: 'ft-1.0.0',
      symbol: 'sNEAR',
      decimals: 24,
    });
    const bounds = (await f.metapool.view('storage_balance_bounds', {})) as { min: string };
    expect(await f.metapool.view('storage_balance_of', { account_id: bob.accountId })).toBeNull();
    await bob.call(
      f.metapool,
      'storage_deposit',
      {},
      { attachedDeposit: BigInt(bounds.min), gas: USER_GAS },
    );
    expect(await f.metapool.view('storage_balance_of', { account_id: bob.accountId })).toEqual({
      total: bounds.min,
      available: '0',
    });
    await alice.call(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 100n * NEAR, gas: USER_GAS },
    );
    const out = await alice.callRaw(
      f.metapool,
      'ft_transfer',
      { receiver_id: bob.accountId, amount: '5', memo: 'hi' },
      { gas: USER_GAS, attachedDeposit: 1n },
    );
    expect(out.logs).toContain(
      `EVENT_JSON:{"standard":"nep141","version":"1.0.0","event":"ft_transfer","data":[{"old_owner_id":"${alice.accountId}","new_owner_id":"${bob.accountId}","amount":"5","memo":"hi"}]}`,
    );
    // ft_transfer_call to an account without ft_on_transfer: everything comes back
    const before = await viewBig(f.metapool, 'ft_balance_of', { account_id: alice.accountId });
    const call = await alice.callRaw(
      f.metapool,
      'ft_transfer_call',
      { receiver_id: bob.accountId, amount: '1000', msg: 'x' },
      { gas: 100n * 10n ** 12n, attachedDeposit: 1n },
    );
    expect(call.value).toBe('0');
    expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: alice.accountId })).toBe(
      before,
    );
    expect(await f.metapool.view('ft_total_supply', {})).toBe(
      (await contractState(f)).ft_total_supply,
    );
    // unregister only when empty
    const un = await alice.callRaw(
      f.metapool,
      'storage_unregister',
      {},
      { gas: USER_GAS, attachedDeposit: 1n },
    );
    expect(un.failureMessage).toMatch(/E_STORAGE/);
    await bob.call(
      f.metapool,
      'ft_transfer',
      { receiver_id: alice.accountId, amount: '5' },
      { gas: USER_GAS, attachedDeposit: 1n },
    );
    expect(
      await bob.call(f.metapool, 'storage_unregister', {}, { gas: USER_GAS, attachedDeposit: 1n }),
    ).toBe(true);
  });
});

describe('slashing', () => {
  const realSkip = realPeersSkipReason();
  (realSkip ? it.skip : it)(
    `NEAR's real pool refuses every call after a slash: no loss booked, the metapool routes around it and resumes when rewards refill it${realSkip ? ` (skipped: ${realSkip})` : ''}`,
    async () => {
      const f = await setup({ pools: 2, users: ['alice'], peers: 'real' });
      const audit = new Auditor(f);
      const { alice } = f.users;
      const [pool0, pool1] = f.pools;
      const v = (s: ContractStateView, pool: Account) =>
        s.validators.find((x) => x.account_id === pool.accountId)!;
      await audit.stake(alice, 1_000n * NEAR);
      await epochs(f, 1);
      const before = await audit.check(true);
      const held = await poolAccount(pool0, f.metapool.accountId);
      f.net.slash(pool0.accountId, { num: 1n, den: 10n });
      f.net.setRewardRate(pool0.accountId, { num: 0n, den: 1n });
      await f.net.fastForwardEpochs(1);
      // core-contracts' internal_ping asserts that the pool's balance never falls: from the next
      // epoch on every state-changing call panics, while its views report the pre-slash books
      expect(await failure(f.owner, pool0, 'ping', {}, { gas: PING_GAS })).toMatch(
        /The new total balance should not be less than the old total balance/,
      );
      expect(await poolAccount(pool0, f.metapool.accountId)).toEqual(held);
      expect(await pingUntilIdle(f)).toContain('sync!');
      let s = await audit.check(true);
      // the pool's books show no loss, so ours do not either (audit: the share price never fell)
      expect(s.losses_near).toBe('0');
      expect(BigInt(s.total_staked_near)).toBeGreaterThanOrEqual(BigInt(before.total_staked_near));
      expect(v(s, pool0).failed_epoch).toBe(s.epoch_height);
      expect(BigInt(v(s, pool0).staked)).toBe(held.staked);

      // a delayed unstake is served by the pool that works, and pays at the predicted epoch
      const unlock = (await audit.unstake(alice, 300n * NEAR))!;
      await pingUntilIdle(f);
      s = await audit.check(true);
      // (nothing unstaked at the slashed pool but a delegation's rounding yocto)
      expect(BigInt(v(s, pool0).unstaked)).toBeLessThan(1_000_000n);
      expect(BigInt(v(s, pool1).unstaked) + BigInt(s.retrieved_near)).toBeGreaterThanOrEqual(
        300n * NEAR,
      );
      // a deposit the next epoch goes to the working pool too (the slashed one fails its sync again)
      await f.net.fastForwardEpochs(1);
      await audit.stake(alice, 200n * NEAR);
      expect(await pingUntilIdle(f)).toEqual(expect.arrayContaining(['sync!', 'stake']));
      s = await audit.check(true);
      expect(BigInt(v(s, pool0).staked)).toBe(held.staked);
      expect(s.losses_near).toBe('0');

      // rewards refill the pool's balance: its ping works again and we book what it reports
      f.net.setRewardRate(pool0.accountId, { num: 5n, den: 100n });
      let resumed = false;
      for (let i = 0; i < 6 && !resumed; i++) {
        await f.net.fastForwardEpochs(1);
        const steps = await pingUntilIdle(f);
        s = await audit.check(true);
        resumed = !steps.includes('sync!') && v(s, pool0).failed_epoch < s.epoch_height;
      }
      expect(resumed).toBe(true);
      expect(s.losses_near).toBe('0');
      expect(BigInt(v(s, pool0).staked)).toBeGreaterThan(held.staked);
      while (f.net.epochHeight() < unlock) await epochs(f, 1);
      expect(await audit.withdrawAll(alice)).toBe(300n * NEAR);
      await audit.check(true);
    },
  );

  // NEAR's pool never reports a loss (above), so the metapool's loss booking is driven by our
  // stand-in, which spreads a slash over its delegators (a pool that reports a lower balance).
  it('a pool that reports a loss (our stand-in) lowers the share price once, reported as a loss', async () => {
    const f = await setup({ pools: 2, users: ['alice'], peers: 'stand-in' });
    const audit = new Auditor(f);
    await audit.stake(f.users.alice, 1_000n * NEAR);
    await epochs(f, 1);
    const before = await audit.check(true);
    f.net.slash(f.pools[0].accountId, { num: 1n, den: 10n });
    audit.slashed = true;
    f.net.setRewardRate(f.pools[0].accountId, { num: 0n, den: 1n });
    f.net.setRewardRate(f.pools[1].accountId, { num: 0n, den: 1n });
    await epochs(f, 1);
    const after = await audit.check(true);
    expect(BigInt(after.losses_near)).toBeGreaterThan(40n * NEAR);
    const p0 = BigInt(before.total_staked_near) * BigInt(after.total_snear);
    const p1 = BigInt(after.total_staked_near) * BigInt(before.total_snear);
    expect(p1).toBeLessThan(p0);
  });
});

describe('bad input on the staking side', () => {
  it('clear error with a stable code, state unchanged, deposit refunded', async () => {
    const f = await setup({ pools: 1, users: ['alice'] });
    const { alice } = f.users;
    const audit = new Auditor(f);
    await audit.stake(alice, 10n * NEAR);
    const cases: [string, unknown, bigint, RegExp][] = [
      ['deposit_and_stake', {}, 0n, /E_ZERO_AMOUNT/],
      ['deposit', {}, 0n, /E_ZERO_AMOUNT/],
      ['unstake', { amount: '0' }, 0n, /E_ZERO_AMOUNT/],
      ['unstake', { amount: '-1' }, 0n, /E_BAD_ARGS/],
      ['unstake', { amount: 1e24 }, 0n, /E_BAD_ARGS/],
      ['unstake', { amount: '12abc' }, 0n, /E_BAD_ARGS/],
      ['unstake', { amount: (1n << 129n).toString() }, 0n, /E_BAD_ARGS|E_BAD_AMOUNT/],
      ['unstake', { amount: (100n * NEAR).toString() }, 0n, /E_INSUFFICIENT_BALANCE/],
      ['unstake', { amount: NEAR.toString() }, 5n * NEAR, /E_DEPOSIT/],
      ['withdraw', { amount: NEAR.toString() }, 0n, /E_NOT_AVAILABLE/],
      ['withdraw_all', {}, 0n, /E_NOT_AVAILABLE/],
      ['stake', { amount: NEAR.toString() }, 0n, /E_INSUFFICIENT_BALANCE/],
      ['stake', {}, 0n, /E_BAD_ARGS/],
      ['ping', {}, NEAR, /E_DEPOSIT/],
      ['get_account_info', [], 0n, /E_BAD_ARGS/],
    ];
    for (const [method, args, deposit, code] of cases) {
      const before = (await alice.balance()).total;
      const out = await alice.callRaw(f.metapool, method, args, {
        gas: USER_GAS,
        attachedDeposit: deposit,
      });
      expect([method, out.failureMessage]).toEqual([method, expect.stringMatching(code)]);
      expect(before - (await alice.balance()).total).toBeLessThan(NEAR / 100n);
    }
    // a stranger's first deposit below the minimum, and views of unknown accounts
    const tiny = await f.root.createSubAccount('tiny', { initialBalance: NEAR });
    const out = await tiny.callRaw(
      f.metapool,
      'deposit_and_stake',
      {},
      { gas: USER_GAS, attachedDeposit: 1_000n },
    );
    expect(out.failureMessage).toMatch(/E_DEPOSIT: a first deposit must be at least/);
    expect(await f.metapool.view('get_account_total_balance', { account_id: tiny.accountId })).toBe(
      '0',
    );
    await expect(
      f.metapool.view('get_account_total_balance', { account_id: 'Not Valid' }),
    ).rejects.toThrow(/E_BAD_ARGS/);
    await audit.check();
  });
});

describe('storage', () => {
  it('never pays new records out of user funds: E_STORAGE until the account registers', async () => {
    const f = await setup({ pools: 1, users: ['alice', 'bob'] });
    const s = await contractState(f);
    const bal = await f.metapool.balance();
    const held =
      BigInt(s.reserve_near) +
      BigInt(s.retrieved_near) +
      BigInt(s.liquidity) +
      BigInt((s as unknown as Record<string, string>).rounding_fund_near);
    // fill the contract's free balance with storage, leaving room for less than one record
    let freeBytes = (bal.total - bal.stateStaked - held) / 10n ** 19n - 60n;
    for (let i = 0; freeBytes > 0n; i++) {
      const chunk = freeBytes > 1_000_000n ? 1_000_000n : freeBytes;
      const overhead = BigInt(`junk${i}`.length) + 40n + 2n;
      if (chunk <= overhead) break;
      await f.metapool.patchState(`junk${i}`, 'x'.repeat(Number(chunk - overhead)));
      freeBytes -= chunk;
    }
    const out = await f.users.alice.callRaw(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 10n * NEAR, gas: USER_GAS },
    );
    expect(out.failureMessage).toMatch(/E_STORAGE: .*storage_deposit/);
    // a registered account brought its own storage
    await f.users.bob.call(
      f.metapool,
      'storage_deposit',
      {},
      { attachedDeposit: NEAR / 100n, gas: USER_GAS },
    );
    const ok = await f.users.bob.callRaw(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 10n * NEAR, gas: USER_GAS },
    );
    expect(ok.status).toBe('success');
  });
});
