// NEAR's real lockup (core-contracts lockup_contract.wasm) in front of the metapool, as on mainnet:
// the lockups' whitelist (the real `lockup-whitelist`, its foundation an account of its own), a
// parent account for the lockups (`lockup.test.near`, like `lockup.near`) and the metapool on the
// real staking pools. Shared by metapool-lockup.test.ts and metapool-lockup-gas.test.ts.
import { type Account, type CallOutcome, wasmEngineUnavailableReason } from '@snear/localnet';
import {
  deployRealLockup,
  deployRealWhitelist,
  mainnetWasmUnavailableReason,
  realWasmPath,
  type VestingSchedule,
} from '../../deploy/mainnet-wasm';
import { type Fixture, type FixtureOptions, NEAR, PING_GAS, setup } from '../metapool-fixture';

/** Account-id suffix of the test lockups (mainnet: `.lockup.near`). */
export const LOCKUP_SUFFIX = '.lockup.test.near';

/** The metapool, the lockups' whitelist and foundation, and the lockups' parent account. */
export interface LockupFixture {
  f: Fixture;
  /** Owner of the lockups (signs their owner methods). */
  owner: Account;
  /** The NEAR Foundation: foundation of the lockups' whitelist and of vesting lockups. */
  foundation: Account;
  /** The real whitelist the lockups check (`lockup-whitelist.near` on mainnet). */
  whitelist: Account;
  /** Parent of the lockups (`lockup.near` on mainnet). */
  factory: Account;
}

/** Why the real lockup cannot run here (no wasm engine, no real contracts), else undefined. */
export function realLockupSkipReason(): string | undefined {
  const wasm = wasmEngineUnavailableReason();
  if (wasm) return `localnet's wasm engine is unavailable: ${wasm}`;
  return mainnetWasmUnavailableReason();
}

/**
 * The protocol on NEAR's real whitelist and staking pools (the metapool on `engine`, default
 * LOCALNET_ENGINE), the lockups' real whitelist with its own foundation, and `lockup.test.near`.
 * With `admit` (default) the foundation has whitelisted the metapool for lockups.
 */
export async function setupLockups(
  options: FixtureOptions & { admit?: boolean } = {},
): Promise<LockupFixture> {
  const { admit = true, ...rest } = options;
  const f = await setup({
    pools: 3,
    whitelistCode: realWasmPath('whitelist.wasm'),
    poolCode: realWasmPath('staking_pool.wasm'),
    ...rest,
    users: ['lockupowner', 'foundation', ...(rest.users ?? [])],
    init: { lockup_suffixes: [LOCKUP_SUFFIX], ...rest.init },
  });
  const foundation = f.users.foundation;
  const whitelist = await deployRealWhitelist(f.root, foundation);
  const factory = await f.root.createSubAccount('lockup', { initialBalance: 10_000n * NEAR });
  const lf: LockupFixture = { f, owner: f.users.lockupowner, foundation, whitelist, factory };
  if (admit) await admitMetapool(lf);
  return lf;
}

/** The foundation adds the metapool to the lockups' whitelist (what an operator asks on mainnet). */
export async function admitMetapool(lf: LockupFixture): Promise<void> {
  const added = await lf.foundation.call(
    lf.whitelist,
    'add_staking_pool',
    { staking_pool_account_id: lf.f.metapool.accountId },
    { gas: PING_GAS },
  );
  if (added !== true) throw new Error(`add_staking_pool returned ${JSON.stringify(added)}`);
}

/**
 * A real lockup `<name>.<parent>` (default parent `lockup.test.near`) holding `balance` for the
 * fixture's owner; with `vesting` a vesting schedule whose foundation is the fixture's foundation.
 */
export function newLockup(
  lf: LockupFixture,
  name: string,
  options: { balance?: bigint; vesting?: VestingSchedule; parent?: Account } = {},
): Promise<Account> {
  return deployRealLockup(options.parent ?? lf.factory, name, {
    owner: lf.owner,
    whitelist: lf.whitelist,
    balance: options.balance,
    vestingSchedule: options.vesting,
    foundation: options.vesting ? lf.foundation : undefined,
  });
}

/** `who` calls a lockup method with 300 Tgas (the lockup's own calls attach 25–175 Tgas). */
export function lockupCall(
  who: Account,
  lockup: Account,
  method: string,
  args: Record<string, unknown> = {},
): Promise<CallOutcome> {
  return who.callRaw(lockup, method, args, { gas: PING_GAS });
}

/** The owner selects the metapool as the lockup's staking pool; returns the lockup's answer. */
export async function selectMetapool(lf: LockupFixture, lockup: Account): Promise<CallOutcome> {
  return lockupCall(lf.owner, lockup, 'select_staking_pool', {
    staking_pool_account_id: lf.f.metapool.accountId,
  });
}
