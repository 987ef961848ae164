// The staking-pool stand-in on localnet: unlock timer, share rounding, rewards and fees, faults.
import { existsSync } from 'node:fs';
import { type Account, Localnet, wasmEngineUnavailableReason } from '@snear/localnet';
import {
  contractPath,
  deployPool,
  MAX_GAS,
  NEAR,
  poolBalances,
  STAKE_PUBLIC_KEY,
  viewU128,
} from './support/core-contracts';

const UNLOCK_DELAY = 'The unstaked balance is not yet available due to unstaking delay';
const ZERO_RATE = { num: 0n, den: 1n };

describe('staking pool (vm engine)', () => {
  let net: Localnet;
  let root: Account;
  let owner: Account;
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    net = await Localnet.init({ epochLength: 100 });
    root = net.root;
    owner = await root.createSubAccount('owner', { initialBalance: 1_000n * NEAR });
    alice = await root.createSubAccount('alice', { initialBalance: 10_000n * NEAR });
    bob = await root.createSubAccount('bob', { initialBalance: 10_000n * NEAR });
  });

  /** Runs `steps` on a snapshot of the chain and rolls back afterwards, pass or fail. */
  async function onSnapshot<T>(steps: () => Promise<T>): Promise<T> {
    const snap = net.snapshot();
    try {
      return await steps();
    } finally {
      net.restore(snap);
    }
  }

  describe('unlock timer', () => {
    let pool: Account;
    beforeAll(async () => {
      pool = await deployPool(root, 'timer-pool', owner, { numerator: 0, denominator: 1 });
      // No staking rewards (only the contract's share of burnt gas moves the share price).
      net.setRewardRate(pool.accountId, ZERO_RATE);
      await alice.call(
        pool,
        'deposit_and_stake',
        {},
        { gas: MAX_GAS, attachedDeposit: 100n * NEAR },
      );
    });

    it('releases an unstake exactly 4 epochs later, and refuses earlier with the real message', () =>
      onSnapshot(async () => {
        await alice.call(pool, 'unstake', { amount: (10n * NEAR).toString() }, { gas: MAX_GAS });
        const account = (await pool.view('get_account', { account_id: alice.accountId })) as {
          unstaked_balance: string;
          can_withdraw: boolean;
        };
        // At least what was asked (share value rounded down, never below the request).
        const unstaked = BigInt(account.unstaked_balance);
        expect(unstaked - 10n * NEAR).toBeGreaterThanOrEqual(0n);
        expect(unstaked - 10n * NEAR).toBeLessThanOrEqual(1n);
        expect(account.can_withdraw).toBe(false);
        await net.fastForwardEpochs(3);
        await expect(
          alice.call(pool, 'withdraw', { amount: unstaked.toString() }, { gas: MAX_GAS }),
        ).rejects.toThrow(UNLOCK_DELAY);
        await net.fastForwardEpochs(1);
        expect(
          await pool.view('is_account_unstaked_balance_available', {
            account_id: alice.accountId,
          }),
        ).toBe(true);
        const before = (await alice.balance()).total;
        await alice.call(pool, 'withdraw', { amount: unstaked.toString() }, { gas: MAX_GAS });
        const received = (await alice.balance()).total - before;
        // The unstaked NEAR arrived, minus this call's gas (far below 0.1 NEAR).
        expect(received).toBeGreaterThan(unstaked - NEAR / 10n);
        expect(received).toBeLessThanOrEqual(unstaked);
        expect((await poolBalances(pool, alice.accountId)).unstaked).toBe(0n);
      }));

    it('a second unstake in a later epoch re-locks the whole unstaked balance', () =>
      onSnapshot(async () => {
        await alice.call(pool, 'unstake', { amount: (10n * NEAR).toString() }, { gas: MAX_GAS });
        await net.fastForwardEpochs(2);
        await alice.call(pool, 'unstake', { amount: (5n * NEAR).toString() }, { gas: MAX_GAS });
        // 4 epochs after the first unstake its 10 NEAR would be free, but they are re-locked.
        await net.fastForwardEpochs(2);
        expect(
          await pool.view('is_account_unstaked_balance_available', {
            account_id: alice.accountId,
          }),
        ).toBe(false);
        await expect(
          alice.call(pool, 'withdraw', { amount: (10n * NEAR).toString() }, { gas: MAX_GAS }),
        ).rejects.toThrow(UNLOCK_DELAY);
        await expect(alice.call(pool, 'withdraw_all', {}, { gas: MAX_GAS })).rejects.toThrow(
          UNLOCK_DELAY,
        );
        await net.fastForwardEpochs(2);
        const unstaked = (await poolBalances(pool, alice.accountId)).unstaked;
        expect(unstaked).toBeGreaterThanOrEqual(15n * NEAR);
        const before = (await alice.balance()).total;
        await alice.call(pool, 'withdraw_all', {}, { gas: MAX_GAS });
        expect((await alice.balance()).total - before).toBeGreaterThan(unstaked - NEAR / 10n);
        expect((await poolBalances(pool, alice.accountId)).unstaked).toBe(0n);
      }));

    it('`stake` re-stakes a pending unstake without a new deposit', () =>
      onSnapshot(async () => {
        const start = await poolBalances(pool, alice.accountId);
        await alice.call(pool, 'unstake', { amount: (30n * NEAR).toString() }, { gas: MAX_GAS });
        const { unstaked } = await poolBalances(pool, alice.accountId);
        await alice.call(pool, 'stake', { amount: unstaked.toString() }, { gas: MAX_GAS });
        const after = await poolBalances(pool, alice.accountId);
        // Back to staked, losing at most the rounding of two conversions.
        expect(after.unstaked).toBeLessThanOrEqual(1n);
        expect(after.staked).toBeLessThanOrEqual(start.staked);
        expect(start.staked - after.staked).toBeLessThanOrEqual(2n);
        await alice.call(pool, 'unstake', { amount: NEAR.toString() }, { gas: MAX_GAS });
        await alice.call(pool, 'stake_all', {}, { gas: MAX_GAS });
        expect((await poolBalances(pool, alice.accountId)).staked).toBeGreaterThan(
          start.staked - 5n,
        );
      }));

    it('withdraw checks the balance before the timer, with the real messages', async () => {
      await expect(
        bob.call(pool, 'withdraw', { amount: (1n * NEAR).toString() }, { gas: MAX_GAS }),
      ).rejects.toThrow('Not enough unstaked balance to withdraw');
      await expect(bob.call(pool, 'withdraw_all', {}, { gas: MAX_GAS })).rejects.toThrow(
        'Withdrawal amount should be positive',
      );
      await expect(bob.call(pool, 'stake', { amount: '0' }, { gas: MAX_GAS })).rejects.toThrow(
        'Staking amount should be positive',
      );
      await expect(bob.call(pool, 'unstake', { amount: '0' }, { gas: MAX_GAS })).rejects.toThrow(
        'Unstaking amount should be positive',
      );
    });
  });

  describe('share rounding', () => {
    let pool: Account;
    let carol: Account;

    beforeAll(async () => {
      pool = await deployPool(root, 'round-pool', owner, { numerator: 7, denominator: 97 });
      net.setRewardRate(pool.accountId, { num: 37n, den: 1_000n });
      carol = await root.createSubAccount('carol', { initialBalance: 10_000n * NEAR });
      await alice.call(
        pool,
        'deposit_and_stake',
        {},
        { gas: MAX_GAS, attachedDeposit: 333n * NEAR + 7n },
      );
      await net.fastForwardEpochs(4);
      await alice.call(pool, 'ping', {}, { gas: MAX_GAS });
      // The share price is now above 1 and not an integer ratio.
      expect((await poolBalances(pool, alice.accountId)).staked).toBeGreaterThan(333n * NEAR + 7n);
    });

    /** Runs `steps` for carol from a snapshot and returns her balances; restores the chain. */
    async function carolAfter(
      steps: () => Promise<void>,
    ): Promise<{ staked: bigint; unstaked: bigint; total: bigint }> {
      return onSnapshot(async () => {
        // Both runs start at an epoch boundary and stay inside one epoch, so neither sees a reward
        // distribution (staking rewards or the pool's own gas rewards) that the other does not.
        await net.fastForwardEpochs(1);
        const epoch = net.epochHeight();
        await carol.call(pool, 'deposit', {}, { gas: MAX_GAS, attachedDeposit: 100n * NEAR });
        await steps();
        expect(net.epochHeight()).toBe(epoch);
        return poolBalances(pool, carol.accountId);
      });
    }

    const amount = 12_345_678_901_234_567_890_123n;

    it('staking in pieces never yields more than staking whole', async () => {
      const whole = await carolAfter(async () => {
        await carol.call(pool, 'stake', { amount: amount.toString() }, { gas: MAX_GAS });
      });
      const pieces = await carolAfter(async () => {
        const piece = amount / 7n;
        for (let i = 0; i < 6; i++) {
          await carol.call(pool, 'stake', { amount: piece.toString() }, { gas: MAX_GAS });
        }
        await carol.call(
          pool,
          'stake',
          { amount: (amount - 6n * piece).toString() },
          { gas: MAX_GAS },
        );
      });
      expect(whole.total).toBeLessThanOrEqual(100n * NEAR);
      expect(pieces.total).toBeLessThanOrEqual(whole.total);
      // Rounding costs at most a few yocto per call, never the amount itself.
      expect(whole.total - pieces.total).toBeLessThan(100n);
    });

    it('unstaking in pieces (down to 1 yocto) never yields more than unstaking whole', async () => {
      const whole = await carolAfter(async () => {
        await carol.call(pool, 'stake_all', {}, { gas: MAX_GAS });
        await carol.call(pool, 'unstake', { amount: '5' }, { gas: MAX_GAS });
        await carol.call(pool, 'unstake', { amount: amount.toString() }, { gas: MAX_GAS });
      });
      const pieces = await carolAfter(async () => {
        await carol.call(pool, 'stake_all', {}, { gas: MAX_GAS });
        for (let i = 0; i < 5; i++) {
          await carol.call(pool, 'unstake', { amount: '1' }, { gas: MAX_GAS });
        }
        const piece = amount / 3n;
        await carol.call(pool, 'unstake', { amount: piece.toString() }, { gas: MAX_GAS });
        await carol.call(pool, 'unstake', { amount: piece.toString() }, { gas: MAX_GAS });
        await carol.call(
          pool,
          'unstake',
          { amount: (amount - 2n * piece).toString() },
          { gas: MAX_GAS },
        );
      });
      expect(whole.unstaked).toBeGreaterThanOrEqual(amount + 5n);
      expect(pieces.unstaked).toBeGreaterThanOrEqual(amount + 5n);
      // Neither way gains over the 100 NEAR deposited. Each unstake leaves its rounding dust in
      // the pool, where it raises the share price for every holder, Carol included: which run
      // leaves more dust depends on the share price (set by earlier rewards), so the two totals,
      // each floored by the views, may differ by one yocto either way.
      expect(whole.total).toBeLessThanOrEqual(100n * NEAR);
      expect(pieces.total).toBeLessThanOrEqual(100n * NEAR);
      expect(pieces.total).toBeLessThanOrEqual(whole.total + 1n);
    });

    it('unstake_all burns every share: nothing stays staked', async () => {
      const after = await carolAfter(async () => {
        await carol.call(pool, 'stake_all', {}, { gas: MAX_GAS });
        await carol.call(pool, 'unstake_all', {}, { gas: MAX_GAS });
      });
      expect(after.staked).toBe(0n);
      expect(after.unstaked).toBeLessThanOrEqual(100n * NEAR);
      expect(after.unstaked).toBeGreaterThan(100n * NEAR - 10n);
    });
  });

  describe('rewards and the owner fee', () => {
    const fee = { numerator: 13, denominator: 100 };
    const rate = { num: 3n, den: 1_000n };

    it('match the localnet reward rate and the fee formula epoch by epoch; offline earns nothing', () =>
      onSnapshot(async () => {
        const pool = await deployPool(root, 'reward-pool', owner, fee);
        net.setRewardRate(pool.accountId, rate);
        const epoch0 = net.epochHeight();
        const initialStake = await viewU128(pool, 'get_total_staked_balance');
        const deposit = 1_000n * NEAR;
        await alice.call(pool, 'deposit_and_stake', {}, { gas: MAX_GAS, attachedDeposit: deposit });
        expect(net.epochHeight()).toBe(epoch0);

        // Mirror of the pool (shares) and of localnet's staking (targets, validator sets).
        let totalStaked = initialStake + deposit;
        let totalShares = totalStaked;
        let ownerShares = 0n;
        const aliceShares = deposit; // price 1 when she staked
        // last_total_balance = init balance (stake + 1e12 fund) + deposit
        let lastTotal = initialStake + 1_000_000_000_000n + deposit;
        let target = totalStaked;
        const sets = new Map<number, bigint>();
        const offlineEpochs = new Set([epoch0 + 7, epoch0 + 8]);

        for (let epoch = epoch0 + 1; epoch <= epoch0 + 10; epoch++) {
          const before = (await pool.balance()).total;
          if (offlineEpochs.has(epoch - 1)) net.setValidatorOnline(pool.accountId, false);
          await net.fastForwardEpochs(1);
          net.setValidatorOnline(pool.accountId, true);
          expect(net.epochHeight()).toBe(epoch);
          // Transition into `epoch`: reward for epoch-1's set, compounding into the target.
          const stake = sets.get(epoch - 1);
          const reward =
            stake !== undefined && !offlineEpochs.has(epoch - 1)
              ? (stake * rate.num) / rate.den
              : 0n;
          target += reward;
          sets.set(epoch + 1, target);
          const after = (await pool.balance()).total;
          expect(after - before).toBe(reward);

          await bob.call(pool, 'ping', {}, { gas: MAX_GAS });
          // The pool recognises everything that arrived since the last ping (rewards and the
          // contract's share of burnt gas), takes the fee in shares, and restakes the new total.
          const recognised = after - lastTotal;
          lastTotal = after;
          const ownersFee = (recognised * BigInt(fee.numerator)) / BigInt(fee.denominator);
          totalStaked += recognised - ownersFee;
          const feeShares = (ownersFee * totalShares) / totalStaked;
          ownerShares += feeShares;
          totalShares += feeShares;
          totalStaked += ownersFee;
          target = totalStaked;
          expect(await viewU128(pool, 'get_total_staked_balance')).toBe(totalStaked);
        }
        const staked = (shares: bigint) => (shares * totalStaked) / totalShares;
        expect((await poolBalances(pool, alice.accountId)).staked).toBe(staked(aliceShares));
        expect((await poolBalances(pool, owner.accountId)).staked).toBe(staked(ownerShares));
        expect(ownerShares).toBeGreaterThan(0n);
        // Alice earned the rewards of 10 epochs less 2 offline ones, net of the fee.
        expect(staked(aliceShares)).toBeGreaterThan(deposit);
      }));
  });

  it('survives slashing: the loss is spread over all shares and the pool keeps working', () =>
    onSnapshot(async () => {
      const pool = await deployPool(root, 'slash-pool', owner, { numerator: 0, denominator: 1 });
      net.setRewardRate(pool.accountId, ZERO_RATE);
      await alice.call(
        pool,
        'deposit_and_stake',
        {},
        { gas: MAX_GAS, attachedDeposit: 100n * NEAR },
      );
      // A first ping recognises the setup's gas refunds and rewards, so only the slash is left.
      await net.fastForwardEpochs(1);
      await bob.call(pool, 'ping', {}, { gas: MAX_GAS });
      const totalBefore = await viewU128(pool, 'get_total_staked_balance');
      const aliceBefore = (await poolBalances(pool, alice.accountId)).staked;
      const taken = net.slash(pool.accountId, { num: 1n, den: 10n });
      expect(taken).toBeGreaterThan(0n);
      await net.fastForwardEpochs(1);
      await bob.call(pool, 'ping', {}, { gas: MAX_GAS });
      // Everyone loses pro rata (the contract's share of the last ping's gas softens it a hair).
      const totalAfter = await viewU128(pool, 'get_total_staked_balance');
      expect(totalBefore - totalAfter).toBeGreaterThan(taken - NEAR / 1_000n);
      expect(totalBefore - totalAfter).toBeLessThanOrEqual(taken);
      const aliceAfter = (await poolBalances(pool, alice.accountId)).staked;
      expect(aliceAfter * totalBefore).toBeLessThanOrEqual(aliceBefore * totalAfter + totalBefore);
      expect(aliceAfter).toBeLessThan(aliceBefore);
      await alice.call(pool, 'unstake_all', {}, { gas: MAX_GAS });
      expect((await poolBalances(pool, alice.accountId)).unstaked).toBe(aliceAfter);
    }));

  describe('bad input and unauthorised calls', () => {
    let pool: Account;
    beforeAll(async () => {
      pool = await deployPool(root, 'guard-pool', owner, { numerator: 1, denominator: 10 });
      await alice.call(
        pool,
        'deposit_and_stake',
        {},
        { gas: MAX_GAS, attachedDeposit: 50n * NEAR },
      );
    });

    async function expectCleanFailure(
      caller: Account,
      method: string,
      args: unknown,
      message: string,
      attachedDeposit = 0n,
    ): Promise<void> {
      const stateBefore = await pool.viewState();
      const poolBefore = (await pool.balance()).total;
      const callerBefore = (await caller.balance()).total;
      const outcome = await caller.callRaw(pool, method, args, { attachedDeposit, gas: MAX_GAS });
      expect(outcome.status).toBe('failure');
      expect(outcome.failureMessage).toContain(message);
      const stateAfter = await pool.viewState();
      expect(stateAfter.entries()).toEqual(stateBefore.entries());
      // The deposit came back: the caller paid gas only, the pool kept nothing but its gas share.
      expect(callerBefore - (await caller.balance()).total).toBeLessThan(NEAR / 10n);
      expect((await pool.balance()).total - poolBefore).toBeLessThan(NEAR / 10n);
    }

    it('rejects malformed amounts', async () => {
      for (const amount of ['abc', '-1', '1.5', 5, null, `${1n << 128n}`]) {
        await expectCleanFailure(
          alice,
          'unstake',
          { amount },
          'Failed to deserialize input from JSON',
        );
      }
    });

    it('rejects over-spending with the real messages', async () => {
      await expectCleanFailure(
        alice,
        'unstake',
        { amount: (51n * NEAR).toString() },
        'Not enough staked balance to unstake',
      );
      await expectCleanFailure(
        alice,
        'stake',
        { amount: (1n * NEAR).toString() },
        'Not enough unstaked balance to stake',
      );
    });

    it('refunds a deposit sent to a method that takes none', async () => {
      await expectCleanFailure(
        alice,
        'unstake',
        { amount: NEAR.toString() },
        'Function is not payable',
        10n * NEAR,
      );
    });

    it('refunds the deposit of a re-initialisation', async () => {
      await expectCleanFailure(
        bob,
        'new',
        {
          owner_id: bob.accountId,
          stake_public_key: STAKE_PUBLIC_KEY,
          reward_fee_fraction: { numerator: 0, denominator: 1 },
        },
        'Contract already initialized',
        5n * NEAR,
      );
    });

    it('keeps owner methods and callbacks to their callers', async () => {
      await expectCleanFailure(
        alice,
        'update_reward_fee_fraction',
        { reward_fee_fraction: { numerator: 0, denominator: 1 } },
        'Can only be called by the owner',
      );
      await expectCleanFailure(alice, 'pause_staking', {}, 'Can only be called by the owner');
      await expectCleanFailure(alice, 'on_stake_action', {}, 'Function is private');
    });

    it('refuses an invalid init and stays uninitialised', async () => {
      const fresh = await root.createSubAccount('fresh-pool', { initialBalance: 30n * NEAR });
      await fresh.deploy(contractPath('staking-pool'));
      await expect(
        fresh.call(
          fresh,
          'new',
          {
            owner_id: owner.accountId,
            stake_public_key: STAKE_PUBLIC_KEY,
            reward_fee_fraction: { numerator: 2, denominator: 1 },
          },
          { gas: MAX_GAS },
        ),
      ).rejects.toThrow('The reward fee must be less or equal to 1');
      await expect(
        fresh.call(
          fresh,
          'new',
          {
            owner_id: owner.accountId,
            stake_public_key: 'ed25519:not-base58!',
            reward_fee_fraction: { numerator: 0, denominator: 1 },
          },
          { gas: MAX_GAS },
        ),
      ).rejects.toThrow('stake_public_key');
      await expect(fresh.view('get_owner_id')).rejects.toThrow('Contract must be initialized');
    });

    it('owner methods work for the owner', async () => {
      await owner.call(
        pool,
        'update_reward_fee_fraction',
        {
          reward_fee_fraction: { numerator: 3, denominator: 20 },
        },
        { gas: MAX_GAS },
      );
      expect(await pool.view('get_reward_fee_fraction')).toEqual({ numerator: 3, denominator: 20 });
      await owner.call(pool, 'pause_staking', {}, { gas: MAX_GAS });
      expect(await pool.view('is_staking_paused')).toBe(true);
      await owner.call(pool, 'resume_staking', {}, { gas: MAX_GAS });
      expect(await pool.view('is_staking_paused')).toBe(false);
      expect(await pool.view('get_number_of_accounts')).toBe(1);
      expect(await pool.view('get_accounts', { from_index: 0, limit: 10 })).toEqual([
        await pool.view('get_account', { account_id: alice.accountId }),
      ]);
    });
  });

  it('stakes on the chain: the Stake action locks the total and joins the validator set', () =>
    onSnapshot(async () => {
      const pool = await deployPool(root, 'seen-pool', owner, { numerator: 0, denominator: 1 });
      await alice.call(
        pool,
        'deposit_and_stake',
        {},
        { gas: MAX_GAS, attachedDeposit: 200n * NEAR },
      );
      const proposed = await viewU128(pool, 'get_total_staked_balance');
      expect((await pool.balance()).staked).toBe(proposed);
      expect(net.validators().has(pool.accountId)).toBe(false);
      // Proposals of epoch E choose the validators of E+2.
      await net.fastForwardEpochs(2);
      expect(net.validators().get(pool.accountId)).toBe(proposed);
    }));
});

