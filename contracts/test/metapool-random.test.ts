// Randomized scenario: many user operations over many epochs, with the invariants of PROTOCOL §11
// checked after every step (Auditor), timers watched (§6), and every matured unstake paid.
import type { Account } from '@snear/localnet';
import {
  Auditor,
  epochs,
  NEAR,
  PING_GAS,
  type PingStep,
  pingUntilIdle,
  setup,
  TimerWatch,
  USER_GAS,
  viewBig,
} from './metapool-fixture';
import { rng } from './support/random';

// NEAR's real staking pools run on localnet's metered wasm engine, 2-4 ms a call since each call's
// memory is shared (20-80 ms before): this file (1,500 + 500 steps) took 37 s of CPU (277 s before)
// on a loaded 2-core machine, more wall time beside other suites.
jest.setTimeout(600_000);

/** A fraction in (0, 1] of `x`, sometimes all of it, sometimes a few yocto. */
function part(r: () => number, x: bigint): bigint {
  const u = r();
  if (u < 0.1) return x;
  if (u < 0.15) return x > 10n ? 10n : x;
  const p = (x * BigInt(Math.floor(r() * 1_000_000))) / 1_000_000n;
  return p === 0n ? x : p;
}

const STEPS = Number(process.env.METAPOOL_RANDOM_STEPS ?? 1_500);

const FAULT_STEPS = Number(process.env.METAPOOL_FAULT_STEPS ?? 500);
const FAULTY_METHODS = ['deposit_and_stake', 'unstake', 'withdraw', 'ping'];

/**
 * Runs `steps` random operations; with `faults`, staking-pool methods fail at random for a while
 * (then an unstake may wait longer than predicted, never less, and is paid once faults clear).
 */
async function scenario(seed: number, steps: number, faults: boolean): Promise<void> {
  const STEPS = steps;
  const names = ['u0', 'u1', 'u2', 'u3', 'u4'];
  // long epochs: only the scenario moves epochs, so each unstake runs in its predicted epoch
  const f = await setup({
    pools: 5,
    users: [...names, 'lp', 'lk'],
    epochLength: 5_000,
    weights: [1, 2, 3, 1, 1],
    init: { lockup_suffixes: ['.lk.test.near'] },
  });
  const watch = new TimerWatch(f);
  f.afterPing = (step) => watch.observe(step);
  const audit = new Auditor(f);
  // one lockup account among the users: staking interface only, non-transferable stake
  const vest = await f.users.lk.createSubAccount('vest', { initialBalance: 100_000n * NEAR });
  const users = [...names.map((n) => f.users[n]), vest];
  const r = rng(seed);
  const broken = new Set<string>();
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const counts: Record<string, number> = {};
  await audit.addLiquidity(f.users.lp, 3_000n * NEAR);
  for (const u of users) await audit.stake(u, 2_000n * NEAR);
  await pingUntilIdle(f);
  const staked = async (u: Account) =>
    viewBig(f.metapool, 'get_account_staked_balance', { account_id: u.accountId });
  const snear = async (u: Account) =>
    viewBig(f.metapool, 'ft_balance_of', { account_id: u.accountId });

  for (let step = 0; step < STEPS; step++) {
    const u = pick(users);
    const x = r();
    let op: string;
    if (x < 0.16) {
      op = 'stake';
      await audit.stake(
        u,
        BigInt(Math.floor(r() * 1_500)) * NEAR + BigInt(Math.floor(r() * 1e9)) + 1n,
      );
    } else if (x < 0.28) {
      op = 'unstake';
      const s = await staked(u);
      if (s > 0n) await audit.unstake(u, part(r, s));
    } else if (x < 0.31) {
      op = 'unstake_all';
      await audit.unstakeAll(u);
    } else if (x < 0.4) {
      op = 'withdraw_all';
      await audit.withdrawAll(u);
    } else if (x < 0.54) {
      op = 'liquid_unstake';
      const s = await snear(u);
      if (s > 0n) await audit.liquidUnstake(u, part(r, s));
    } else if (x < 0.6) {
      op = 'add_liquidity';
      await audit.addLiquidity(pick([u, f.users.lp]), BigInt(Math.floor(r() * 500) + 1) * NEAR);
    } else if (x < 0.65) {
      op = 'remove_liquidity';
      const who = pick([u, f.users.lp]);
      const lp = BigInt(
        (
          (await f.metapool.view('get_lp_account', { account_id: who.accountId })) as {
            shares: string;
          }
        ).shares,
      );
      if (lp > 0n) await audit.removeLiquidity(who, part(r, lp));
    } else if (x < 0.7) {
      op = 'ft_transfer';
      const s = await snear(u);
      const to = pick(users.filter((v) => v !== u));
      if (s > 0n) await audit.transfer(u, to, part(r, s));
    } else if (faults && x < 0.745) {
      op = 'fault';
      const pool = pick(f.pools).accountId;
      if (broken.has(pool)) {
        f.net.failMethod(pool, null);
        broken.delete(pool);
      } else {
        f.net.failMethod(pool, pick(FAULTY_METHODS));
        broken.add(pool);
      }
    } else if (x < 0.76) {
      op = 'bad_input';
      const out = await u.callRaw(
        f.metapool,
        pick(['unstake', 'liquid_unstake', 'withdraw']),
        { amount: '0', snear_amount: '0', min_near_out: '0' },
        { gas: USER_GAS },
      );
      expect(out.failureMessage).toMatch(/E_ZERO_AMOUNT/);
    } else if (x < 0.92) {
      op = 'ping';
      await watch.observe(
        (await f.owner.call(f.metapool, 'ping', {}, { gas: PING_GAS })) as PingStep,
      );
    } else {
      op = 'epoch';
      await epochs(f, 1);
      // §8: every bucket whose predicted epoch has come is withdrawable now
      for (const v of users) {
        const sched = (await f.metapool.view('get_account_unstake_schedule', {
          account_id: v.accountId,
        })) as {
          buckets: { unlock_epoch: number; amount: string }[];
          withdrawable_now: string;
        };
        const matured = sched.buckets.filter((b) => b.unlock_epoch <= f.net.epochHeight());
        const due = matured.reduce((s, b) => s + BigInt(b.amount), 0n);
        // with faults a keeper step may slip an epoch: never more than due, never early
        if (faults) expect(BigInt(sched.withdrawable_now)).toBeLessThanOrEqual(due);
        else expect(BigInt(sched.withdrawable_now)).toBe(due);
      }
    }
    counts[op] = (counts[op] ?? 0) + 1;
    await audit.check(op === 'epoch');
  }
  for (const pool of broken) f.net.failMethod(pool, null);
  // everyone can leave: delayed unstake always works
  for (const u of users)
    if ((await staked(u)) > 0n) expect(await audit.unstakeAll(u)).not.toBeNull();
  await epochs(f, 12);
  for (const u of users) {
    await audit.withdrawAll(u);
    expect(
      await viewBig(f.metapool, 'get_account_unstaked_balance', { account_id: u.accountId }),
    ).toBe(0n);
  }
  await audit.check(true);
  expect(watch.violations).toEqual([]);
  expect(counts.liquid_unstake).toBeGreaterThan(STEPS / 20);
  expect(counts.epoch).toBeGreaterThan(STEPS / 25);
  if (faults) expect(counts.fault).toBeGreaterThan(STEPS / 100);
}

it(`${STEPS} random operations over many epochs keep every invariant`, () =>
  scenario(424242, STEPS, false));

it(`${FAULT_STEPS} random operations with staking-pool faults keep every invariant and pay everyone`, () =>
  scenario(777, FAULT_STEPS, true));
