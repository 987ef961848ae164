// NEAR's real lockup contract (core-contracts lockup_contract.wasm, on localnet's wasm engine) staking
// through the metapool (vm or wasm engine) on NEAR's real staking pools: admission by the whitelist's
// foundation, every owner method that reaches a staking pool, rewards reaching the lockup's known
// balance, the foundation's termination of a vesting lockup, and no transferable sNEAR or LP shares
// for a lockup (§9); and the governance-managed list of lockup account-id suffixes. The metapool's
// books are audited after each step.
import type { Account, CallOutcome } from '@snear/localnet';
import { applyQueuedChanges, contractPath, metapoolInitArgs } from '../deploy/protocol';
import {
  Auditor,
  contractState,
  epochs,
  type Fixture,
  NEAR,
  PING_GAS,
  pingUntilIdle,
  setup,
  USER_GAS,
  viewBig,
} from './metapool-fixture';
import {
  type LockupFixture,
  lockupCall,
  newLockup,
  realLockupSkipReason,
  selectMetapool,
  setupLockups,
} from './support/real-lockup';

jest.setTimeout(300_000);

/** The metapool's staking-pool views of one account. */
async function onMetapool(f: Fixture, accountId: string) {
  const view = (method: string) => viewBig(f.metapool, method, { account_id: accountId });
  return {
    staked: await view('get_account_staked_balance'),
    unstaked: await view('get_account_unstaked_balance'),
    total: await view('get_account_total_balance'),
    available: (await f.metapool.view('is_account_unstaked_balance_available', {
      account_id: accountId,
    })) as boolean,
  };
}

/** Advances epochs (keeper to idle after each) until the account's unstaked NEAR is withdrawable. */
async function untilWithdrawable(f: Fixture, accountId: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if ((await onMetapool(f, accountId)).available) return;
    await epochs(f, 1);
  }
  throw new Error(`${accountId}'s unstaked NEAR is still not withdrawable after 12 epochs`);
}

/** The lockup's own liquid balance on chain (its account, not what it knows of the pool). */
async function lockupLiquid(lockup: Account): Promise<bigint> {
  return (await lockup.balance()).total;
}

const known = (lockup: Account) => viewBig(lockup, 'get_known_deposited_balance');

const reason = realLockupSkipReason();
const maybe = reason ? describe.skip : describe;
const skipped = reason ? ` (skipped: ${reason})` : '';

maybe(`NEAR's real lockup: admission by the whitelist's foundation${skipped}`, () => {
  it('select_staking_pool is refused until the foundation adds the metapool, then works', async () => {
    const lf = await setupLockups({ admit: false });
    const lockup = await newLockup(lf, 'a1b2c3');
    const refused = await selectMetapool(lf, lockup);
    expect(refused.status).toBe('failure');
    expect(refused.failureMessage).toMatch(/The given staking pool account ID is not whitelisted/);
    expect(await lockup.view('get_staking_pool_account_id', {})).toBeNull();
    // only the foundation (or a whitelisted factory) adds staking pools
    const byOperator = await lf.f.owner.callRaw(
      lf.whitelist,
      'add_staking_pool',
      { staking_pool_account_id: lf.f.metapool.accountId },
      { gas: PING_GAS },
    );
    expect(byOperator.failureMessage).toMatch(/Can only be called by NEAR Foundation/);
    expect(
      await lf.foundation.call(
        lf.whitelist,
        'add_staking_pool',
        { staking_pool_account_id: lf.f.metapool.accountId },
        { gas: PING_GAS },
      ),
    ).toBe(true);
    expect((await selectMetapool(lf, lockup)).value).toBe(true);
    expect(await lockup.view('get_staking_pool_account_id', {})).toBe(lf.f.metapool.accountId);
    const stake = await lockupCall(lf.owner, lockup, 'deposit_and_stake', {
      amount: (100n * NEAR).toString(),
    });
    expect(stake.value).toBe(true);
    expect(await known(lockup)).toBe(100n * NEAR);
  });
});

