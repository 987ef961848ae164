// The governance token (§12): earned by staking and providing liquidity over time, claimed as a
// real NEP-141 minted by our gov-token contract, conserved to the smallest unit.
import type { Account } from '@snear/localnet';
import { applyQueuedChanges, deployGovToken } from '../deploy/protocol';
import { type Fixture, failure, NEAR, PING_GAS, setup, USER_GAS } from './metapool-fixture';
import { rng } from './support/random';
import {
  lockupCall,
  newLockup,
  realLockupSkipReason,
  selectMetapool,
  setupLockups,
} from './support/real-lockup';

jest.setTimeout(600_000);

const GOV = 10n ** 24n;
/** One hour a block: a week is 168 blocks. */
const HOUR_NS = 3_600n * 1_000_000_000n;
const GOV_INIT = {
  gov_token_id: 'gov.test.near',
  gov_rate_per_second: (GOV / 10n).toString(),
  gov_weekly_decay_bps: 9_900,
};

interface GovState {
  emitted: string;
  claimed: string;
  in_flight: string;
  treasury_unclaimed: string;
  rate_per_second: string;
  stakers_bps: number;
  scale_bps: number;
  remaining: string;
}

async function register(gov: Account, who: Account): Promise<void> {
  const bounds = (await gov.view('storage_balance_bounds', {})) as { min: string };
  await who.call(
    gov,
    'storage_deposit',
    {},
    { attachedDeposit: BigInt(bounds.min), gas: USER_GAS },
  );
}

async function govFixture(users: string[]): Promise<{ f: Fixture; gov: Account }> {
  const f = await setup({ pools: 1, users, blockTimeNs: HOUR_NS, init: GOV_INIT });
  const gov = await deployGovToken(f.root, f.metapool);
  return { f, gov };
}

const unclaimed = async (f: Fixture, id: string) =>
  BigInt((await f.metapool.view('get_gov_unclaimed', { account_id: id })) as string);
const govState = async (f: Fixture) => (await f.metapool.view('get_gov_state', {})) as GovState;
const tokenBalance = async (gov: Account, id: string) =>
  BigInt((await gov.view('ft_balance_of', { account_id: id })) as string);

/** Σ claimed + Σ unclaimed + treasury + dust = emitted; returns the dust. */
async function books(f: Fixture, gov: Account, ids: string[]): Promise<bigint> {
  const g = await govState(f);
  let open = 0n;
  let minted = 0n;
  for (const id of new Set([...ids, f.treasury.accountId])) {
    const acc = (await f.metapool.view('get_gov_account', { account_id: id })) as {
      claimable: string;
      pending_forward: string;
    };
    expect(BigInt(acc.claimable)).toBe(await unclaimed(f, id));
    // a forwarding account's accrual since its last settle is its beneficiary's, not yet moved
    open += BigInt(acc.claimable) + BigInt(acc.pending_forward);
    minted += await tokenBalance(gov, id);
  }
  expect(minted).toBe(BigInt(g.claimed));
  expect(BigInt(g.in_flight)).toBe(0n);
  const dust = BigInt(g.emitted) - BigInt(g.claimed) - open;
  expect(dust).toBeGreaterThanOrEqual(0n);
  return dust;
}

