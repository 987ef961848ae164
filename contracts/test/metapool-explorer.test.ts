// What wallets and explorers read from any staking pool: core-contracts' views and log lines.
// The log lines are compared with NEAR's real staking_pool.wasm doing the same operations.
import type { Account, CallOutcome } from '@snear/localnet';
import {
  contractState,
  epochs,
  NEAR,
  pingUntilIdle,
  realPeersSkipReason,
  setup,
  USER_GAS,
} from './metapool-fixture';

jest.setTimeout(300_000);

/** The lines `executor` logged during a call. */
function logsOf(out: CallOutcome, executor: string): string[] {
  return out.receipts.filter((r) => r.executor === executor).flatMap((r) => r.logs);
}

/**
 * The staking-pool lines a contract logged in a call (not NEP-297 events, not the real pool's
 * per-epoch reward lines, which its internal ping adds to any call), numbers and accounts masked.
 */
function shapes(out: CallOutcome, executor: string, accountId: string): string[] {
  return logsOf(out, executor)
    .filter((l) => !l.startsWith('EVENT_JSON:'))
    .filter((l) => !l.startsWith('Epoch ') && !l.startsWith('Total rewards fee'))
    .map((l) => l.split(`@${accountId}`).join('@ACCOUNT').replace(/\d+/g, 'N'));
}

const skip = realPeersSkipReason();
if (skip) console.log(`skipped: the log-line comparison needs NEAR's real staking pool (${skip})`);

(skip ? describe.skip : describe)("staking-pool log lines, as NEAR's real pool writes them", () => {
  it("deposit, deposit_and_stake, stake, unstake and withdraw log the real pool's lines", async () => {
    const f = await setup({ pools: 1, users: ['alice'] });
    const { alice } = f.users;
    const real = f.pools[0];
    const both = async (method: string, args: Record<string, unknown>, deposit = 0n) => {
      const ours = await alice.callRaw(f.metapool, method, args, {
        attachedDeposit: deposit,
        gas: USER_GAS,
      });
      const theirs = await alice.callRaw(real, method, args, {
        attachedDeposit: deposit,
        gas: USER_GAS,
      });
      expect([method, ours.status, ours.failureMessage]).toEqual([method, 'success', undefined]);
      expect([method, theirs.status, theirs.failureMessage]).toEqual([
        method,
        'success',
        undefined,
      ]);
      return {
        ours: shapes(ours, f.metapool.accountId, alice.accountId),
        theirs: shapes(theirs, real.accountId, alice.accountId),
      };
    };
    const steps: [string, Record<string, unknown>, bigint][] = [
      ['deposit', {}, 50n * NEAR],
      ['deposit_and_stake', {}, 100n * NEAR],
      ['stake', { amount: (20n * NEAR).toString() }, 0n],
      // before any unstake: NEAR's pool locks the whole unstaked balance at each unstake
      ['withdraw', { amount: (10n * NEAR).toString() }, 0n],
      ['unstake', { amount: (30n * NEAR).toString() }, 0n],
    ];
    for (const [method, args, deposit] of steps) {
      const { ours, theirs } = await both(method, args, deposit);
      expect(theirs.length).toBeGreaterThan(0);
      expect(ours).toEqual(theirs);
      if (method === 'withdraw')
        expect(ours).toEqual(['@ACCOUNT withdrawing N. New unstaked balance is N']);
    }
  });

  it("rewards are logged per epoch like the real pool's, with the fee in shares", async () => {
    const f = await setup({ pools: 1, users: ['alice'], init: { reward_fee_bps: 1_000 } });
    await f.users.alice.call(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 1_000n * NEAR, gas: USER_GAS },
    );
    await pingUntilIdle(f);
    await f.net.fastForwardEpochs(2);
    const steps = await f.owner.callRaw(f.metapool, 'ping', {}, { gas: 300n * 10n ** 12n });
    const ours = logsOf(steps, f.metapool.accountId);
    const lines = ours.filter((l) => l.startsWith('Epoch '));
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(
      /^Epoch \d+: Contract received total rewards of \d+ tokens\. New total staked balance is \d+\. Total number of shares \d+$/,
    );
    expect(ours).toContainEqual(expect.stringMatching(/^Total rewards fee is \d+ stake shares\.$/));
  });
});