maybe(`NEAR's real lockup: the owner's lifecycle through the metapool${skipped}`, () => {
  let lf: LockupFixture;
  let f: Fixture;
  let lockup: Account;
  let audit: Auditor;
  let initialBalance: bigint;
  const owner = (method: string, args: Record<string, unknown> = {}) =>
    lockupCall(lf.owner, lockup, method, args);

  beforeAll(async () => {
    lf = await setupLockups();
    f = lf.f;
    audit = new Auditor(f);
    lockup = await newLockup(lf, 'd4e5f6', { balance: 2_000n * NEAR });
    initialBalance = await lockupLiquid(lockup);
    expect((await selectMetapool(lf, lockup)).value).toBe(true);
  });

  it('deposit_and_stake: the lockup knows its deposit; the metapool books non-transferable shares', async () => {
    const before = await contractState(f);
    const out = await owner('deposit_and_stake', { amount: (600n * NEAR).toString() });
    expect(out.value).toBe(true);
    audit.netUserNear += 600n * NEAR;
    expect(await known(lockup)).toBe(600n * NEAR);
    const mine = await onMetapool(f, lockup.accountId);
    expect(mine.staked).toBeLessThanOrEqual(600n * NEAR);
    expect(mine.staked).toBeGreaterThanOrEqual(600n * NEAR - 1n);
    expect(mine.unstaked).toBe(0n);
    const after = await audit.check();
    // the shares are the lockup's, outside the transferable supply
    expect(BigInt(after.lockup_shares) - BigInt(before.lockup_shares)).toBeGreaterThan(0n);
    expect(after.ft_total_supply).toBe(before.ft_total_supply);
    expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: lockup.accountId })).toBe(0n);
    await pingUntilIdle(f);
    await audit.check(true);
  });

  it('deposit_to_staking_pool + stake: deposited NEAR waits unstaked, then stakes', async () => {
    const staked = (await onMetapool(f, lockup.accountId)).staked;
    expect(
      (await owner('deposit_to_staking_pool', { amount: (300n * NEAR).toString() })).value,
    ).toBe(true);
    audit.netUserNear += 300n * NEAR;
    expect(await known(lockup)).toBe(900n * NEAR);
    let mine = await onMetapool(f, lockup.accountId);
    expect(mine.unstaked).toBe(300n * NEAR);
    expect(mine.available).toBe(true); // a plain deposit is withdrawable at once
    await audit.check();
    // a refused step (more than it has unstaked) leaves the lockup idle and the books unchanged
    const tooMuch = await owner('stake', { amount: (300n * NEAR + 1n).toString() });
    expect(tooMuch.value).toBe(false);
    expect(
      tooMuch.receipts.some((r) => /E_INSUFFICIENT_BALANCE/.test(r.failureMessage ?? '')),
    ).toBe(true);
    expect((await owner('stake', { amount: (300n * NEAR).toString() })).value).toBe(true);
    mine = await onMetapool(f, lockup.accountId);
    expect(mine.unstaked).toBe(0n);
    expect(mine.staked - staked).toBeGreaterThanOrEqual(300n * NEAR - 1n);
    expect(mine.staked - staked).toBeLessThanOrEqual(300n * NEAR);
    expect(await known(lockup)).toBe(900n * NEAR); // staking moves nothing out of the lockup
    await pingUntilIdle(f);
    await audit.check(true);
  });

  it("rewards reach the lockup's known balance after refresh_staking_pool_balance", async () => {
    await epochs(f, 2);
    const total = (await onMetapool(f, lockup.accountId)).total;
    expect(total).toBeGreaterThan(900n * NEAR); // the validators' rewards, through the share price
    expect(await known(lockup)).toBe(900n * NEAR); // the lockup has not asked yet
    expect((await owner('refresh_staking_pool_balance')).status).toBe('success');
    expect(await known(lockup)).toBe(total);
    await audit.check(true);
  });

  it('unstake(amount) owes exactly that; withdraw_from_staking_pool(exact) waits for the unlock, then pays it', async () => {
    const amount = 250n * NEAR + 123n;
    const before = await onMetapool(f, lockup.accountId);
    const tooMuch = await owner('unstake', { amount: (before.staked + 1n).toString() });
    expect(tooMuch.value).toBe(false);
    expect((await onMetapool(f, lockup.accountId)).staked).toBe(before.staked);
    expect((await owner('unstake', { amount: amount.toString() })).value).toBe(true);
    let mine = await onMetapool(f, lockup.accountId);
    expect(mine.unstaked).toBe(amount);
    expect(before.staked - mine.staked).toBeGreaterThanOrEqual(amount);
    expect(before.staked - mine.staked).toBeLessThanOrEqual(amount + 1n);
    expect(mine.available).toBe(false);
    await audit.check();
    await pingUntilIdle(f);
    // too early: the metapool refuses (E_NOT_AVAILABLE), the lockup's callback records nothing
    const knownBefore = await known(lockup);
    const early = await owner('withdraw_from_staking_pool', { amount: amount.toString() });
    expect(early.value).toBe(false);
    expect(early.receipts.some((r) => /E_NOT_AVAILABLE/.test(r.failureMessage ?? ''))).toBe(true);
    expect(await known(lockup)).toBe(knownBefore);
    expect((await onMetapool(f, lockup.accountId)).unstaked).toBe(amount);
    // unselecting needs nothing known on the pool
    const unselect = await owner('unselect_staking_pool');
    expect(unselect.failureMessage).toMatch(/There is still a deposit on the staking pool/);

    await untilWithdrawable(f, lockup.accountId);
    const liquid = await lockupLiquid(lockup);
    expect((await owner('withdraw_from_staking_pool', { amount: amount.toString() })).value).toBe(
      true,
    );
    audit.netUserNear -= amount;
    mine = await onMetapool(f, lockup.accountId);
    expect(mine.unstaked).toBe(0n);
    expect(await known(lockup)).toBe(knownBefore - amount);
    // the lockup got exactly `amount` (plus its share of the gas its callbacks burnt; the owner
    // paid the gas)
    const got = (await lockupLiquid(lockup)) - liquid;
    expect(got).toBeGreaterThanOrEqual(amount);
    expect(got).toBeLessThan(amount + NEAR / 100n);
    await audit.check(true);
  });

  it('unstake_all, then withdraw_all_from_staking_pool (nothing before the unlock, all after)', async () => {
    const before = await onMetapool(f, lockup.accountId);
    expect((await owner('unstake_all')).value).toBe(true);
    const mine = await onMetapool(f, lockup.accountId);
    expect(mine.staked).toBe(0n);
    expect(mine.unstaked).toBe(before.staked);
    await audit.check();
    await pingUntilIdle(f);
    const early = await owner('withdraw_all_from_staking_pool');
    expect(early.value).toBe(false);
    expect((await onMetapool(f, lockup.accountId)).unstaked).toBe(before.staked);

    await untilWithdrawable(f, lockup.accountId);
    const liquid = await lockupLiquid(lockup);
    const out = await owner('withdraw_all_from_staking_pool');
    expect(out.value).toBe(true);
    audit.netUserNear -= before.staked;
    const got = (await lockupLiquid(lockup)) - liquid;
    expect(got).toBeGreaterThanOrEqual(before.staked);
    expect(got).toBeLessThan(before.staked + NEAR / 100n);
    expect(await onMetapool(f, lockup.accountId)).toMatchObject({ staked: 0n, unstaked: 0n });
    // the rewards paid out exceed what the lockup last knew: the known deposit saturates at 0
    expect(await known(lockup)).toBe(0n);
    await audit.check(true);
  });

  it('unselect_staking_pool once nothing is known deposited; the lockup ends with its rewards', async () => {
    expect((await owner('unselect_staking_pool')).status).toBe('success');
    expect(await lockup.view('get_staking_pool_account_id', {})).toBeNull();
    // every NEAR came back, with the rewards (the owner paid the gas)
    expect(await lockupLiquid(lockup)).toBeGreaterThan(initialBalance);
    const state = await audit.check(true);
    expect(BigInt(state.lockup_shares)).toBe(0n);
  });
});