describe('governance token accrual', () => {
  it('stakers and LPs earn the schedule split 80/20; a claim mints exactly what was accrued', async () => {
    const { f, gov } = await govFixture(['alice', 'lp']);
    const { alice, lp } = f.users;
    await alice.call(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 1_000n * NEAR, gas: USER_GAS },
    );
    await lp.call(f.metapool, 'add_liquidity', {}, { attachedDeposit: 500n * NEAR, gas: USER_GAS });
    const s0 = await govState(f);
    const a0 = await unclaimed(f, alice.accountId);
    const l0 = await unclaimed(f, lp.accountId);
    await f.net.fastForward(24 * 7 * 3); // three weeks
    const s1 = await govState(f);
    const emitted = BigInt(s1.emitted) - BigInt(s0.emitted);
    expect(emitted).toBeGreaterThan(0n);
    // alice is the only eligible holder, lp the only LP: each gets its part, less < 2 units
    const a = (await unclaimed(f, alice.accountId)) - a0;
    const l = (await unclaimed(f, lp.accountId)) - l0;
    const stakers = (emitted * 8_000n) / 10_000n;
    expect(stakers - a).toBeGreaterThanOrEqual(0n);
    expect(stakers - a).toBeLessThanOrEqual(2n);
    expect(emitted - stakers - l).toBeGreaterThanOrEqual(0n);
    expect(emitted - stakers - l).toBeLessThanOrEqual(2n);
    // the weekly decay shows in the rate
    expect(BigInt(s1.rate_per_second)).toBe(((GOV / 10n) * 99n ** 3n) / 100n ** 3n);

    // nothing registered on the token: the mint fails and the accrual comes back whole
    const before = await unclaimed(f, alice.accountId);
    const out = await alice.callRaw(f.metapool, 'claim_gov', {}, { gas: PING_GAS });
    expect(out.receipts.some((r) => r.status === 'failure')).toBe(true);
    expect(await unclaimed(f, alice.accountId)).toBeGreaterThanOrEqual(before);
    expect(await tokenBalance(gov, alice.accountId)).toBe(0n);

    await register(gov, alice);
    const claimed = (await alice.call(f.metapool, 'claim_gov', {}, { gas: PING_GAS })) as boolean;
    expect(claimed).toBe(true);
    const got = await tokenBalance(gov, alice.accountId);
    expect(got).toBeGreaterThanOrEqual(before);
    expect(BigInt((await govState(f)).claimed)).toBe(got);
    // the failed mint said so: the claim's result is false and the event names it
    expect(out.value).toBe(false);
    expect(out.logs.join('\n')).toMatch(/gov_claim_failed/);
    expect(await books(f, gov, [alice.accountId, lp.accountId])).toBeLessThanOrEqual(6n);
  });

  it("with nobody eligible the emission is the treasury's, and the treasury claims it", async () => {
    const { f, gov } = await govFixture([]);
    await f.net.fastForward(48);
    const t = await unclaimed(f, f.treasury.accountId);
    expect(t).toBe(BigInt((await govState(f)).emitted));
    expect(t).toBeGreaterThan(0n);
    await register(gov, f.treasury);
    await f.treasury.call(f.metapool, 'claim_gov', {}, { gas: PING_GAS });
    expect(await tokenBalance(gov, f.treasury.accountId)).toBeGreaterThanOrEqual(t);
    expect(await books(f, gov, [])).toBe(0n);
  });

  it('random multi-week runs conserve every unit: claimed + unclaimed + treasury + dust = emitted', async () => {
    const names = ['u0', 'u1', 'u2', 'u3', 'dex'];
    const { f, gov } = await govFixture(names);
    const users = names.map((n) => f.users[n]);
    for (const u of users) await register(gov, u);
    const r = rng(15);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const call = (u: Account, method: string, args: unknown, deposit = 0n) =>
      u.callRaw(f.metapool, method, args, { attachedDeposit: deposit, gas: PING_GAS });
    const snear = async (u: Account) =>
      BigInt((await f.metapool.view('ft_balance_of', { account_id: u.accountId })) as string);
    let ops = 0;
    for (let step = 0; step < 160; step++) {
      const u = pick(users);
      const x = r();
      if (x < 0.25) {
        await call(u, 'deposit_and_stake', {}, BigInt(1 + Math.floor(r() * 500)) * NEAR);
      } else if (x < 0.4) {
        const s = await snear(u);
        const to = pick(users.filter((v) => v !== u));
        if (s > 0n)
          await call(
            u,
            'ft_transfer',
            { receiver_id: to.accountId, amount: (s / 3n + 1n).toString() },
            1n,
          );
      } else if (x < 0.5) {
        const s = await snear(u);
        if (s > NEAR)
          await call(
            u,
            'liquid_unstake',
            { snear_amount: (s / 4n).toString(), min_near_out: '0' },
            1n,
          );
      } else if (x < 0.6) {
        await call(u, 'add_liquidity', {}, BigInt(1 + Math.floor(r() * 300)) * NEAR);
      } else if (x < 0.67) {
        const lp = (await f.metapool.view('get_lp_account', { account_id: u.accountId })) as {
          shares: string;
        };
        if (BigInt(lp.shares) > 0n)
          await call(u, 'remove_liquidity', { shares: (BigInt(lp.shares) / 2n + 1n).toString() });
      } else if (x < 0.77) {
        await call(u, 'claim_gov', {});
      } else if (x < 0.8) {
        // the dex forwards its accrual to u0 for a while, then stops
        const dex = f.users.dex;
        await call(dex, 'set_gov_beneficiary', {
          beneficiary_id: r() < 0.5 ? f.users.u0.accountId : null,
        });
      } else if (x < 0.85) {
        const s = await snear(u);
        if (s > NEAR) await call(u, 'unstake', { amount: (s / 5n).toString() });
      } else {
        await f.net.fastForward(1 + Math.floor(r() * 150));
      }
      ops += 1;
    }
    const weeks = (await f.net.blockHeight()) / 168;
    expect(weeks).toBeGreaterThan(2);
    const dust = await books(
      f,
      gov,
      users.map((u) => u.accountId),
    );
    // each settle and each view rounds down by less than one unit per accumulator
    expect(dust).toBeLessThanOrEqual(BigInt(2 * (ops + users.length) + 2));
  });

  it('no gain from games: transfers back and forth, splitting, or settling often never beat holding', async () => {
    const { f, gov } = await govFixture(['alice', 'bob', 'carol', 'dave']);
    const { alice, bob, carol, dave } = f.users;
    for (const u of [alice, bob]) {
      await u.call(
        f.metapool,
        'deposit_and_stake',
        {},
        { attachedDeposit: 1_000n * NEAR, gas: USER_GAS },
      );
    }
    for (const u of [alice, carol, dave]) await register(gov, u);
    for (const u of [carol, dave]) {
      await u.call(
        f.metapool,
        'storage_deposit',
        {},
        { attachedDeposit: NEAR / 100n, gas: USER_GAS },
      );
    }
    const start = f.net.snapshot();
    const end = (await f.net.blockHeight()) + 400;
    const total = async (ids: Account[]) => {
      let sum = 0n;
      for (const u of ids)
        sum += (await unclaimed(f, u.accountId)) + (await tokenBalance(gov, u.accountId));
      return sum;
    };
    const until = async () => f.net.fastForward(end - (await f.net.blockHeight()));
    await until();
    const held = await total([alice]);
    expect(held).toBeGreaterThan(0n);
    const bobHeld = await unclaimed(f, bob.accountId);

    const game = async (play: () => Promise<number>) => {
      f.net.restore(start);
      const moves = await play();
      await until();
      const got = await total([alice, carol, dave]);
      expect(got).toBeLessThanOrEqual(held);
      // at most one unit lost per settle
      expect(held - got).toBeLessThanOrEqual(BigInt(4 * moves + 4));
      // bob, who held throughout, is not hurt by alice's games either
      expect(await unclaimed(f, bob.accountId)).toBeGreaterThanOrEqual(bobHeld - 2n);
    };
    const send = (from: Account, to: Account, amount: bigint) =>
      from.call(
        f.metapool,
        'ft_transfer',
        { receiver_id: to.accountId, amount: amount.toString() },
        { attachedDeposit: 1n, gas: USER_GAS },
      );
    await game(async () => {
      const s = BigInt(
        (await f.metapool.view('ft_balance_of', { account_id: alice.accountId })) as string,
      );
      for (let i = 0; i < 10; i++) {
        await send(alice, carol, s);
        await send(carol, alice, s);
      }
      return 20;
    });
    await game(async () => {
      const s = BigInt(
        (await f.metapool.view('ft_balance_of', { account_id: alice.accountId })) as string,
      );
      await send(alice, carol, s / 3n);
      await send(alice, dave, s / 3n);
      return 2;
    });
    await game(async () => {
      for (let i = 0; i < 10; i++) await alice.call(f.metapool, 'claim_gov', {}, { gas: PING_GAS });
      return 10;
    });
  });

  it('beneficiaries: a contract forwards its accrual; chains, loops and strangers are refused', async () => {
    const { f, gov } = await govFixture(['dex', 'farm', 'alice']);
    const { dex, farm, alice } = f.users;
    await dex.call(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 1_000n * NEAR, gas: USER_GAS },
    );
    await farm.call(
      f.metapool,
      'storage_deposit',
      {},
      { attachedDeposit: NEAR / 100n, gas: USER_GAS },
    );
    expect(
      await failure(dex, f.metapool, 'set_gov_beneficiary', { beneficiary_id: 'nobody.test.near' }),
    ).toMatch(/E_NOT_REGISTERED/);
    expect(
      await failure(dex, f.metapool, 'set_gov_beneficiary', { beneficiary_id: dex.accountId }),
    ).toMatch(/E_BAD_ARGS/);
    await dex.call(
      f.metapool,
      'set_gov_beneficiary',
      { beneficiary_id: farm.accountId },
      { gas: USER_GAS },
    );
    // farm -> dex would make a loop: refused (dex already forwards)
    expect(
      await failure(farm, f.metapool, 'set_gov_beneficiary', { beneficiary_id: dex.accountId }),
    ).toMatch(/E_BAD_ARGS/);
    const d0 = await unclaimed(f, dex.accountId);
    await f.net.fastForward(100);
    // a settle forwards the dex's accrual to the farm
    await dex.call(
      f.metapool,
      'ft_transfer',
      { receiver_id: farm.accountId, amount: '1' },
      { attachedDeposit: 1n, gas: USER_GAS },
    );
    expect(await unclaimed(f, dex.accountId)).toBe(d0);
    const forwarded = await unclaimed(f, farm.accountId);
    expect(forwarded).toBeGreaterThan(0n);
    await register(gov, farm);
    await farm.call(f.metapool, 'claim_gov', {}, { gas: PING_GAS });
    expect(await tokenBalance(gov, farm.accountId)).toBeGreaterThanOrEqual(forwarded);
    // bad input: nothing to claim, not a lockup
    await alice.call(
      f.metapool,
      'storage_deposit',
      {},
      { attachedDeposit: NEAR / 100n, gas: USER_GAS },
    );
    expect(await failure(alice, f.metapool, 'claim_gov', {}, { gas: PING_GAS })).toMatch(
      /E_NOTHING_TO_CLAIM/,
    );
    expect(
      await failure(
        alice,
        f.metapool,
        'claim_gov',
        { lockup_id: dex.accountId },
        { gas: PING_GAS },
      ),
    ).toMatch(/E_BAD_ARGS: .*not a lockup/);
    expect(
      await books(f, gov, [dex.accountId, farm.accountId, alice.accountId]),
    ).toBeLessThanOrEqual(8n);
  });

  it('governance may only lower the emission and move the split within 50..100%, each through the timelock', async () => {
    const { f } = await govFixture([]);
    const owner = f.owner;
    expect(
      await failure(f.treasury, f.metapool, 'lower_gov_emission', { scale_bps: 5_000 }),
    ).toMatch(/E_UNAUTHORIZED/);
    const lower = (await owner.call(
      f.metapool,
      'lower_gov_emission',
      { scale_bps: 5_000 },
      { gas: USER_GAS },
    )) as { kind: string; args: unknown };
    expect(lower).toMatchObject({ kind: 'gov_emission', args: { scale_bps: 5_000 } });
    expect(await failure(owner, f.metapool, 'set_gov_split', { stakers_bps: 4_999 })).toMatch(
      /E_BAD_ARGS/,
    );
    await owner.call(f.metapool, 'set_gov_split', { stakers_bps: 10_000 }, { gas: USER_GAS });
    // nothing changes before the timelock
    expect((await govState(f)).scale_bps).toBe(10_000);
    expect((await govState(f)).stakers_bps).toBe(8_000);
    const [due] = (await f.metapool.view('get_pending_changes', {})) as { apply_epoch: number }[];
    await f.net.fastForwardEpochs(due.apply_epoch - f.net.epochHeight());
    const before = BigInt((await govState(f)).rate_per_second);
    expect(await applyQueuedChanges(f.net, f.treasury, f.metapool)).toEqual([]);
    const s = await govState(f);
    expect(s.scale_bps).toBe(5_000);
    expect(BigInt(s.rate_per_second)).toBe(before / 2n);
    expect(s.stakers_bps).toBe(10_000);
    expect(await failure(owner, f.metapool, 'lower_gov_emission', { scale_bps: 6_000 })).toMatch(
      /E_BAD_PARAMS: .*only go down/,
    );
  });
});

