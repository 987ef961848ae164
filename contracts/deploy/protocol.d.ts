// Types of protocol.js (plain CommonJS so Node scripts can require it without a build).
import type { Account, Localnet } from '@snear/localnet';

export declare const NEAR: bigint;
export declare const TGAS: bigint;
/** Gas users attach (a lockup gives 75 Tgas per staking-pool call). */
export declare const USER_GAS: bigint;
/** Gas of setup calls and of the keeper's ping. */
export declare const PING_GAS: bigint;
/** Any valid ed25519 key: localnet's staking pools only need a well-formed one. */
export declare const STAKE_PUBLIC_KEY: string;

/** Contract bundles built by `make contracts`. */
export type ContractName = 'metapool' | 'gov-token' | 'staking-pool' | 'whitelist' | 'host-test';

/** Fee fraction as the staking pool's `new` takes it. */
export interface Fee {
  numerator: number;
  denominator: number;
}

/**
 * The metapool's counterparts (whitelist, staking pools): 'real' is NEAR's compiled core-contracts
 * (deploy/mainnet-wasm.js; E_REAL_PEERS where they cannot run), 'stand-in' our near-sdk-js
 * versions. Default: the real ones, else the stand-ins with one line on stderr saying why.
 */
export type Peers = 'real' | 'stand-in';

export interface ProtocolOptions {
  /** Staking pools whitelisted and registered as validators (default 5). */
  pools?: number;
  /** Pools added to the whitelist but not to the basket (after the registered ones). */
  extraPools?: number;
  /** Weights of the registered pools (default 1 each). */
  weights?: number[];
  /** The staking pools' reward fee (default none). */
  poolFee?: Fee;
  /** Extra or overriding init args of the metapool (u128 as strings; `undefined` leaves one out). */
  init?: Record<string, unknown>;
  /** Users to create under the root: name to initial balance in yocto. */
  users?: Record<string, bigint>;
  /** Which whitelist and staking pools (default: NEAR's real ones when they can run here). */
  peers?: Peers;
  /** Path of the whitelist's code (overrides `peers`). */
  whitelistCode?: string;
  /** Path of every staking pool's code (overrides `peers`). */
  poolCode?: string;
}

export interface Protocol {
  net: Localnet;
  root: Account;
  owner: Account;
  treasury: Account;
  whitelist: Account;
  metapool: Account;
  /** `pool0`, `pool1`, …: the registered ones first, then the extra ones. */
  pools: Account[];
  users: Record<string, Account>;
  /** Which counterparts were deployed (unless `whitelistCode`/`poolCode` named other code). */
  peers: Peers;
}

/** What one ping step returns. */
export interface PingStep {
  action: string;
  pool?: string;
  amount?: string;
  ok?: boolean;
}

/** Path of a built contract bundle; E_NO_CONTRACT when `make contracts` has not run. */
export declare function contractPath(name: ContractName): string;

/**
 * Why NEAR's real whitelist and staking pool cannot run on `net` (no real contracts on this
 * machine, no wasm engine), else undefined.
 */
export declare function realPeersUnavailableReason(net?: Localnet): string | undefined;

/**
 * Path of the whitelist's or a staking pool's code: NEAR's real contract or our stand-in as
 * `peers` says (default: the real one when it can run here, else the stand-in with a notice).
 * `net` also checks localnet's wasm engine; leave it out for a chain that runs wasm natively.
 */
export declare function peerCode(
  net: Localnet | undefined,
  contract: 'whitelist' | 'staking-pool',
  peers?: Peers,
): string;

/** Creates `<name>.<root>` with the whitelist, its foundation being `foundation`. */
export declare function deployWhitelist(
  root: Account,
  foundation: Account,
  /** `code`: path of the contract (overrides `peers`; default NEAR's real one, see Peers). */
  options?: { name?: string; code?: string; peers?: Peers; initialBalance?: bigint },
): Promise<Account>;

/** Creates `<name>.<root>` and deploys + initialises a staking pool (no owner fee by default). */
export declare function deployStakingPool(
  root: Account,
  name: string,
  owner: Account,
  /** `code`: path of the contract (overrides `peers`; default NEAR's real one, see Peers). */
  options?: { fee?: Fee; initialBalance?: bigint; code?: string; peers?: Peers },
): Promise<Account>;

/**
 * The metapool's `new` args on a test network: the default timelock (its floor), caps 100%, 10,000 NEAR target, the
 * network's epoch length and a tenth of it (at least 3 blocks) as the unstake margin.
 */
export declare function metapoolInitArgs(
  ownerId: string,
  treasuryId: string,
  whitelistId: string,
  epochLength: number,
): Record<string, unknown>;

/** One governance token (10^24 smallest units). */
export declare const GOV: bigint;

/** The governance token `<name>.<root>` (default `gov`), minted only by `minter`. */
export declare function deployGovToken(
  root: Account,
  minter: Account,
  options?: { name?: string; tokenName?: string; symbol?: string; supplyCap?: bigint },
): Promise<Account>;

/** Whitelist, staking pools, the metapool with its validators, and funded users. */
export declare function deployProtocol(net: Localnet, options?: ProtocolOptions): Promise<Protocol>;

/**
 * Applies the metapool's queued changes: fast-forwards localnet to the last apply epoch (unless
 * `wait` is false) and calls apply_changes until none is due; returns the rejections.
 */
export declare function applyQueuedChanges(
  net: Localnet,
  caller: Account,
  metapool: Account,
  options?: { wait?: boolean },
): Promise<{ id: number; error: string }[]>;

/** Calls the metapool's ping until it reports idle; returns the actions of the steps before. */
export declare function pingUntilIdle(
  keeper: Account,
  metapool: Account,
  options?: { maxSteps?: number; onStep?: (step: PingStep) => unknown },
): Promise<string[]>;