maybe(`NEAR's real lockup: the foundation terminates a vesting lockup${skipped}`, () => {
  it('unstakes and withdraws through the metapool, then the foundation takes the unvested part', async () => {
    const lf = await setupLockups();
    const { f, foundation } = lf;
    const audit = new Auditor(f);
    const now = f.net.chain.block().timestampNs;
    // half vested (over ~23 days; the test's blocks add minutes): ~500 of the 1,000 NEAR unvested
    const half = 10n ** 15n;
    const lockup = await newLockup(lf, 'f7a8b9', {
      balance: 1_000n * NEAR,
      vesting: {
        start_timestamp: (now - half).toString(),
        cliff_timestamp: (now - half).toString(),
        end_timestamp: (now + half).toString(),
      },
    });
    const owner = (method: string, args: Record<string, unknown> = {}) =>
      lockupCall(lf.owner, lockup, method, args);
    const byFoundation = (method: string, args: Record<string, unknown> = {}) =>
      lockupCall(foundation, lockup, method, args);
    const status = () => lockup.view('get_termination_status', {});
    expect((await selectMetapool(lf, lockup)).value).toBe(true);
    expect((await owner('deposit_and_stake', { amount: (900n * NEAR).toString() })).value).toBe(
      true,
    );
    audit.netUserNear += 900n * NEAR;
    await pingUntilIdle(f);
    await epochs(f, 1);

    expect((await byFoundation('terminate_vesting')).status).toBe('success');
    expect(await status()).toBe('VestingTerminatedWithDeficit');
    const unvested = await viewBig(lockup, 'get_terminated_unvested_balance');
    expect(unvested).toBeGreaterThan(499n * NEAR);
    expect(unvested).toBeLessThan(500n * NEAR);
    // (the lockup's liquid ~96.5 NEAR does not cover it: the stake must come back first)
    // the owner is locked out until the termination completes
    expect((await owner('unstake_all')).failureMessage).toMatch(
      /All operations are blocked until vesting termination is completed/,
    );

    // 1. the foundation unstakes everything: get_account_staked_balance, then unstake(that)
    const staked = (await onMetapool(f, lockup.accountId)).staked;
    expect((await byFoundation('termination_prepare_to_withdraw')).value).toBe(true);
    expect(await status()).toBe('EverythingUnstaked');
    expect(await onMetapool(f, lockup.accountId)).toMatchObject({ staked: 0n, unstaked: staked });
    await audit.check();
    await pingUntilIdle(f);
    // 2. too early: our withdraw refuses, the lockup stays EverythingUnstaked (the foundation retries)
    expect((await byFoundation('termination_prepare_to_withdraw')).value).toBe(false);
    expect(await status()).toBe('EverythingUnstaked');
    await untilWithdrawable(f, lockup.accountId);
    // 3. get_account_unstaked_balance, then withdraw(exactly that)
    expect((await byFoundation('termination_prepare_to_withdraw')).value).toBe(true);
    audit.netUserNear -= staked;
    expect(await status()).toBe('ReadyToWithdraw');
    expect(await onMetapool(f, lockup.accountId)).toMatchObject({ staked: 0n, unstaked: 0n });
    await audit.check(true);

    // 4. the foundation withdraws the unvested part out of the lockup
    const liquid = await lockupLiquid(lockup);
    const out = await byFoundation('termination_withdraw', { receiver_id: foundation.accountId });
    expect(out.value).toBe(true);
    expect(await status()).toBeNull(); // termination complete
    const paid = liquid - (await lockupLiquid(lockup));
    expect(paid).toBeGreaterThanOrEqual(unvested - NEAR / 100n); // (less its own callback's gas share)
    expect(paid).toBeLessThanOrEqual(unvested);
    expect(await lockup.view('get_vesting_information', {})).toBe('None');
    expect(BigInt((await contractState(f)).lockup_shares)).toBe(0n);
    // the owner has the lockup back, with the vested half and the rewards
    expect(await viewBig(lockup, 'get_locked_amount')).toBe(0n);
    expect(await viewBig(lockup, 'get_liquid_owners_balance')).toBeGreaterThan(
      1_000n * NEAR - unvested - 4n * NEAR,
    );
  });
});

