// A localnet metapool scenario for the indexer suites: the protocol deployed behind localnet's
// JSON-RPC, and the steps users take (deposit, liquid unstake, add/remove liquidity, unstake,
// epochs with rewards). `truth()` reads what the chain itself recorded, not through RPC.
import { type Account, Localnet, type RpcServer, startRpcServer } from '@snear/localnet';
import { deployProtocol, NEAR, pingUntilIdle, USER_GAS } from '../../contracts/deploy/protocol';
import { eventsOfLogs } from '../src/events';

export { NEAR };

/** One expected event row, keyed as the store keys it. */
export interface TrueEvent {
  key: string;
  event: string;
  accountId: string | null;
  amount: string | null;
  feeNear: string | null;
  blockHeight: number;
  data: Record<string, unknown>;
}

/** The metapool's view at an epoch's first block, as the chain answered it then. */
export interface TrueSample {
  epoch: number;
  price: string;
  liquidity: string;
  lpUnstaking: string;
}

export interface Scenario {
  net: Localnet;
  rpc: RpcServer;
  metapool: Account;
  owner: Account;
  users: Record<'lp' | 'alice' | 'bob', Account>;
}

export const EPOCH_LENGTH = 30;

export async function startScenario(): Promise<Scenario> {
  const net = await Localnet.init({ epochLength: EPOCH_LENGTH });
  const { owner, metapool, users } = await deployProtocol(net, {
    pools: 2,
    users: { lp: 100_000n * NEAR, alice: 100_000n * NEAR, bob: 100_000n * NEAR },
  });
  const rpc = await startRpcServer(net, { port: 0 });
  return {
    net,
    rpc,
    metapool,
    owner,
    users: users as Record<'lp' | 'alice' | 'bob', Account>,
  };
}

const call = (who: Account, s: Scenario, method: string, args: unknown, deposit: bigint) =>
  who.call(s.metapool, method, args, { attachedDeposit: deposit, gas: USER_GAS });

/** Deposits, liquidity, a liquid unstake with its fee, a delayed unstake. */
export async function userActivity(s: Scenario): Promise<void> {
  const { lp, alice, bob } = s.users;
  await call(lp, s, 'add_liquidity', {}, 5_000n * NEAR);
  await call(alice, s, 'deposit_and_stake', {}, 20_000n * NEAR);
  await call(bob, s, 'deposit_and_stake', {}, 10_000n * NEAR);
  await pingUntilIdle(s.owner, s.metapool);
  await call(
    alice,
    s,
    'liquid_unstake',
    { snear_amount: (1_000n * NEAR).toString(), min_near_out: '0' },
    1n,
  );
  await call(bob, s, 'unstake', { amount: (2_000n * NEAR).toString() }, 0n);
  const lpAccount = (await s.metapool.view('get_lp_account', { account_id: lp.accountId })) as {
    shares: string;
  };
  await call(
    lp,
    s,
    'remove_liquidity',
    { shares: (BigInt(lpAccount.shares) / 10n).toString() },
    0n,
  );
}

/** Moves to the next epoch's first block (rewards accrue at the pools). */
export function nextEpoch(s: Scenario): void {
  s.net.chain.fastForwardEpochs(1);
}

/** The keeper's pings: collects rewards (`rewards` events), may self-unstake the pool. */
export async function ping(s: Scenario): Promise<void> {
  await pingUntilIdle(s.owner, s.metapool);
}

/** The metapool's price and liquidity now (the sample the indexer takes at this block). */
export async function sampleNow(s: Scenario): Promise<TrueSample> {
  const state = (await s.metapool.view('get_contract_state')) as Record<string, unknown>;
  return {
    epoch: Number(state.epoch_height),
    price: String(await s.metapool.view('ft_price')),
    liquidity: String(state.liquidity),
    lpUnstaking: String(state.lp_unstaking_near),
  };
}

/** Every metapool event the chain recorded, from its own transaction outcomes. */
export function truth(s: Scenario): TrueEvent[] {
  const seen = new Set<string>();
  const rows: TrueEvent[] = [];
  for (let h = 0; h <= s.net.chain.height; h++) {
    for (const tx of s.net.chain.transactionsAt(h)) {
      if (seen.has(tx.hash)) continue;
      seen.add(tx.hash);
      for (const r of tx.receipts) {
        if (r.executorId !== s.metapool.accountId) continue;
        const ctx = {
          receiptId: r.receiptId,
          txHash: tx.hash,
          contractId: s.metapool.accountId,
          blockHeight: r.blockHeight,
          blockHash: r.blockHash,
          blockTimestampNs: 0n,
          epochId: '',
        };
        for (const e of eventsOfLogs(r.logs, ctx)) {
          rows.push({
            key: `${e.receiptId}/${e.logIndex}/${e.dataIndex}`,
            event: e.event,
            accountId: e.accountId,
            amount: e.amount?.toString() ?? null,
            feeNear: e.feeNear?.toString() ?? null,
            blockHeight: e.blockHeight,
            data: e.data,
          });
        }
      }
    }
  }
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}