const wasmUnavailable = existsSync(contractPath('staking-pool').replace(/\.js$/, '.wasm'))
  ? wasmEngineUnavailableReason()
  : 'contracts/build/staking-pool.wasm is not built (make contracts)';
// Skipped, and says why, while localnet's wasm engine or the wasm build is missing.
(wasmUnavailable ? describe.skip : describe)(
  `staking pool (wasm engine smoke)${wasmUnavailable ? ` [skipped: ${wasmUnavailable}]` : ''}`,
  () => {
    let net: Localnet;
    let alice: Account;
    let pool: Account;

    beforeAll(async () => {
      net = await Localnet.init({ engine: 'wasm', epochLength: 100 });
      const owner = await net.root.createSubAccount('owner', { initialBalance: 100n * NEAR });
      alice = await net.root.createSubAccount('alice', { initialBalance: 1_000n * NEAR });
      pool = await deployPool(net.root, 'pool', owner, { numerator: 1, denominator: 10 });
      net.setRewardRate(pool.accountId, ZERO_RATE);
    });

    it('deposits, stakes, unstakes and withdraws after the unlock delay', async () => {
      await alice.call(
        pool,
        'deposit_and_stake',
        {},
        { gas: MAX_GAS, attachedDeposit: 100n * NEAR },
      );
      await alice.call(pool, 'unstake', { amount: (40n * NEAR).toString() }, { gas: MAX_GAS });
      const { staked, unstaked } = await poolBalances(pool, alice.accountId);
      expect(unstaked).toBeGreaterThanOrEqual(40n * NEAR);
      expect(staked).toBeGreaterThanOrEqual(60n * NEAR - 1n);
      await expect(alice.call(pool, 'withdraw_all', {}, { gas: MAX_GAS })).rejects.toThrow(
        UNLOCK_DELAY,
      );
      await net.fastForwardEpochs(4);
      const before = (await alice.balance()).total;
      await alice.call(pool, 'withdraw_all', {}, { gas: MAX_GAS });
      expect((await alice.balance()).total - before).toBeGreaterThan(unstaked - NEAR / 10n);
      expect((await poolBalances(pool, alice.accountId)).unstaked).toBe(0n);
    });

    // Guards the build's QuickJS fix: libbf's `bf_set_ui` shifted by 32 on wasm32, so a u64 with
    // its top bit set gained bits and 100 NEAR arrived as 100.000002305843009213693952.
    it('credits an attached deposit to the yocto (u128 from the host)', async () => {
      const bob = await net.root.createSubAccount('bob', { initialBalance: 1_000n * NEAR });
      await bob.call(pool, 'deposit', {}, { gas: MAX_GAS, attachedDeposit: 100n * NEAR });
      expect((await poolBalances(pool, bob.accountId)).unstaked).toBe(100n * NEAR);
    });
  },
);