maybe(`NEAR's real lockup never gets transferable sNEAR or LP shares${skipped}`, () => {
  it('holds only non-transferable shares; every token and LP path to or from it is refused', async () => {
    const lf = await setupLockups({ users: ['alice'] });
    const { f } = lf;
    const alice = f.users.alice;
    const audit = new Auditor(f);
    const lockup = await newLockup(lf, 'c0ffee');
    expect((await selectMetapool(lf, lockup)).value).toBe(true);
    expect(
      (
        await lockupCall(lf.owner, lockup, 'deposit_and_stake', {
          amount: (500n * NEAR).toString(),
        })
      ).value,
    ).toBe(true);
    audit.netUserNear += 500n * NEAR;
    expect(await audit.stake(alice, 1_000n * NEAR)).not.toBeNull();
    expect(await audit.addLiquidity(alice, 100n * NEAR)).not.toBeNull();

    const info = (await f.metapool.view('get_account_info', {
      account_id: lockup.accountId,
    })) as Record<string, unknown>;
    expect(info).toMatchObject({ is_lockup: true, transferable_snear: '0', lp_shares: '0' });
    expect(BigInt(info.snear as string)).toBeGreaterThan(0n);
    expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: lockup.accountId })).toBe(0n);

    // the lockup contract itself has no way to move sNEAR: it only calls the staking-pool methods
    const noMethod = await lf.owner.callRaw(
      lockup,
      'ft_transfer',
      { receiver_id: alice.accountId, amount: '1' },
      { gas: USER_GAS, attachedDeposit: 1n },
    );
    expect(noMethod.status).toBe('failure');
    expect(JSON.stringify(noMethod.failure)).toMatch(/MethodNotFound|MethodResolveError/);

    // others cannot send it sNEAR or LP shares
    const lpShares = BigInt(
      (
        (await f.metapool.view('get_lp_account', { account_id: alice.accountId })) as {
          shares: string;
        }
      ).shares,
    );
    expect(lpShares).toBeGreaterThan(0n);
    const toLockup: [string, Record<string, unknown>][] = [
      ['ft_transfer', { receiver_id: lockup.accountId, amount: NEAR.toString() }],
      ['ft_transfer_call', { receiver_id: lockup.accountId, amount: NEAR.toString(), msg: '' }],
      ['lp_transfer', { receiver_id: lockup.accountId, shares: '1' }],
    ];
    for (const [method, args] of toLockup) {
      const out = await alice.callRaw(f.metapool, method, args, {
        gas: PING_GAS,
        attachedDeposit: 1n,
      });
      expect([method, out.failureMessage]).toEqual([method, expect.stringMatching(/E_LOCKUP/)]);
    }
    // and the lockup account, were it ever to sign for itself (a full-access key once fully
    // vested), still may not move, sell or pool its stake
    const asLockup: [string, Record<string, unknown>, bigint][] = [
      ['ft_transfer', { receiver_id: alice.accountId, amount: '1' }, 1n],
      ['ft_transfer_call', { receiver_id: alice.accountId, amount: '1', msg: '' }, 1n],
      [
        'ft_transfer_call',
        {
          receiver_id: f.metapool.accountId,
          amount: '1',
          msg: JSON.stringify({ action: 'liquid_unstake', min_near_out: '0' }),
        },
        1n,
      ],
      ['liquid_unstake', { snear_amount: NEAR.toString(), min_near_out: '0' }, 1n],
      ['add_liquidity', {}, NEAR],
      ['lp_transfer', { receiver_id: alice.accountId, shares: '1' }, 1n],
    ];
    for (const [method, args, deposit] of asLockup) {
      const out: CallOutcome = await lockup.callRaw(f.metapool, method, args, {
        gas: PING_GAS,
        attachedDeposit: deposit,
      });
      expect([method, out.failureMessage]).toEqual([method, expect.stringMatching(/E_LOCKUP/)]);
    }
    const after = await audit.check();
    expect(after.lp_shares).toBe(lpShares.toString());
    expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: lockup.accountId })).toBe(0n);
  });
});