describe('staking-pool views wallets and explorers call', () => {
  it('get_number_of_accounts and get_accounts list every registered account, paged', async () => {
    const f = await setup({ pools: 1, users: ['a', 'b', 'c'] });
    const count = async () => (await f.metapool.view('get_number_of_accounts', {})) as number;
    const start = await count(); // the treasury
    expect(start).toBe(1);
    for (const u of [f.users.a, f.users.b, f.users.c] as Account[]) {
      await u.call(
        f.metapool,
        'deposit_and_stake',
        {},
        { attachedDeposit: 10n * NEAR, gas: USER_GAS },
      );
    }
    expect(await count()).toBe(4);
    const page1 = (await f.metapool.view('get_accounts', { from_index: 0, limit: 2 })) as {
      account_id: string;
    }[];
    const page2 = (await f.metapool.view('get_accounts', { from_index: 2, limit: 2 })) as {
      account_id: string;
    }[];
    const ids = [...page1, ...page2].map((a) => a.account_id);
    expect(new Set(ids)).toEqual(
      new Set([
        f.treasury.accountId,
        f.users.a.accountId,
        f.users.b.accountId,
        f.users.c.accountId,
      ]),
    );
    expect(page2[1]).toMatchObject({ staked_balance: expect.any(String), can_withdraw: true });
    // an account that leaves is removed from the list (the last one moves into its place)
    await f.users.a.call(f.metapool, 'unstake_all', {}, { gas: USER_GAS });
    await epochs(f, 5);
    await f.users.a.call(f.metapool, 'withdraw_all', {}, { gas: USER_GAS });
    await f.users.a.call(
      f.metapool,
      'storage_unregister',
      {},
      { attachedDeposit: 1n, gas: USER_GAS },
    );
    expect(await count()).toBe(3);
    const all = (await f.metapool.view('get_accounts', { from_index: 0, limit: 100 })) as {
      account_id: string;
    }[];
    expect(all.map((a) => a.account_id)).not.toContain(f.users.a.accountId);
    expect(all).toHaveLength(3);
    const bad = await f.metapool
      .view('get_accounts', { from_index: 0, limit: 101 })
      .catch((e: Error) => e.message);
    expect(String(bad)).toMatch(/E_BAD_ARGS: limit must be a whole number in 0\.\.100/);
  });

  it('ft_price, get_total_staked_balance and get_stake_distribution account for every NEAR', async () => {
    const f = await setup({ pools: 2, users: ['alice', 'lp'] });
    await f.users.lp.call(
      f.metapool,
      'add_liquidity',
      {},
      { attachedDeposit: 500n * NEAR, gas: USER_GAS },
    );
    await f.users.alice.call(
      f.metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 2_000n * NEAR, gas: USER_GAS },
    );
    await epochs(f, 2);
    await f.users.alice.call(
      f.metapool,
      'unstake',
      { amount: (300n * NEAR).toString() },
      { gas: USER_GAS },
    );
    await pingUntilIdle(f);
    const s = await contractState(f);
    const total = BigInt((await f.metapool.view('get_total_staked_balance', {})) as string);
    expect(total).toBe(BigInt(s.total_staked_near) + BigInt(s.owed_near) + BigInt(s.liquidity));
    const price = BigInt((await f.metapool.view('ft_price', {})) as string);
    expect(price).toBe((NEAR * BigInt(s.total_staked_near)) / BigInt(s.total_snear));
    expect(price).toBeGreaterThan(NEAR); // rewards accrued
    const d = (await f.metapool.view('get_stake_distribution', {})) as {
      total_near: string;
      at_validators_near: string;
      in_contract: Record<string, string>;
      validators: { staked_near: string; unstaked_near: string }[];
    };
    expect(BigInt(d.total_near)).toBe(total);
    const atValidators = d.validators.reduce(
      (sum, v) => sum + BigInt(v.staked_near) + BigInt(v.unstaked_near),
      0n,
    );
    expect(atValidators).toBe(BigInt(d.at_validators_near));
    // every NEAR is at a validator or in the contract (the rounding fund is the protocol's own)
    const inContract =
      BigInt(d.in_contract.reserve_near) +
      BigInt(d.in_contract.retrieved_near) +
      BigInt(d.in_contract.liquidity_near);
    expect(atValidators + inContract).toBe(total);
  });
});
