// Exit guarantees (PROTOCOL §6, §8, §11.5) under staking-pool faults and awkward timing: NEAR a
// user unstaked always comes back, when it was promised or within a stated bound once the fault is
// gone, and every number the contract shows about it adds up. Each `it` is one behaviour users
// depend on; all run against NEAR's real staking pool on localnet's wasm engine when it can run here.
import type { Account } from '@snear/localnet';
import {
  Auditor,
  type ContractStateView,
  contractState,
  epochs,
  type Fixture,
  lpUnstakeSchedule,
  NEAR,
  PING_GAS,
  type PingStep,
  POOL_DUST_NEAR,
  pingUntilIdle,
  RelockWatch,
  readPoolDelegator,
  realPeersSkipReason,
  setup,
  USER_GAS,
  viewBig,
} from './metapool-fixture';
import { testContractPath } from './support/test-contracts';

jest.setTimeout(600_000);

/** Epochs NEAR's staking pool keeps an unstake locked (NUM_EPOCHS_TO_UNLOCK). */
const UNBONDING_EPOCHS = 4;
/**
 * Epochs after its unlock epoch that NEAR still unstaked at a pool (its `withdraw` failing) counts
 * as coming back; after that the need is unstaked from other pools.
 */
const STUCK_GRACE_EPOCHS = 2;
/**
 * Latest epoch, counted from the unlock epoch of NEAR stuck at a pool, at which its owner is paid
 * from other pools: the grace, the epoch in which ping unstakes elsewhere, the unbonding there.
 */
const STUCK_EXIT_EPOCHS = STUCK_GRACE_EPOCHS + 1 + UNBONDING_EPOCHS;
/** Buckets an account record holds at most (types.MAX_BUCKETS). */
const MAX_BUCKETS = 12;

interface Schedule {
  buckets: { unlock_epoch: number; amount: string }[];
  withdrawable_now: string;
}

const schedule = (f: Fixture, who: Account) =>
  f.metapool.view('get_account_unstake_schedule', {
    account_id: who.accountId,
  }) as Promise<Schedule>;

const owedTo = async (f: Fixture, who: Account) =>
  (await schedule(f, who)).buckets.reduce((s, b) => s + BigInt(b.amount), 0n);

/** withdraw_all through the auditor: the NEAR paid, or the failure message (shows in a diff). */
async function withdrawAll(audit: Auditor, who: Account): Promise<bigint | string> {
  const got = await audit.withdrawAll(who);
  return got ?? audit.failures[audit.failures.length - 1];
}

/** The staking pool holding more than rounding dust of our unstaked NEAR (exactly one expected). */
function poolWithUnstaked(s: ContractStateView): string {
  const holding = s.validators.filter((v) => BigInt(v.unstaked) > POOL_DUST_NEAR);
  expect(holding).toHaveLength(1);
  return holding[0].account_id;
}