describe('lockup account-id suffixes: a list under governance', () => {
  it('init takes a checked list (default [".lockup.near"]); the single lockup_suffix is refused', async () => {
    const f = await setup({ pools: 1 });
    expect((await contractState(f)).params.lockup_suffixes).toEqual(['.lockup.near']);
    // the STATE codec keeps the list as a plain JSON array
    expect((await f.metapool.viewState()).getJson('STATE')).toMatchObject({
      lockupSuffixes: ['.lockup.near'],
    });
    const init = metapoolInitArgs(
      f.owner.accountId,
      f.treasury.accountId,
      f.whitelist.accountId,
      f.net.chain.config.epochLength,
    );
    for (const [extra, message] of [
      [{ lockup_suffix: '.lockup.near' }, /lockup_suffix is not an argument/],
      [{ lockup_suffixes: '.lockup.near' }, /list of 1\.\.8/],
      [{ lockup_suffixes: ['.test.near'] }, /would make treasury\.test\.near a lockup account/],
    ] as const) {
      await expect(
        f.root.devDeploy(contractPath('metapool'), {
          initialBalance: 50n * NEAR,
          method: 'new',
          args: { ...init, ...extra },
          gas: PING_GAS,
        }),
      ).rejects.toThrow(message);
    }
  });

  it('propose_lockup_suffixes: governance only, checked, applied after the timelock to every account from its next deposit', async () => {
    const f = await setup({ pools: 1, users: ['alice', 'venear'] });
    const audit = new Auditor(f);
    const { alice, venear } = f.users;
    const hos = (name: string) => venear.createSubAccount(name, { initialBalance: 1_000n * NEAR });
    const propose = (who: Account, lockup_suffixes: unknown) =>
      who.callRaw(f.metapool, 'propose_lockup_suffixes', { lockup_suffixes }, { gas: USER_GAS });
    const isLockup = async (a: Account) =>
      (
        (await f.metapool.view('get_account_info', { account_id: a.accountId })) as {
          is_lockup: boolean;
        }
      ).is_lockup;
    const HOS = '.venear.test.near';

    expect((await propose(alice, ['.lockup.near', HOS])).failureMessage).toMatch(/E_UNAUTHORIZED/);
    for (const bad of [
      [],
      [''],
      ['lockup.near'], // no leading dot: would catch `xlockup.near`
      ['.near'], // a top-level suffix catches every named account
      ['.Lockup.near'],
      ['..lockup.near'],
      ['.lockup.near', '.lockup.near'],
      Array.from({ length: 9 }, (_, i) => `.l${i}.near`),
      ['.test.near'], // the treasury and the metapool itself
      [42],
      '.lockup.near',
    ]) {
      const out = await propose(f.owner, bad);
      expect([bad, out.failureMessage]).toEqual([bad, expect.stringMatching(/: E_BAD_ARGS: /)]);
    }

    // before the change: `a1.venear…` holds stake as a regular account, `b2.venear…` only registers
    const early = await hos('a1');
    const registered = await hos('b2');
    expect(await audit.stake(early, 100n * NEAR)).not.toBeNull();
    await registered.call(
      f.metapool,
      'storage_deposit',
      {},
      { gas: USER_GAS, attachedDeposit: NEAR / 100n },
    );
    const change = (await f.owner.call(
      f.metapool,
      'propose_lockup_suffixes',
      { lockup_suffixes: ['.lockup.near', HOS] },
      { gas: USER_GAS },
    )) as Record<string, unknown>;
    const eta = f.net.epochHeight() + 6; // the timelock's floor: unbonding 4 + 2
    expect(change).toMatchObject({
      kind: 'lockup_suffixes',
      lockup_suffixes: ['.lockup.near', HOS],
      eta_epoch: eta,
    });
    // a second proposal, cancelled, never applies
    const cancelled = (await f.owner.call(
      f.metapool,
      'propose_lockup_suffixes',
      { lockup_suffixes: ['.other.test.near'] },
      { gas: USER_GAS },
    )) as { id: number };
    await f.owner.call(f.metapool, 'cancel_change', { id: cancelled.id }, { gas: USER_GAS });
    await epochs(f, 1);
    expect((await contractState(f)).params.lockup_suffixes).toEqual(['.lockup.near']);
    expect(await isLockup(registered)).toBe(false);
    while (f.net.epochHeight() < eta) await epochs(f, 1);
    expect((await contractState(f)).params.lockup_suffixes).toEqual(['.lockup.near', HOS]);
    expect(await f.metapool.view('get_pending_changes', {})).toEqual([]);

    // after it: new and empty accounts under the suffix are lockups from their next deposit
    const late = await hos('c3');
    for (const a of [late, registered]) {
      expect(await audit.stake(a, 100n * NEAR)).not.toBeNull();
      expect(await isLockup(a)).toBe(true);
      expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: a.accountId })).toBe(0n);
      expect(await audit.transfer(a, alice, 1n)).toBe(false);
      expect(audit.failures.at(-1)).toMatch(/E_LOCKUP/);
    }
    // a holding keeps the class it was counted under: `a1` still holds transferable sNEAR
    expect(await isLockup(early)).toBe(false);
    expect(await audit.stake(alice, 10n * NEAR)).not.toBeNull(); // (registers the receiver)
    expect(await audit.transfer(early, alice, NEAR)).toBe(true);
    const s = await audit.check();
    expect(BigInt(s.lockup_shares)).toBeGreaterThan(0n);

    // removing the suffix: the lockups' stake stays non-transferable, new accounts are regular
    await f.owner.call(
      f.metapool,
      'propose_lockup_suffixes',
      { lockup_suffixes: ['.lockup.near'] },
      { gas: USER_GAS },
    );
    await epochs(f, 6);
    expect((await contractState(f)).params.lockup_suffixes).toEqual(['.lockup.near']);
    expect(await isLockup(late)).toBe(true);
    expect(await audit.transfer(late, alice, 1n)).toBe(false);
    const after = await hos('d4');
    expect(await audit.stake(after, 100n * NEAR)).not.toBeNull();
    expect(await isLockup(after)).toBe(false);
    expect(await audit.transfer(after, alice, 1n)).toBe(true);
    expect((await audit.check()).lockup_shares).toBe(s.lockup_shares);
  });
});

