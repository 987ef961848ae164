// Types of dao.js (plain CommonJS so Node scripts can require it without a build).
import type { Account, CallOutcome } from '@snear/localnet';

/** One whole governance token (24 decimals). */
export declare const TOKEN: bigint;
/** One day in nanoseconds. */
export declare const DAY_NS: bigint;

/** Gas attached to each DAO-side call. */
export declare const DAO_GAS: {
  init: bigint;
  addProposal: bigint;
  vote: bigint;
  stakingRegister: bigint;
  stake: bigint;
  delegate: bigint;
  withdraw: bigint;
};

/** Gas a proposal's FunctionCall action gives each metapool method. */
export declare const METAPOOL_CALL_GAS: Record<string, bigint>;

/** Name of the DAO's one voting role. */
export declare const HOLDERS_ROLE: string;

/** Sputnik v2 vote policy. */
export interface VotePolicy {
  weight_kind: 'TokenWeight' | 'RoleWeight';
  quorum: string;
  threshold: [number, number] | string;
}

/** Sputnik v2 role. */
export interface RolePermission {
  name: string;
  kind: 'Everyone' | { Member: string } | { Group: string[] };
  permissions: string[];
  vote_policy: Record<string, VotePolicy>;
}

/** Sputnik v2 policy (`get_policy`, `new({ policy })`). */
export interface Policy {
  roles: RolePermission[];
  default_vote_policy: VotePolicy;
  proposal_bond: string;
  proposal_period: string;
  bounty_bond: string;
  bounty_forgiveness_period: string;
}

/** The default governance policy (docs/GOVERNANCE.md); every field may be overridden. */
export declare function defaultPolicy(options?: {
  quorum?: bigint;
  threshold?: [number, number];
  proposalBond?: bigint;
  proposalPeriodNs?: bigint;
  minMemberWeight?: bigint;
}): Policy;

/**
 * The governance token, behind one function: the gov-token build (minted by `minter`) if present,
 * else (or with `kind: 'snear'`) the metapool's sNEAR handed out by `minter`.
 */
export declare function deployGovernanceToken(
  root: Account,
  options: {
    minter: Account;
    metapool?: Account;
    kind?: 'gov-token' | 'snear';
    supplyCap?: bigint;
    name?: string;
  },
): Promise<{
  token: Account;
  kind: 'gov-token' | 'snear';
  /** Gives `to` exactly `amount` tokens (registers it on the token first). */
  mint: (to: Account, amount: bigint) => Promise<void>;
}>;

/** Sputnik DAO + Sputnik staking for `token`; the DAO's only voting role is token-weighted. */
export declare function deployGovernanceDao(
  root: Account,
  options: {
    token: Account | string;
    members?: Account[];
    name?: string;
    stakingName?: string;
    policy?: Policy;
    /** Default: the proposal period + 1 day; shorter than the proposal period is refused. */
    unstakePeriodNs?: bigint;
    daoBalance?: bigint;
    purpose?: string;
  },
): Promise<{ dao: Account; staking: Account; policy: Policy; unstakePeriodNs: bigint }>;

/** NEP-145 registration of `accountId` on `token`, paid by `payer`. */
export declare function registerOnToken(
  payer: Account,
  token: Account,
  accountId: string,
): Promise<void>;

/** Registration in the staking contract (default 0.01 NEAR). */
export declare function registerInStaking(
  payer: Account,
  staking: Account,
  accountId: string,
  deposit?: bigint,
): Promise<void>;

/** Register, ft_transfer_call `amount` into the staking contract, delegate it. */
export declare function stakeAndDelegate(
  holder: Account,
  options: { token: Account; staking: Account; amount: bigint; delegateTo?: string },
): Promise<void>;

/** A FunctionCall proposal kind (args base64 JSON). */
export declare function functionCallKind(
  receiverId: string,
  method: string,
  args: unknown,
  gas?: bigint,
  deposit?: bigint,
): Record<string, unknown>;

/** add_proposal with the policy's bond; returns the id. */
export declare function propose(
  proposer: Account,
  dao: Account,
  description: string,
  kind: Record<string, unknown>,
  bond?: bigint,
): Promise<number>;

/** act_proposal (kind repeated); returns the outcome. */
export declare function vote(
  voter: Account,
  dao: Account,
  id: number,
  action?: 'VoteApprove' | 'VoteReject' | 'VoteRemove' | 'Finalize',
): Promise<CallOutcome>;
