// The lockup stand-in on localnet: whitelist check, the staking cycle through a real staking pool,
// mainnet's gas per pool call, callbacks that undo nothing on failure, owner-only access.
import type { Account, CallOutcome } from '@snear/localnet';
import { Localnet } from '@snear/localnet';
import {
  contractPath,
  deployPool,
  deployWhitelist,
  MAX_GAS,
  NEAR,
  poolBalances,
  TGAS,
  viewU128,
} from './support/core-contracts';

const NOT_OWNER = 'Can only be called by the owner';
/** Far in the future (ns): the lockup stays locked for the whole test. */
const LOCKED_UNTIL = (2n ** 63n).toString();

describe('lockup', () => {
  let net: Localnet;
  let owner: Account;
  let stranger: Account;
  let foundation: Account;
  let whitelist: Account;
  let pool: Account;
  let roguePool: Account;
  let lockup: Account;

  /** Owner calls with gas for the whole lockup → pool → callback chain. */
  const ownerCall = (method: string, args: Record<string, unknown> = {}) =>
    owner.call(lockup, method, args, { gas: MAX_GAS });
  const ownerCallRaw = (method: string, args: Record<string, unknown> = {}): Promise<CallOutcome> =>
    owner.callRaw(lockup, method, args, { gas: MAX_GAS });
  const known = () => viewU128(lockup, 'get_known_deposited_balance');

  beforeAll(async () => {
    net = await Localnet.init({ epochLength: 100 });
    const root = net.root;
    owner = await root.createSubAccount('owner', { initialBalance: 100n * NEAR });
    stranger = await root.createSubAccount('stranger', { initialBalance: 100n * NEAR });
    foundation = await root.createSubAccount('foundation', { initialBalance: 100n * NEAR });
    const poolOwner = await root.createSubAccount('validator', { initialBalance: 100n * NEAR });

    whitelist = await deployWhitelist(root, foundation);
    pool = await deployPool(root, 'pool', poolOwner, { numerator: 10, denominator: 100 });
    roguePool = await deployPool(root, 'rogue', poolOwner, { numerator: 0, denominator: 1 });
    await foundation.call(whitelist, 'add_staking_pool', {
      staking_pool_account_id: pool.accountId,
    });

    // Mainnet lockups live under `lockup.near`; here `<hash>.lockup.test.near`.
    const lockupFactory = await root.createSubAccount('lockup', { initialBalance: 700n * NEAR });
    lockup = await lockupFactory.createSubAccount('a1b2c3', { initialBalance: 500n * NEAR });
    await lockup.deploy(contractPath('lockup'));
    await lockup.call(
      lockup,
      'new',
      {
        owner_account_id: owner.accountId,
        lockup_duration: '0',
        lockup_timestamp: LOCKED_UNTIL,
        staking_pool_whitelist_account_id: whitelist.accountId,
      },
      { gas: MAX_GAS },
    );
  });

  it('lets only the owner call staking methods', async () => {
    for (const [method, args] of [
      ['select_staking_pool', { staking_pool_account_id: pool.accountId }],
      ['deposit_and_stake', { amount: NEAR.toString() }],
      ['unstake_all', {}],
      ['withdraw_all_from_staking_pool', {}],
      ['transfer', { amount: NEAR.toString(), receiver_id: stranger.accountId }],
    ] as const) {
      await expect(stranger.call(lockup, method, args, { gas: MAX_GAS })).rejects.toThrow(
        NOT_OWNER,
      );
    }
    await expect(
      stranger.call(lockup, 'on_staking_pool_withdraw', { amount: NEAR.toString() }),
    ).rejects.toThrow('Function is private');
    await expect(ownerCall('deposit_and_stake', { amount: NEAR.toString() })).rejects.toThrow(
      'Staking pool is not selected',
    );
  });

  it('refuses a pool the whitelist does not list, then selects a listed one', async () => {
    await expect(
      ownerCall('select_staking_pool', { staking_pool_account_id: roguePool.accountId }),
    ).rejects.toThrow('The given staking pool account ID is not whitelisted');
    expect(await lockup.view('get_staking_pool_account_id')).toBeNull();
    expect(
      await ownerCall('select_staking_pool', { staking_pool_account_id: pool.accountId }),
    ).toBe(true);
    expect(await lockup.view('get_staking_pool_account_id')).toBe(pool.accountId);
    await expect(
      ownerCall('select_staking_pool', { staking_pool_account_id: pool.accountId }),
    ).rejects.toThrow('Staking pool is already selected');
  });

  it('stakes, unstakes, waits 4 epochs and withdraws everything back', async () => {
    const balanceBefore = viewU128(lockup, 'get_balance');
    const stake = 200n * NEAR;
    const staked = await ownerCallRaw('deposit_and_stake', { amount: stake.toString() });
    expect(staked.status).toBe('success');
    expect(staked.value).toBe(true);
    // Mainnet's lockup gives the pool call 75 Tgas.
    const poolReceipt = staked.transaction.receipts.find(
      (r) => r.executorId === pool.accountId && !r.isRefund,
    );
    const action = poolReceipt?.actions[0];
    expect(action?.type === 'FunctionCall' && action.methodName).toBe('deposit_and_stake');
    expect(action?.type === 'FunctionCall' && action.gas).toBe(75n * TGAS);
    expect(await known()).toBe(stake);
    expect((await poolBalances(pool, lockup.accountId)).staked).toBe(stake);
    // Total balance unchanged by moving tokens to the pool (gas rewards aside).
    const balanceAfter = await viewU128(lockup, 'get_balance');
    expect(balanceAfter - (await balanceBefore)).toBeGreaterThanOrEqual(0n);
    expect(balanceAfter - (await balanceBefore)).toBeLessThan(NEAR / 100n);

    expect(await ownerCall('unstake', { amount: (80n * NEAR).toString() })).toBe(true);
    const unstaked = (await poolBalances(pool, lockup.accountId)).unstaked;
    expect(unstaked).toBeGreaterThanOrEqual(80n * NEAR);

    // Too early: the pool refuses, the callback reports false and frees the lockup.
    expect(await ownerCall('withdraw_all_from_staking_pool')).toBe(false);
    expect(await known()).toBe(stake);

    await net.fastForwardEpochs(4);
    const liquidBefore = (await lockup.balance()).total;
    const withdrawn = await ownerCallRaw('withdraw_all_from_staking_pool');
    expect(withdrawn.value).toBe(true);
    expect(withdrawn.logs).toContain(
      `Withdrawing ${unstaked} from the staking pool @${pool.accountId}`,
    );
    expect(await known()).toBe(stake - unstaked);
    expect((await poolBalances(pool, lockup.accountId)).unstaked).toBe(0n);
    const arrived = (await lockup.balance()).total - liquidBefore;
    expect(arrived).toBeGreaterThanOrEqual(unstaked);
    expect(arrived - unstaked).toBeLessThan(NEAR / 100n); // the callbacks' gas rewards

    // Rewards grew the stake: refresh learns the pool's total; then leave the pool entirely.
    await net.fastForwardEpochs(3);
    await stranger.call(pool, 'ping', {}, { gas: MAX_GAS });
    expect(await ownerCall('refresh_staking_pool_balance')).toBe(true);
    const total = (await poolBalances(pool, lockup.accountId)).total;
    expect(total).toBeGreaterThan(stake - unstaked);
    expect(await known()).toBe(total);
    await expect(ownerCall('unselect_staking_pool')).rejects.toThrow(
      'There is still a deposit on the staking pool',
    );
    expect(await ownerCall('unstake_all')).toBe(true);
    await net.fastForwardEpochs(4);
    expect(await ownerCall('withdraw_all_from_staking_pool')).toBe(true);
    expect(await known()).toBe(0n);
    expect(await poolBalances(pool, lockup.accountId)).toEqual({
      staked: 0n,
      unstaked: 0n,
      total: 0n,
    });
    await ownerCall('unselect_staking_pool');
    expect(await lockup.view('get_staking_pool_account_id')).toBeNull();
    await ownerCall('select_staking_pool', { staking_pool_account_id: pool.accountId });
  });

  it('counts nothing when the pool call fails, and the deposit comes back', async () => {
    const knownBefore = await known();
    const lockupBefore = (await lockup.balance()).total;
    net.failMethod(pool.accountId, 'deposit_and_stake');
    try {
      const outcome = await ownerCallRaw('deposit_and_stake', { amount: (10n * NEAR).toString() });
      expect(outcome.value).toBe(false);
      expect(outcome.logs.join('\n')).toContain('has failed');
    } finally {
      net.failMethod(pool.accountId, null);
    }
    expect(await known()).toBe(knownBefore);
    const lockupAfter = (await lockup.balance()).total;
    expect(lockupAfter).toBeGreaterThanOrEqual(lockupBefore);
    expect(lockupAfter - lockupBefore).toBeLessThan(NEAR / 100n);
    // Not left busy: the next call goes through.
    expect(await ownerCall('deposit_and_stake', { amount: (10n * NEAR).toString() })).toBe(true);
    expect(await known()).toBe(knownBefore + 10n * NEAR);
  });

  it('is not left busy when the balance query itself fails', async () => {
    net.failMethod(pool.accountId, 'get_account_unstaked_balance');
    try {
      expect(await ownerCall('withdraw_all_from_staking_pool')).toBe(false);
    } finally {
      net.failMethod(pool.accountId, null);
    }
    expect(await ownerCall('withdraw_all_from_staking_pool')).toBe(true);
  });

  it('rejects bad amounts and locked transfers, changing nothing', async () => {
    const stateBefore = (await lockup.viewState()).entries();
    await expect(ownerCall('deposit_and_stake', { amount: '0' })).rejects.toThrow(
      'Amount should be positive',
    );
    await expect(ownerCall('unstake', { amount: 'ten' })).rejects.toThrow(
      'Failed to deserialize input from JSON',
    );
    await expect(
      ownerCall('deposit_and_stake', { amount: (10_000n * NEAR).toString() }),
    ).rejects.toThrow(
      'The balance that can be deposited to the staking pool is lower than the extra amount',
    );
    // Only rewards (staking, and the contract's share of gas) are unlocked so far.
    const liquid = await viewU128(lockup, 'get_liquid_owners_balance');
    expect(liquid).toBeLessThan(NEAR);
    await expect(
      ownerCall('transfer', { amount: NEAR.toString(), receiver_id: owner.accountId }),
    ).rejects.toThrow(
      `The available liquid balance ${liquid} is smaller than the requested transfer amount ${NEAR}`,
    );
    expect((await lockup.viewState()).entries()).toEqual(stateBefore);
  });

  it('releases tokens at the lockup timestamp', async () => {
    const other = await (await net.account('lockup.test.near')).createSubAccount('d4e5f6', {
      initialBalance: 50n * NEAR,
    });
    await other.deploy(contractPath('lockup'));
    const now = net.chain.block().timestampNs;
    await other.call(
      other,
      'new',
      {
        owner_account_id: owner.accountId,
        lockup_duration: '0',
        lockup_timestamp: (now + 1_000_000_000_000n).toString(), // in 1,000 s
        staking_pool_whitelist_account_id: whitelist.accountId,
      },
      { gas: MAX_GAS },
    );
    expect(await viewU128(other, 'get_locked_amount')).toBeGreaterThan(49n * NEAR);
    await net.fastForward(1_100);
    expect(await viewU128(other, 'get_locked_amount')).toBe(0n);
    const liquid = await viewU128(other, 'get_liquid_owners_balance');
    expect(liquid).toBeGreaterThan(0n);
    const before = (await stranger.balance()).total;
    await owner.call(
      other,
      'transfer',
      { amount: liquid.toString(), receiver_id: stranger.accountId },
      { gas: MAX_GAS },
    );
    expect((await stranger.balance()).total - before).toBe(liquid);
  });
});
