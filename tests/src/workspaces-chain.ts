// Chain over near-workspaces: a real NEAR sandbox (nearcore). Needs the sandbox binary:
// NEAR_SANDBOX_BIN_PATH=1 NEAR_SANDBOX_BINARY_PATH=<dir with near-sandbox> (see tests/sandbox/run.sh).
import path from 'node:path';
import type { NearAccount, Worker as WorkspacesWorker } from 'near-workspaces';
import { peerCode } from '../../contracts/deploy/protocol';
import type { CallOpts, Chain, ChainAccount, ContractName } from './chain';

const BUILD_DIR = path.join(__dirname, '..', '..', 'contracts', 'build');
const DEFAULT_GAS = 300n * 10n ** 12n;

class SandboxAccount implements ChainAccount {
  constructor(readonly account: NearAccount) {}

  get accountId(): string {
    return this.account.accountId;
  }

  async call<T>(
    contractId: string,
    method: string,
    args: Record<string, unknown> = {},
    opts: CallOpts = {},
  ): Promise<T> {
    return this.account.call<T>(contractId, method, args, {
      attachedDeposit: opts.deposit ?? 0n,
      gas: opts.gas ?? DEFAULT_GAS,
    });
  }

  async view<T>(method: string, args: Record<string, unknown> = {}): Promise<T> {
    return this.account.view<T>(method, args);
  }

  async balance(): Promise<bigint> {
    return BigInt((await this.account.balance()).total);
  }

  async createSubAccount(name: string, initialBalance: bigint): Promise<ChainAccount> {
    return new SandboxAccount(await this.account.createSubAccount(name, { initialBalance }));
  }

  async deploy(contract: ContractName): Promise<void> {
    // the whitelist and the pools: NEAR's real contracts when present (else our stand-ins' wasm)
    const code =
      contract === 'whitelist' || contract === 'staking-pool'
        ? peerCode(undefined, contract).replace(/\.js$/, '.wasm')
        : path.join(BUILD_DIR, `${contract}.wasm`);
    await this.account.deploy(code);
  }
}

/** Starts a sandbox through near-workspaces. */
export async function sandboxChain(): Promise<Chain> {
  const { Worker } = await import('near-workspaces');
  const worker: WorkspacesWorker = await Worker.init();
  const provider = worker.provider;
  // The sandbox's epoch length comes from its genesis config.
  const genesis = (await (
    provider as unknown as {
      sendJsonRpc: (m: string, p: unknown) => Promise<{ epoch_length: number }>;
    }
  ).sendJsonRpc('EXPERIMENTAL_genesis_config', {})) as { epoch_length: number };
  const root = worker.rootAccount;
  return {
    name: 'sandbox',
    epochLength: genesis.epoch_length,
    root: new SandboxAccount(root),
    // Our staking pools only need a well-formed key: the sandbox does not make them validators.
    stakePublicKey: () => 'ed25519:KuTCtARNzxZQ3YvXDeLjx83FDqxv2SdQTSbiq876zR7',
    fastForwardEpochs: async (n) => {
      await provider.fastForward(n * genesis.epoch_length);
    },
    close: () => worker.tearDown(),
  };
}