it('a pool whose ping keeps failing still pays back what was unstaked there, and NEAR stuck past its unlock is unstaked from other pools within STUCK_EXIT_EPOCHS', async () => {
  const f = await setup({ pools: 2, users: ['alice', 'bob', 'carol'] });
  const audit = new Auditor(f);
  const { alice, bob, carol } = f.users;
  for (const u of [alice, bob, carol]) expect(await audit.stake(u, 1_000n * NEAR)).not.toBeNull();
  await pingUntilIdle(f);

  // 1. alice's unstake goes to one pool; from then on that pool's `ping` fails, its `withdraw` works
  const aliceUnlock = await audit.unstake(alice, 100n * NEAR);
  expect(aliceUnlock).toBe(f.net.epochHeight() + UNBONDING_EPOCHS);
  await pingUntilIdle(f);
  const pinglessPool = poolWithUnstaked(await contractState(f));
  f.net.failMethod(pinglessPool, 'ping');
  while (f.net.epochHeight() < aliceUnlock!) {
    await epochs(f, 1);
    await audit.check();
  }
  // the reward sync there failed this epoch as in every other; the withdraw step must not care
  expect(await withdrawAll(audit, alice)).toBe(100n * NEAR);
  await audit.check();

  // 2. bob's unstake goes to a pool whose `withdraw` then fails for good: once it is stuck past its
  // unlock for STUCK_GRACE_EPOCHS, the NEAR stops counting as coverage and comes from the other pool
  const bobUnlock = (await audit.unstake(bob, 200n * NEAR))!;
  expect(bobUnlock).not.toBeNull();
  await pingUntilIdle(f);
  const stuckPool = poolWithUnstaked(await contractState(f));
  f.net.failMethod(stuckPool, 'withdraw');
  let paidAt = -1;
  while (f.net.epochHeight() <= bobUnlock + STUCK_EXIT_EPOCHS) {
    await epochs(f, 1);
    await audit.check();
    const got = await audit.withdrawAll(bob);
    if (got !== null) {
      expect(got).toBe(200n * NEAR);
      paidAt = f.net.epochHeight();
      break;
    }
    // never more than what matured, and it did not
    expect(audit.failures[audit.failures.length - 1]).toMatch(/E_NOT_AVAILABLE/);
  }
  expect(paidAt).toBeGreaterThanOrEqual(bobUnlock);
  expect(paidAt).toBeLessThanOrEqual(bobUnlock + STUCK_EXIT_EPOCHS);
  // the stuck NEAR was still there all along: it is ours, still on the books
  const stuck = readPoolDelegator(f.net, stuckPool, f.metapool.accountId);
  if (f.peers === 'real') expect(stuck!.unstaked).toBeGreaterThanOrEqual(200n * NEAR);

  // 3. the pool's methods work again: the stuck NEAR comes home and carol can leave on time too
  f.net.failMethod(stuckPool, null);
  f.net.failMethod(pinglessPool, null);
  const carolUnlock = (await audit.unstakeAll(carol))!;
  expect(carolUnlock).not.toBeNull();
  const carolOwed = await owedTo(f, carol);
  expect(carolOwed).toBeGreaterThan(0n);
  while (f.net.epochHeight() < carolUnlock) await epochs(f, 1);
  expect(await withdrawAll(audit, carol)).toBe(carolOwed);
  await epochs(f, 1);
  const s = await audit.check(true);
  for (const v of s.validators) expect(BigInt(v.unstaked)).toBeLessThanOrEqual(POOL_DUST_NEAR);
});

