// The small chain interface the cross-package scenarios are written against. Localnet and
// near-workspaces (a real NEAR sandbox) both satisfy it through the adapters beside this file.

/** Contracts the scenarios deploy (built by `make contracts` into contracts/build/). */
export type ContractName = 'metapool' | 'staking-pool' | 'whitelist';

/** Options of a function call: yocto deposit and gas. */
export interface CallOpts {
  deposit?: bigint;
  gas?: bigint;
}

/** One account: calls, views, balance, sub-accounts, deployment. */
export interface ChainAccount {
  readonly accountId: string;
  /** Calls a method; resolves to the parsed return value, rejects with the failure message. */
  call<T = unknown>(
    contractId: string,
    method: string,
    args?: Record<string, unknown>,
    opts?: CallOpts,
  ): Promise<T>;
  /** View call on this account's contract. */
  view<T = unknown>(method: string, args?: Record<string, unknown>): Promise<T>;
  /** Total balance (yocto). */
  balance(): Promise<bigint>;
  /** Creates `<name>.<accountId>` funded with `initialBalance`. */
  createSubAccount(name: string, initialBalance: bigint): Promise<ChainAccount>;
  /**
   * Deploys one of our contracts to this account; `whitelist` and `staking-pool` are NEAR's real
   * contracts where they can run (our stand-ins otherwise).
   */
  deploy(contract: ContractName): Promise<void>;
}

/** A chain the scenarios run on. */
export interface Chain {
  /** Name for logs: 'localnet-vm', 'localnet-wasm', 'sandbox'. */
  readonly name: string;
  readonly root: ChainAccount;
  /** Public key to pass as a staking pool's `stake_public_key`. */
  stakePublicKey(accountId: string): string;
  /** Blocks per epoch (the metapool's `epoch_length_blocks`). */
  readonly epochLength: number;
  /** Moves the chain `n` epochs forward. */
  fastForwardEpochs(n: number): Promise<void>;
  /** Stops the chain (sandbox process) if it has one. */
  close(): Promise<void>;
}
