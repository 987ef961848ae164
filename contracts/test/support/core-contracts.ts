// Shared setup for the core-contract stand-in suites (staking-pool, whitelist): they test
// our near-sdk-js stand-ins themselves, so they always deploy those (never NEAR's real contracts).
import type { Account } from '@snear/localnet';
import {
  deployWhitelist as deployAnyWhitelist,
  deployStakingPool,
  type Fee,
  PING_GAS,
} from '../../deploy/protocol';

export {
  contractPath,
  type Fee,
  NEAR,
  STAKE_PUBLIC_KEY,
  TGAS,
} from '../../deploy/protocol';

/** Gas for calls that fan out (lockup → pool → callbacks). */
export const MAX_GAS = PING_GAS;

/** Creates `<name>.<root>`, deploys our stand-in staking pool and initialises it. */
export function deployPool(
  root: Account,
  name: string,
  owner: Account,
  fee: Fee,
  initialBalance?: bigint,
): Promise<Account> {
  return deployStakingPool(root, name, owner, { fee, initialBalance, peers: 'stand-in' });
}

/** Creates `<name>.<root>` with our stand-in whitelist, its foundation being `foundation`. */
export function deployWhitelist(
  root: Account,
  foundation: Account,
  options: { name?: string; initialBalance?: bigint } = {},
): Promise<Account> {
  return deployAnyWhitelist(root, foundation, { ...options, peers: 'stand-in' });
}

/** Reads a u128 view (decimal string) as a bigint. */
export async function viewU128(
  contract: Account,
  method: string,
  args: Record<string, unknown> = {},
): Promise<bigint> {
  return BigInt((await contract.view(method, args)) as string);
}

/** A delegator's staked + unstaked balance on `pool`. */
export async function poolBalances(
  pool: Account,
  accountId: string,
): Promise<{ staked: bigint; unstaked: bigint; total: bigint }> {
  const staked = await viewU128(pool, 'get_account_staked_balance', { account_id: accountId });
  const unstaked = await viewU128(pool, 'get_account_unstaked_balance', { account_id: accountId });
  return { staked, unstaked, total: staked + unstaked };
}