it('an account never runs out of unstake buckets: with withdraws failing for 12+ epochs the pool self-unstakes and users unstake every epoch, and owed NEAR stays exactly the sum of the buckets', async () => {
  const f = await setup({ pools: 2, users: ['lp', 'alice', 'bob'] });
  const audit = new Auditor(f);
  const { lp, alice, bob } = f.users;
  expect(await audit.addLiquidity(lp, 3_000n * NEAR)).not.toBeNull();
  expect(await audit.stake(alice, 20_000n * NEAR)).not.toBeNull();
  expect(await audit.stake(bob, 1_000n * NEAR)).not.toBeNull();
  await pingUntilIdle(f);
  for (const p of f.pools) f.net.failMethod(p.accountId, 'withdraw');

  const lpUnlocks = new Set<number>();
  const bobUnlocks = new Set<number>();
  let bobUnstaked = 0n;
  const bobRefused: string[] = [];
  /** lp_unstaking_near is the pool's own buckets, and owed_near every bucket (Auditor). */
  const checkPoolBuckets = async () => {
    const s = await audit.check();
    const sum = (await lpUnstakeSchedule(f, s)).reduce((t, b) => t + BigInt(b.amount), 0n);
    expect(sum).toBe(BigInt(s.lp_unstaking_near));
    return s;
  };
  for (let round = 0; round < 40; round++) {
    if (lpUnlocks.size > MAX_BUCKETS && bobUnlocks.size > MAX_BUCKETS) break;
    if (bobRefused.length > 2) break; // (it will not get better)
    // instant exits drain the liquidity: the pool delayed-unstakes its sNEAR every epoch
    const sn = await viewBig(f.metapool, 'ft_balance_of', { account_id: alice.accountId });
    expect(await audit.liquidUnstake(alice, sn / 100n)).not.toBeNull();
    const steps = await pingUntilIdle(f);
    const s = await checkPoolBuckets();
    if (steps.includes('pool_self_unstake'))
      for (const b of await lpUnstakeSchedule(f, s)) lpUnlocks.add(b.unlock_epoch);
    // a user unstakes every epoch too, while none of it can be withdrawn
    const unlock = await audit.unstake(bob, NEAR);
    if (unlock === null) {
      bobRefused.push(`round ${round}: ${audit.failures[audit.failures.length - 1]}`);
    } else {
      bobUnlocks.add(unlock);
      bobUnstaked += NEAR;
    }
    await pingUntilIdle(f);
    await checkPoolBuckets();
    await f.net.fastForwardEpochs(1);
  }
  // matured buckets never count toward the limit: the unstake was never refused
  expect(bobRefused).toEqual([]);
  // the scenario did reach the limit that used to bite: more distinct unlock epochs than buckets
  expect(lpUnlocks.size).toBeGreaterThan(MAX_BUCKETS);
  expect(bobUnlocks.size).toBeGreaterThan(MAX_BUCKETS);
  expect(await owedTo(f, bob)).toBe(bobUnstaked);

  // what get_lp_account promises as unstaking is what removing the shares hands over as buckets
  const promised = (await f.metapool.view('get_lp_account', { account_id: lp.accountId })) as {
    shares: string;
    unstaking_near: string;
  };
  const lpOwedBefore = await owedTo(f, lp);
  expect(await audit.removeLiquidity(lp, BigInt(promised.shares))).not.toBeNull();
  expect((await owedTo(f, lp)) - lpOwedBefore).toBe(BigInt(promised.unstaking_near));
  await checkPoolBuckets();

  // faults clear: everyone is paid in full within the unbonding period of a fresh unstake
  for (const p of f.pools) f.net.failMethod(p.accountId, null);
  const deadline = f.net.epochHeight() + UNBONDING_EPOCHS + STUCK_GRACE_EPOCHS + 2;
  const owedLp = await owedTo(f, lp);
  const paid = new Map<string, bigint>();
  while (f.net.epochHeight() <= deadline && paid.size < 2) {
    await epochs(f, 1);
    for (const [who, due] of [
      [bob, bobUnstaked],
      [lp, owedLp],
    ] as const) {
      if (paid.has(who.accountId)) continue;
      const sched = await schedule(f, who);
      if (sched.buckets.every((b) => b.unlock_epoch <= f.net.epochHeight())) {
        const got = await audit.withdrawAll(who);
        if (got !== null) {
          expect(got).toBe(due);
          paid.set(who.accountId, got);
        }
      }
    }
  }
  expect([...paid.keys()].sort()).toEqual([bob.accountId, lp.accountId].sort());
  await checkPoolBuckets();
});

