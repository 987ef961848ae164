// Chain over @snear/localnet (in process; engine 'vm' runs the .js bundles, 'wasm' the .wasm).
// The whitelist and the staking pools are NEAR's real contracts (run by localnet's wasm engine on
// either engine) unless they cannot run here (contracts/deploy/protocol.js peerCode).
import path from 'node:path';
import { type Account, Localnet } from '@snear/localnet';
import { peerCode } from '../../contracts/deploy/protocol';
import type { CallOpts, Chain, ChainAccount, ContractName } from './chain';

const BUILD_DIR = path.join(__dirname, '..', '..', 'contracts', 'build');
const DEFAULT_GAS = 300n * 10n ** 12n;

class LocalnetAccount implements ChainAccount {
  constructor(
    readonly net: Localnet,
    readonly account: Account,
  ) {}

  get accountId(): string {
    return this.account.accountId;
  }

  async call<T>(
    contractId: string,
    method: string,
    args: Record<string, unknown> = {},
    opts: CallOpts = {},
  ): Promise<T> {
    const out = await this.account.callRaw(contractId, method, args, {
      attachedDeposit: opts.deposit ?? 0n,
      gas: opts.gas ?? DEFAULT_GAS,
    });
    if (out.status === 'failure')
      throw new Error(`${method}: ${out.failureMessage ?? 'failed'} (gas burnt ${out.gasBurnt})`);
    return out.value as T;
  }

  async view<T>(method: string, args: Record<string, unknown> = {}): Promise<T> {
    return (await this.account.view(method, args)) as T;
  }

  async balance(): Promise<bigint> {
    return (await this.account.balance()).total;
  }

  async createSubAccount(name: string, initialBalance: bigint): Promise<ChainAccount> {
    return new LocalnetAccount(
      this.net,
      await this.account.createSubAccount(name, { initialBalance }),
    );
  }

  async deploy(contract: ContractName): Promise<void> {
    if (contract === 'whitelist' || contract === 'staking-pool') {
      await this.account.deploy(peerCode(this.net, contract));
      return;
    }
    const ext = this.net.engine === 'wasm' ? 'wasm' : 'js';
    await this.account.deploy(path.join(BUILD_DIR, `${contract}.${ext}`));
  }
}

/** A fresh localnet as a Chain. */
export async function localnetChain(
  engine: 'vm' | 'wasm' = 'vm',
  epochLength = 200,
): Promise<Chain> {
  const net = await Localnet.init({ engine, epochLength });
  return {
    name: `localnet-${engine}`,
    epochLength,
    root: new LocalnetAccount(net, net.root),
    stakePublicKey: (accountId) => net.keyPair(accountId).publicKey,
    fastForwardEpochs: (n) => net.fastForwardEpochs(n),
    close: async () => {},
  };
}