maybe(
  `a House of Stake lockup (<hex>.<veNEAR contract>) with NEAR's real lockup code${skipped}`,
  () => {
    it('stakes as a lockup once governance lists its suffix', async () => {
      const lf = await setupLockups({ users: ['venear'] });
      const { f } = lf;
      const audit = new Auditor(f);
      await f.owner.call(
        f.metapool,
        'propose_lockup_suffixes',
        { lockup_suffixes: ['.lockup.test.near', '.venear.test.near'] },
        { gas: USER_GAS },
      );
      await applyQueuedChanges(f.net, f.owner, f.metapool);
      const lockup = await newLockup(lf, '9f8e7d6c5b4a', { parent: f.users.venear });
      expect((await selectMetapool(lf, lockup)).value).toBe(true);
      expect(
        (
          await lockupCall(lf.owner, lockup, 'deposit_and_stake', {
            amount: (400n * NEAR).toString(),
          })
        ).value,
      ).toBe(true);
      audit.netUserNear += 400n * NEAR;
      expect(
        await f.metapool.view('get_account_info', { account_id: lockup.accountId }),
      ).toMatchObject({ is_lockup: true, transferable_snear: '0' });
      expect(await viewBig(f.metapool, 'ft_balance_of', { account_id: lockup.accountId })).toBe(0n);
      const s = await audit.check();
      expect(BigInt(s.lockup_shares)).toBeGreaterThan(0n);
    });
  },
);