const realSkip = realPeersSkipReason();
// (the watch reads NEAR's real pool's Borsh storage, not our stand-in's)
(realSkip ? it.skip : it)(
  `an unstake never runs at a pool holding NEAR unstaked earlier, whatever block of the epoch the ping lands in${realSkip ? ` (skipped: ${realSkip})` : ''}`,
  async () => {
    const f = await setup({ pools: 1, users: ['alice', 'bob'], peers: 'real' });
    const baseAudit = new Auditor(f);
    const { alice, bob } = f.users;
    const length = f.net.chain.config.epochLength;
    expect(await baseAudit.stake(alice, 1_000n * NEAR)).not.toBeNull();
    expect(await baseAudit.stake(bob, 1_000n * NEAR)).not.toBeNull();
    await pingUntilIdle(f);
    await f.net.fastForwardEpochs(1);
    await pingUntilIdle(f);
    // early in the epoch alice unstakes; the keeper unstakes it at the pool at once
    const epoch = f.net.epochHeight();
    const aliceUnlock = await baseAudit.unstake(alice, 100n * NEAR);
    expect(aliceUnlock).toBe(epoch + UNBONDING_EPOCHS);
    await pingUntilIdle(f);
    const pool = f.pools[0].accountId;
    const before = readPoolDelegator(f.net, pool, f.metapool.accountId)!;
    expect(before.unstaked).toBeGreaterThanOrEqual(100n * NEAR);
    expect(before.unstakedAvailableEpochHeight).toBe(epoch + UNBONDING_EPOCHS);
    const base = f.net.snapshot();

    const moved: string[] = [];
    for (let k = 1; k <= 8; k++) {
      f.net.restore(base);
      const audit = new Auditor(f);
      audit.netUserNear = baseAudit.netUserNear;
      const watch = new RelockWatch(f);
      try {
        // bob's unstake leaves a need; the keeper's next ping lands k blocks before the epoch ends
        expect(await audit.unstake(bob, 50n * NEAR)).not.toBeNull();
        const end = (epoch + 1) * length; // first block of the next epoch
        expect(f.net.blockHeight()).toBeLessThan(end - k - 1);
        await f.net.fastForward(end - k - 1 - f.net.blockHeight());
        const step = (await f.owner.call(f.metapool, 'ping', {}, { gas: PING_GAS })) as PingStep;
        await pingUntilIdle(f);
        // the keeper keeps going every epoch; alice is paid when she was told
        while (f.net.epochHeight() < aliceUnlock!) await epochs(f, 1);
        const got = await withdrawAll(audit, alice);
        moved.push(
          ...watch.violations.map((v) => `k=${k} (first ping: ${step.action}): ${v}`),
          ...(got === 100n * NEAR ? [] : [`k=${k}: alice at epoch ${aliceUnlock}: ${got}`]),
        );
        await audit.check();
      } finally {
        watch.stop();
      }
    }
    expect(moved).toEqual([]);
  },
);

it('ft_resolve_transfer reports as used what the receiver passed on before asking for a refund', async () => {
  const f = await setup({ pools: 1, users: ['alice', 'carol'] });
  const audit = new Auditor(f);
  const { alice, carol } = f.users;
  const relay = await f.root.createSubAccount('relay', { initialBalance: 20n * NEAR });
  await relay.deploy(testContractPath('ft-relay'));
  const bounds = (await f.metapool.view('storage_balance_bounds', {})) as { min: string };
  for (const who of [relay, carol])
    await who.call(
      f.metapool,
      'storage_deposit',
      {},
      { attachedDeposit: BigInt(bounds.min), gas: USER_GAS },
    );
  expect(await audit.stake(alice, 10n * NEAR)).not.toBeNull();
  const balance = (who: Account) =>
    viewBig(f.metapool, 'ft_balance_of', { account_id: who.accountId });
  const aliceBefore = await balance(alice);
  const carolBefore = await balance(carol);
  const amount = aliceBefore / 3n;
  const out = await alice.callRaw(
    f.metapool,
    'ft_transfer_call',
    {
      receiver_id: relay.accountId,
      amount: amount.toString(),
      msg: JSON.stringify({ forward_to: carol.accountId }),
    },
    { attachedDeposit: 1n, gas: 300n * 10n ** 12n },
  );
  expect(out.status).toBe('success');
  // the relay holds nothing when the transfer resolves: nothing was refunded, all of it was used
  expect(await balance(relay)).toBe(0n);
  expect(await balance(carol)).toBe(carolBefore + amount);
  expect(await balance(alice)).toBe(aliceBefore - amount);
  expect(out.value).toBe(amount.toString());
  audit.holders.add(relay.accountId);
  await audit.check();
});