const lockupSkip = realLockupSkipReason();
if (lockupSkip)
  console.log(`skipped: the governance-token lockup test needs NEAR's real lockup (${lockupSkip})`);
(lockupSkip ? describe.skip : describe)('a real lockup earns the governance token', () => {
  it('accrues while staked through the staking-pool interface; only its owner claims, to the owner', async () => {
    const lf = await setupLockups({ blockTimeNs: HOUR_NS, init: GOV_INIT, users: ['stranger'] });
    const { f } = lf;
    const gov = await deployGovToken(f.root, f.metapool);
    const lockup = await newLockup(lf, 'a1b2c3', { balance: 2_000n * NEAR });
    expect((await selectMetapool(lf, lockup)).status).toBe('success');
    const staked = await lockupCall(lf.owner, lockup, 'deposit_and_stake', {
      amount: (1_000n * NEAR).toString(),
    });
    expect(staked.status).toBe('success');
    await f.net.fastForward(200);
    const accrued = await unclaimed(f, lockup.accountId);
    expect(accrued).toBeGreaterThan(0n);
    const stranger = f.users.stranger;
    const bad = await stranger.callRaw(
      f.metapool,
      'claim_gov',
      { lockup_id: lockup.accountId },
      { gas: PING_GAS },
    );
    expect(JSON.stringify(bad.receipts.map((r) => r.failureMessage ?? ''))).toMatch(
      /E_NOT_LOCKUP_OWNER/,
    );
    expect(await unclaimed(f, lockup.accountId)).toBeGreaterThanOrEqual(accrued);
    await register(gov, lf.owner);
    await lf.owner.call(
      f.metapool,
      'claim_gov',
      { lockup_id: lockup.accountId },
      { gas: PING_GAS },
    );
    expect(await tokenBalance(gov, lf.owner.accountId)).toBeGreaterThanOrEqual(accrued);
    expect(await tokenBalance(gov, lockup.accountId)).toBe(0n);
  });
});
