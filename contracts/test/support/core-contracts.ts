// Shared setup for the core-contract stand-in suites (staking-pool, whitelist, lockup).
import path from 'node:path';
import type { Account } from '@snear/localnet';

export const NEAR = 10n ** 24n;
export const TGAS = 10n ** 12n;
/** Gas for calls that fan out (lockup → pool → callbacks). */
export const MAX_GAS = 300n * TGAS;
/** A valid ed25519 validator key (the one core-contracts' own tests use). */
export const STAKE_PUBLIC_KEY = 'ed25519:KuTCtARNzxZQ3YvXDeLjx83FDqxv2SdQTSbiq876zR7';

/** Bundle built by `make contracts` (the wasm engine loads the .wasm beside it). */
export function contractPath(name: 'staking-pool' | 'whitelist' | 'lockup'): string {
  return path.join(__dirname, '..', '..', 'build', `${name}.js`);
}

/** Fee fraction as the pool's `new` takes it. */
export interface Fee {
  numerator: number;
  denominator: number;
}

/** Creates `<name>.<root>`, deploys the staking pool and initialises it. */
export async function deployPool(
  root: Account,
  name: string,
  owner: Account,
  fee: Fee,
  initialBalance = 50n * NEAR,
): Promise<Account> {
  const pool = await root.createSubAccount(name, { initialBalance });
  await pool.deploy(contractPath('staking-pool'));
  await pool.call(
    pool,
    'new',
    {
      owner_id: owner.accountId,
      stake_public_key: STAKE_PUBLIC_KEY,
      reward_fee_fraction: fee,
    },
    { gas: MAX_GAS },
  );
  return pool;
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
