import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Account,
  createAccountWithKey,
  Localnet,
  type RpcServer,
  startRpcServer,
} from '@snear/localnet';

export const NEAR = 10n ** 24n;
export const TGAS = 10n ** 12n;
const STAKE_PUBLIC_KEY = 'ed25519:KuTCtARNzxZQ3YvXDeLjx83FDqxv2SdQTSbiq876zR7';
const BUILD = join(__dirname, '..', '..', 'contracts', 'build');

/** Path of a built contract; a clear error when `make contracts` has not run. */
export function contractPath(name: string): string {
  const path = join(BUILD, `${name}.js`);
  if (!existsSync(path)) throw new Error(`E_NO_CONTRACT: ${path} is missing; run make contracts`);
  return path;
}

/** A user that signs over JSON-RPC (near-api-js) and also through localnet's API. */
export interface Signer {
  accountId: string;
  secretKey: `ed25519:${string}`;
  account: Account;
}

/** A localnet with whitelist, staking pools and the metapool, seeded, behind its JSON-RPC server. */
export interface Demo {
  net: Localnet;
  rpc: RpcServer;
  owner: Account;
  metapool: Account;
  users: Record<string, Signer>;
}

/** Deploys the protocol and seeds stakers and liquidity (LP 5,000 NEAR; stakers 20,000 each). */
export async function startDemo(pools = 2): Promise<Demo> {
  const net = await Localnet.init({ epochLength: 100 });
  const root = net.root;
  const gas = 300n * TGAS;
  const owner = await root.createSubAccount('owner', { initialBalance: 1_000n * NEAR });
  const treasury = await root.createSubAccount('treasury', { initialBalance: 10n * NEAR });
  const whitelist = await root.createSubAccount('whitelist', { initialBalance: 20n * NEAR });
  await whitelist.deploy(contractPath('whitelist'));
  await whitelist.call(whitelist, 'new', { foundation_account_id: owner.accountId }, { gas });
  const poolAccounts: Account[] = [];
  for (let i = 0; i < pools; i++) {
    const pool = await root.createSubAccount(`pool${i}`, { initialBalance: 50n * NEAR });
    await pool.deploy(contractPath('staking-pool'));
    await pool.call(
      pool,
      'new',
      {
        owner_id: owner.accountId,
        stake_public_key: STAKE_PUBLIC_KEY,
        reward_fee_fraction: { numerator: 0, denominator: 1 },
      },
      { gas },
    );
    await owner.call(
      whitelist,
      'add_staking_pool',
      { staking_pool_account_id: pool.accountId },
      { gas },
    );
    poolAccounts.push(pool);
  }
  const metapool = await root.createSubAccount('metapool', { initialBalance: 50n * NEAR });
  await metapool.deploy(contractPath('metapool'));
  await metapool.call(
    metapool,
    'new',
    {
      owner_id: owner.accountId,
      treasury_id: treasury.accountId,
      whitelist_id: whitelist.accountId,
      timelock_epochs: 0,
      max_pool_share_bps: 10_000,
      max_network_share_bps: 10_000,
      target_liquidity: (10_000n * NEAR).toString(),
    },
    { gas },
  );
  for (const pool of poolAccounts) {
    await owner.call(metapool, 'add_validator', { account_id: pool.accountId, weight: 1 }, { gas });
  }
  const users: Record<string, Signer> = {};
  for (const name of ['lp', 'alice', 'bob']) {
    const id = `${name}.test.near`;
    const key = createAccountWithKey(net, id, 100_000n * NEAR);
    users[name] = { accountId: id, secretKey: key.secretKey, account: net.account(id) };
  }
  await users.lp.account.call(
    metapool,
    'add_liquidity',
    {},
    { attachedDeposit: 5_000n * NEAR, gas: 75n * TGAS },
  );
  for (const name of ['alice', 'bob']) {
    await users[name].account.call(
      metapool,
      'deposit_and_stake',
      {},
      {
        attachedDeposit: 20_000n * NEAR,
        gas: 75n * TGAS,
      },
    );
  }
  await pingUntilIdle(owner, metapool);
  const rpc = await startRpcServer(net, { port: 0 });
  return { net, rpc, owner, metapool, users };
}

/** Calls the metapool's ping until it reports idle. */
export async function pingUntilIdle(keeper: Account, metapool: Account): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const step = (await keeper.call(metapool, 'ping', {}, { gas: 300n * TGAS })) as {
      action: string;
    };
    if (step.action === 'idle') return;
  }
  throw new Error('E_PING: not idle after 200 steps');
}
