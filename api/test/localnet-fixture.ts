import {
  type Account,
  createAccountWithKey,
  Localnet,
  type RpcServer,
  startRpcServer,
} from '@snear/localnet';
import { deployProtocol, NEAR, pingUntilIdle, USER_GAS } from '../../contracts/deploy/protocol';

export { NEAR, TGAS } from '../../contracts/deploy/protocol';

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
  const { owner, metapool } = await deployProtocol(net, { pools });
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
    { attachedDeposit: 5_000n * NEAR, gas: USER_GAS },
  );
  for (const name of ['alice', 'bob']) {
    await users[name].account.call(
      metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 20_000n * NEAR, gas: USER_GAS },
    );
  }
  await pingUntilIdle(owner, metapool);
  const rpc = await startRpcServer(net, { port: 0 });
  return { net, rpc, owner, metapool, users };
}
