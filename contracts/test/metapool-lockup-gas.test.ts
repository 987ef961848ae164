// NEAR's real lockup contract (core-contracts lockup_contract.wasm) and whitelist staking through
// the metapool on localnet's wasm engine: the balance views it calls with 25 Tgas
// (get_account_total_balance on refresh, get_account_unstaked_balance on withdraw-all,
// get_account_staked_balance on the foundation's termination) must burn at most half of it, and
// the 75 Tgas pool calls (deposit_and_stake, unstake, withdraw) at most half of theirs.
import type { Account, CallOutcome } from '@snear/localnet';
import { type FunctionCallReceipt, functionCallReceipts } from '../deploy/mainnet-wasm';
import { epochs, type Fixture, NEAR, pingUntilIdle, TGAS } from './metapool-fixture';
import {
  type LockupFixture,
  lockupCall,
  newLockup,
  selectMetapool,
  setupLockups,
} from './support/real-lockup';
import { wasmGasSkipReason } from './support/wasm-gas';

jest.setTimeout(180_000);

/** What the lockup attaches to a balance view (core-contracts lockup/src/gas.rs: BASE_GAS). */
const VIEW_GAS = 25n * TGAS;
/** What it attaches to deposit_and_stake, unstake, withdraw (3 × BASE_GAS). */
const POOL_CALL_GAS = 75n * TGAS;

const tg = (g: bigint) => `${(Number(g) / 1e12).toFixed(2)} Tgas`;

/** The one receipt in which the metapool ran `method`, checked against what the lockup attached. */
function metapoolReceipt(
  out: CallOutcome,
  metapool: Account,
  method: string,
  attached: bigint,
): FunctionCallReceipt {
  const found = functionCallReceipts(out).filter(
    (r) => r.receiver === metapool.accountId && r.method === method,
  );
  expect(found).toHaveLength(1);
  const r = found[0];
  expect(r.attachedGas).toBe(attached);
  return r;
}

/** Every receipt the lockup sent the metapool burnt at most half the gas attached to it. */
function expectHalfOrLess(out: CallOutcome, metapool: Account): void {
  const over = functionCallReceipts(out)
    .filter((r) => r.receiver === metapool.accountId && r.gasBurnt * 2n > r.attachedGas)
    .map((r) => `${r.method}: burnt ${tg(r.gasBurnt)} of ${tg(r.attachedGas)}`);
  expect(over).toEqual([]);
}

const reason = wasmGasSkipReason();
(reason ? describe.skip : describe)(
  `the real lockup's 25 Tgas balance views on the wasm build${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    let lf: LockupFixture;
    let f: Fixture;
    let owner: Account;
    let foundation: Account;
    let lockup: Account;
    const ownerCall = (method: string, args: Record<string, unknown> = {}) =>
      lockupCall(owner, lockup, method, args);

    beforeAll(async () => {
      // the metapool's wasm build; the lockups' real whitelist lists it (the foundation added it)
      lf = await setupLockups({ engine: 'wasm' });
      ({ f, owner, foundation } = lf);
      lockup = await newLockup(lf, 'a1b2c3');
      expect((await selectMetapool(lf, lockup)).value).toBe(true);
    });

    it('deposit_and_stake (75 Tgas) burns at most half', async () => {
      const out = await ownerCall('deposit_and_stake', { amount: (600n * NEAR).toString() });
      expect(out.value).toBe(true);
      const r = metapoolReceipt(out, f.metapool, 'deposit_and_stake', POOL_CALL_GAS);
      expect(r.ok).toBe(true);
      expectHalfOrLess(out, f.metapool);
      await pingUntilIdle(f);
    });

    it('refresh_staking_pool_balance: get_account_total_balance burns at most 12.5 of its 25 Tgas', async () => {
      await epochs(f, 2); // rewards, so the refreshed balance is above the deposit
      const out = await ownerCall('refresh_staking_pool_balance');
      expect(out.status).toBe('success');
      const r = metapoolReceipt(out, f.metapool, 'get_account_total_balance', VIEW_GAS);
      expect(r.ok).toBe(true);
      expect(r.gasBurnt).toBeLessThanOrEqual(VIEW_GAS / 2n);
      const known = BigInt((await lockup.view('get_known_deposited_balance')) as string);
      expect(known).toBeGreaterThan(600n * NEAR);
    });

    it('withdraw_all_from_staking_pool: get_account_unstaked_balance burns at most 12.5 of its 25 Tgas, withdraw at most half of 75', async () => {
      const unstake = await ownerCall('unstake', { amount: (250n * NEAR).toString() });
      expect(unstake.value).toBe(true);
      metapoolReceipt(unstake, f.metapool, 'unstake', POOL_CALL_GAS);
      expectHalfOrLess(unstake, f.metapool);
      const schedule = (await f.metapool.view('get_account_unstake_schedule', {
        account_id: lockup.accountId,
      })) as { buckets: { unlock_epoch: number }[] };
      const unlock = schedule.buckets[0].unlock_epoch;
      while (f.net.epochHeight() < unlock) await epochs(f, 1);
      await pingUntilIdle(f);

      const out = await ownerCall('withdraw_all_from_staking_pool');
      expect(out.value).toBe(true);
      const view = metapoolReceipt(out, f.metapool, 'get_account_unstaked_balance', VIEW_GAS);
      expect(view.ok).toBe(true);
      expect(view.gasBurnt).toBeLessThanOrEqual(VIEW_GAS / 2n);
      const withdraw = metapoolReceipt(out, f.metapool, 'withdraw', POOL_CALL_GAS);
      expect(withdraw.ok).toBe(true);
      expectHalfOrLess(out, f.metapool);
    });

    it("the foundation's termination: get_account_staked_balance burns at most 12.5 of its 25 Tgas", async () => {
      const now = f.net.chain.block().timestampNs;
      const vesting = await newLockup(lf, 'd4e5f6', {
        // barely started: nearly everything is unvested, so termination has a deficit to unstake
        vesting: {
          start_timestamp: (now - 1n).toString(),
          cliff_timestamp: (now - 1n).toString(),
          end_timestamp: (now + 10n ** 18n).toString(),
        },
      });
      const call = (who: Account, method: string, args: Record<string, unknown> = {}) =>
        lockupCall(who, vesting, method, args);
      expect((await selectMetapool(lf, vesting)).value).toBe(true);
      const stake = await call(owner, 'deposit_and_stake', { amount: (900n * NEAR).toString() });
      expect(stake.value).toBe(true);
      expectHalfOrLess(stake, f.metapool);
      expect((await call(foundation, 'terminate_vesting')).status).toBe('success');

      const out = await call(foundation, 'termination_prepare_to_withdraw');
      expect(out.value).toBe(true);
      const view = metapoolReceipt(out, f.metapool, 'get_account_staked_balance', VIEW_GAS);
      expect(view.ok).toBe(true);
      expect(view.gasBurnt).toBeLessThanOrEqual(VIEW_GAS / 2n);
      // the lockup's callback unstakes everything it read
      const unstake = metapoolReceipt(out, f.metapool, 'unstake', POOL_CALL_GAS);
      expect(unstake.ok).toBe(true);
      expectHalfOrLess(out, f.metapool);
      expect(
        BigInt(
          (await f.metapool.view('get_account_staked_balance', {
            account_id: vesting.accountId,
          })) as string,
        ),
      ).toBe(0n);
    });
  },
);
