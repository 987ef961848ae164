// Shared setup for the core-contract stand-in suites (staking-pool, whitelist, lockup).
import type { Account } from '@snear/localnet';
import { deployStakingPool, type Fee, PING_GAS } from '../../deploy/protocol';

export {
  contractPath,
  deployWhitelist,
  type Fee,
  NEAR,
  STAKE_PUBLIC_KEY,
  TGAS,
} from '../../deploy/protocol';

/** Gas for calls that fan out (lockup → pool → callbacks). */
export const MAX_GAS = PING_GAS;

/** Creates `<name>.<root>`, deploys the staking pool and initialises it. */
export function deployPool(
  root: Account,
  name: string,
  owner: Account,
  fee: Fee,
  initialBalance?: bigint,
): Promise<Account> {
  return deployStakingPool(root, name, owner, { fee, initialBalance });
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