it('the unlock epoch an unstake predicts skips a pool whose unstake failed this epoch, and is met exactly', async () => {
  const f = await setup({ pools: 2, users: ['alice', 'bob', 'carol'] });
  const audit = new Auditor(f);
  const { alice, bob, carol } = f.users;
  for (const u of [alice, bob, carol]) expect(await audit.stake(u, 1_000n * NEAR)).not.toBeNull();
  await pingUntilIdle(f);
  // one pool's timer runs (alice's unstake) ...
  expect(await audit.unstake(alice, 100n * NEAR)).not.toBeNull();
  await pingUntilIdle(f);
  const timed = poolWithUnstaked(await contractState(f));
  const other = f.pools.map((p) => p.accountId).find((id) => id !== timed)!;
  await epochs(f, 1);
  // ... and the other pool's unstake fails this epoch (bob's unstake meets the fault)
  f.net.failMethod(other, 'unstake');
  expect(await audit.unstake(bob, 10n * NEAR)).not.toBeNull();
  const seen: PingStep[] = [];
  f.afterPing = async (step) => {
    seen.push(step);
  };
  await pingUntilIdle(f);
  f.afterPing = undefined;
  expect(seen).toContainEqual(
    expect.objectContaining({ action: 'unstake', pool: other, ok: false }),
  );
  // carol unstakes now: maintenance cannot unstake anywhere this epoch, the prediction must know it
  const carolUnlock = (await audit.unstake(carol, 50n * NEAR))!;
  expect(carolUnlock).not.toBeNull();
  const sched = await schedule(f, carol);
  expect(sched.buckets.map((b) => b.unlock_epoch)).toEqual([carolUnlock]);
  f.net.failMethod(other, null);
  while (f.net.epochHeight() < carolUnlock) {
    await epochs(f, 1);
    // alice takes her NEAR as soon as it is back: carol is not paid from it
    if ((await schedule(f, alice)).withdrawable_now !== '0')
      expect(await withdrawAll(audit, alice)).toBe(100n * NEAR);
    if (f.net.epochHeight() < carolUnlock)
      expect(
        await viewBig(f.metapool, 'get_account_unstaked_balance', { account_id: carol.accountId }),
      ).toBe(50n * NEAR);
  }
  // paid at the predicted epoch, not later
  expect({ epoch: f.net.epochHeight(), paid: await withdrawAll(audit, carol) }).toEqual({
    epoch: carolUnlock,
    paid: 50n * NEAR,
  });
  await audit.check();
});

it('arguments that are not JSON fail with E_BAD_ARGS and a sentence, changing nothing', async () => {
  const f = await setup({ pools: 1, users: ['alice'] });
  const audit = new Auditor(f);
  const { alice } = f.users;
  expect(await audit.stake(alice, 10n * NEAR)).not.toBeNull();
  const state = async () =>
    (await f.metapool.viewState())
      .entries()
      .map(([k, v]) => `${Buffer.from(k).toString('hex')}=${Buffer.from(v).toString('hex')}`)
      .sort()
      .join(';');
  const before = await state();
  const messages: Record<string, string> = {};
  for (const [method, deposit] of [
    ['unstake', 0n],
    ['withdraw', 0n],
    ['liquid_unstake', 1n],
    ['ft_transfer', 1n],
    ['deposit_and_stake', NEAR],
  ] as const) {
    const balance = (await alice.balance()).total;
    const out = await alice.callRaw(f.metapool, method, 'not json', {
      attachedDeposit: deposit,
      gas: USER_GAS,
    });
    expect(out.status).toBe('failure');
    messages[method] = out.failureMessage ?? '';
    // the deposit came back (only gas was spent)
    expect(balance - (await alice.balance()).total).toBeLessThan(NEAR / 10n);
  }
  let view = '';
  try {
    await f.metapool.view('get_account', 'not json');
  } catch (err) {
    view = (err as Error).message;
  }
  messages.get_account = view;
  for (const [method, message] of Object.entries(messages)) {
    expect({ method, message }).toEqual({
      method,
      message: expect.stringMatching(/E_BAD_ARGS: [A-Za-z][^:]* [a-z]+/),
    });
    expect({ method, message }).toEqual({
      method,
      message: expect.not.stringMatching(/SyntaxError|JSON\.parse|Unexpected token/),
    });
  }
  expect(await state()).toBe(before);
  await audit.check();
});
