// A delegator's position read the way wallets read a staking pool (get_account,
// get_account_{staked,unstaked,total}_balance, is_account_unstaked_balance_available) and an
// NEP-141 token (ft_balance_of), checked against the metapool's books: the account's record, the
// share price of get_contract_state and amm-math's snearToNear.
import { snearToNear } from '@snear/amm-math';
import type { Account } from '@snear/localnet';
import {
  Auditor,
  contractState,
  epochs,
  type Fixture,
  NEAR,
  pingUntilIdle,
  setup,
  USER_GAS,
  viewBig,
} from './metapool-fixture';

jest.setTimeout(180_000);

/** What a wallet shows for a delegator. */
interface WalletView {
  account: {
    account_id: string;
    staked_balance: string;
    unstaked_balance: string;
    can_withdraw: boolean;
  };
  staked: bigint;
  unstaked: bigint;
  total: bigint;
  available: boolean;
  snear: bigint;
}

async function walletView(staking: Account, accountId: string): Promise<WalletView> {
  const args = { account_id: accountId };
  return {
    account: (await staking.view('get_account', args)) as WalletView['account'],
    staked: await viewBig(staking, 'get_account_staked_balance', args),
    unstaked: await viewBig(staking, 'get_account_unstaked_balance', args),
    total: await viewBig(staking, 'get_account_total_balance', args),
    available: (await staking.view('is_account_unstaked_balance_available', args)) as boolean,
    snear: await viewBig(staking, 'ft_balance_of', args),
  };
}

/** The same position computed from the books: the record `a:<id>` and get_contract_state. */
async function fromBooks(f: Fixture, accountId: string) {
  const s = await contractState(f);
  const record = (await f.metapool.viewState()).getJson(`a:${accountId}`) as
    | { shares: string; buckets: { unlockEpoch: number; near: string }[] }
    | undefined;
  const shares = BigInt(record?.shares ?? '0');
  const buckets = record?.buckets ?? [];
  const unstaked = buckets.reduce((sum, b) => sum + BigInt(b.near), 0n);
  const matured = buckets
    .filter((b) => b.unlockEpoch <= s.epoch_height)
    .reduce((sum, b) => sum + BigInt(b.near), 0n);
  const staked = snearToNear(
    { totalStakedNear: BigInt(s.total_staked_near), totalSnear: BigInt(s.total_snear) },
    shares,
  );
  // withdrawable only when every bucket matured and its NEAR is back from the validators
  const available = matured === unstaked && BigInt(s.retrieved_near) >= matured;
  return { shares, staked, unstaked, available };
}

/** The wallet's reading equals the books, and its views agree with one another. */
async function expectWalletMatchesBooks(f: Fixture, accountId: string): Promise<WalletView> {
  const w = await walletView(f.metapool, accountId);
  const books = await fromBooks(f, accountId);
  expect(w.account).toEqual({
    account_id: accountId,
    staked_balance: books.staked.toString(),
    unstaked_balance: books.unstaked.toString(),
    can_withdraw: books.available,
  });
  expect([w.staked, w.unstaked, w.total, w.available]).toEqual([
    books.staked,
    books.unstaked,
    books.staked + books.unstaked,
    books.available,
  ]);
  expect(w.snear).toBe(books.shares);
  return w;
}

it("a delegator's position as wallets read it equals the metapool's books", async () => {
  const f = await setup({ pools: 2, users: ['alice', 'bob', 'carol'] });
  const { alice, bob, carol } = f.users;
  const audit = new Auditor(f);
  expect(await audit.stake(alice, 1_000n * NEAR)).not.toBeNull();
  expect(await audit.stake(bob, 500n * NEAR)).not.toBeNull();
  await carol.call(
    f.metapool,
    'storage_deposit',
    {},
    { gas: USER_GAS, attachedDeposit: NEAR / 100n },
  );
  expect(await audit.transfer(alice, carol, 123n * NEAR + 7n)).toBe(true);
  await pingUntilIdle(f);
  await epochs(f, 2); // rewards: the share price is above 1
  const s = await contractState(f);
  expect(BigInt(s.total_staked_near)).toBeGreaterThan(BigInt(s.total_snear));

  const unlock = (await audit.unstake(bob, 200n * NEAR + 1n))!;
  expect(unlock).toBeGreaterThan(f.net.epochHeight());
  for (const who of [alice, bob, carol]) await expectWalletMatchesBooks(f, who.accountId);
  const bobWaiting = await expectWalletMatchesBooks(f, bob.accountId);
  expect(bobWaiting.unstaked).toBe(200n * NEAR + 1n);
  expect(bobWaiting.available).toBe(false);
  // carol only holds transferred sNEAR: her stake is its NEAR value
  const carolView = await expectWalletMatchesBooks(f, carol.accountId);
  expect(carolView.snear).toBe(123n * NEAR + 7n);
  expect(carolView.staked).toBeGreaterThan(123n * NEAR);

  // an account the metapool never saw reads exactly as on NEAR's staking pool
  const stranger = 'stranger.test.near';
  const onPool = await f.pools[0].view('get_account', { account_id: stranger });
  expect(await f.metapool.view('get_account', { account_id: stranger })).toEqual(onPool);
  expect((await expectWalletMatchesBooks(f, stranger)).total).toBe(0n);

  // ft_balance_of of every holder adds up to ft_total_supply (the contract's own: the pool's sNEAR
  // and the locked seed)
  const holders = [alice, bob, carol, f.treasury].map((a) => a.accountId);
  let sum = await viewBig(f.metapool, 'ft_balance_of', { account_id: f.metapool.accountId });
  for (const id of holders) sum += await viewBig(f.metapool, 'ft_balance_of', { account_id: id });
  expect(sum).toBe(await viewBig(f.metapool, 'ft_total_supply'));

  // once unlocked, the wallet's "withdraw" button pays exactly the unstaked balance it showed
  while (f.net.epochHeight() < unlock) await epochs(f, 1);
  await pingUntilIdle(f);
  const bobReady = await expectWalletMatchesBooks(f, bob.accountId);
  expect(bobReady.available).toBe(true);
  expect(await audit.withdrawAll(bob)).toBe(bobReady.unstaked);
  expect((await expectWalletMatchesBooks(f, bob.accountId)).unstaked).toBe(0n);
  await audit.check(true);
});
