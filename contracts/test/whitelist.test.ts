// The whitelist stand-in on localnet: foundation and factory permissions, return values, input checks.
import { type Account, Localnet } from '@snear/localnet';
import { contractPath, deployWhitelist, MAX_GAS, NEAR } from './support/core-contracts';

const NOT_FOUNDATION = 'Can only be called by NEAR Foundation';

describe('staking-pool whitelist', () => {
  let net: Localnet;
  let foundation: Account;
  let factory: Account;
  let stranger: Account;
  let whitelist: Account;

  const pool = 'pool-a.test.near';
  const isWhitelisted = (id: string) =>
    whitelist.view('is_whitelisted', { staking_pool_account_id: id });

  beforeAll(async () => {
    net = await Localnet.init();
    foundation = await net.root.createSubAccount('foundation', { initialBalance: 100n * NEAR });
    factory = await net.root.createSubAccount('factory', { initialBalance: 100n * NEAR });
    stranger = await net.root.createSubAccount('stranger', { initialBalance: 100n * NEAR });
    whitelist = await deployWhitelist(net.root, foundation);
  });

  it('the foundation adds and removes pools; the return says whether anything changed', async () => {
    expect(await isWhitelisted(pool)).toBe(false);
    const add = () =>
      foundation.call(whitelist, 'add_staking_pool', { staking_pool_account_id: pool });
    const remove = () =>
      foundation.call(whitelist, 'remove_staking_pool', { staking_pool_account_id: pool });
    expect(await add()).toBe(true);
    expect(await isWhitelisted(pool)).toBe(true);
    expect(await add()).toBe(false);
    expect(await remove()).toBe(true);
    expect(await isWhitelisted(pool)).toBe(false);
    expect(await remove()).toBe(false);
  });

  it('refuses everyone else, leaving the list unchanged', async () => {
    await expect(
      stranger.call(whitelist, 'add_staking_pool', { staking_pool_account_id: pool }),
    ).rejects.toThrow(NOT_FOUNDATION);
    await expect(
      stranger.call(whitelist, 'add_factory', { factory_account_id: stranger.accountId }),
    ).rejects.toThrow(NOT_FOUNDATION);
    expect(await isWhitelisted(pool)).toBe(false);
    expect(
      await whitelist.view('is_factory_whitelisted', { factory_account_id: stranger.accountId }),
    ).toBe(false);
  });

  it('a whitelisted factory may add pools, but not remove them or add factories', async () => {
    expect(
      await foundation.call(whitelist, 'add_factory', { factory_account_id: factory.accountId }),
    ).toBe(true);
    expect(
      await whitelist.view('is_factory_whitelisted', { factory_account_id: factory.accountId }),
    ).toBe(true);
    const factoryPool = 'made-by-factory.test.near';
    expect(
      await factory.call(whitelist, 'add_staking_pool', { staking_pool_account_id: factoryPool }),
    ).toBe(true);
    expect(await isWhitelisted(factoryPool)).toBe(true);
    await expect(
      factory.call(whitelist, 'remove_staking_pool', { staking_pool_account_id: factoryPool }),
    ).rejects.toThrow(NOT_FOUNDATION);
    await expect(
      factory.call(whitelist, 'add_factory', { factory_account_id: stranger.accountId }),
    ).rejects.toThrow(NOT_FOUNDATION);
    expect(
      await foundation.call(whitelist, 'remove_factory', { factory_account_id: factory.accountId }),
    ).toBe(true);
    await expect(
      factory.call(whitelist, 'add_staking_pool', { staking_pool_account_id: 'another.test.near' }),
    ).rejects.toThrow(NOT_FOUNDATION);
    expect(await isWhitelisted(factoryPool)).toBe(true);
  });

  it('rejects invalid account ids, and a deposit is refunded', async () => {
    for (const id of ['UPPER.near', 'a', 'bad id', '', 'x'.repeat(65), 'dot..near']) {
      await expect(isWhitelisted(id)).rejects.toThrow('The given account ID is invalid');
      await expect(
        foundation.call(whitelist, 'add_staking_pool', { staking_pool_account_id: id }),
      ).rejects.toThrow('The given account ID is invalid');
    }
    const before = (await stranger.balance()).total;
    const outcome = await stranger.callRaw(
      whitelist,
      'add_staking_pool',
      { staking_pool_account_id: pool },
      { attachedDeposit: 5n * NEAR },
    );
    expect(outcome.status).toBe('failure');
    expect(before - (await stranger.balance()).total).toBeLessThan(NEAR / 10n);
  });

  it('needs a valid foundation id at init and initialises once', async () => {
    const other = await net.root.createSubAccount('whitelist-2', { initialBalance: 20n * NEAR });
    await other.deploy(contractPath('whitelist'));
    await expect(
      other.call(other, 'new', { foundation_account_id: 'Not Valid' }, { gas: MAX_GAS }),
    ).rejects.toThrow('The NEAR Foundation account ID is invalid');
    await expect(
      whitelist.call(
        whitelist,
        'new',
        { foundation_account_id: stranger.accountId },
        { gas: MAX_GAS },
      ),
    ).rejects.toThrow('Contract already initialized');
    await expect(
      stranger.call(whitelist, 'add_staking_pool', { staking_pool_account_id: pool }),
    ).rejects.toThrow(NOT_FOUNDATION);
  });
});
