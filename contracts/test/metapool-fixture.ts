// Shared setup of the metapool suites: a localnet with the protocol deployed (contracts/deploy),
// plus helpers (keeper loop, state reads, the §11 invariant checks).
import { type Account, Localnet, wasmEngineUnavailableReason } from '@snear/localnet';
import {
  contractPath,
  deployProtocol,
  deployStakingPool,
  NEAR,
  type PingStep,
  type Protocol,
  type ProtocolOptions,
  pingUntilIdle as pingMetapoolUntilIdle,
  realPeersUnavailableReason,
  USER_GAS,
} from '../deploy/protocol';
import { viewU128 } from './support/core-contracts';

export {
  NEAR,
  PING_GAS,
  type PingStep,
  STAKE_PUBLIC_KEY,
  TGAS,
  USER_GAS,
} from '../deploy/protocol';

/** A u128 view as bigint. */
export const viewBig = viewU128;

/** Path of a built contract bundle (`make contracts`). */
export const buildPath = contractPath;

export interface ValidatorView {
  account_id: string;
  weight: number;
  staked: string;
  unstaked: string;
  target: string;
  max_stake: string;
  unstake_unlock_epoch: number;
  timer_pending: boolean;
  in_flight: boolean;
  failed_epoch: number;
  /** validator_stake of the pool (the network's view, all delegators). */
  network_stake: string;
  /** NEAR of ours above cap 1 / cap 2 that a trim could take back. */
  pool_excess_near: string;
  network_excess_near: string;
  over_cap: boolean;
  /** validator_stake already shows our last unstake there (a cap-2 trim may run). */
  network_stake_settled: boolean;
}

/** The fields of get_contract_state the tests read. */
export interface ContractStateView {
  total_staked_near: string;
  total_snear: string;
  liquidity: string;
  pool_snear: string;
  lp_shares: string;
  min_fee_bps: number;
  max_fee_bps: number;
  target_liquidity: string;
  treasury_cut_bps: number;
  epoch_height: number;
  reserve_near: string;
  pending_unstake_near: string;
  retrieved_near: string;
  owed_near: string;
  pools_staked_near: string;
  pools_unstaked_near: string;
  lp_unstaking_near: string;
  /** The instant-exit pool's self-unstake buckets (newer contracts). */
  lp_unstaking_schedule?: { unlock_epoch: number; amount: string }[];
  lockup_shares: string;
  seed_snear: string;
  ft_total_supply: string;
  rewards_near: string;
  losses_near: string;
  pool_cap_near: string;
  network_cap_near: string;
  network_total_stake: string;
  validators: ValidatorView[];
  params: Record<string, unknown>;
}

export interface FixtureOptions extends Omit<ProtocolOptions, 'users'> {
  epochLength?: number;
  /** Nanoseconds between blocks (localnet default 1 s; longer makes weeks pass in few blocks). */
  blockTimeNs?: bigint;
  engine?: 'vm' | 'wasm';
  /** Users created with 1,000,000 NEAR each. */
  users?: string[];
}

export interface Fixture extends Protocol {
  /** Called after every ping step with what it did (timer watch). */
  afterPing?: (step: PingStep) => Promise<void>;
}

/**
 * Creates `<name>.test.near` and deploys + initialises a staking pool (no owner fee): NEAR's real
 * one unless the real contracts cannot run here.
 */
export function deployPool(root: Account, name: string, owner: Account): Promise<Account> {
  return deployStakingPool(root, name, owner);
}

/** Why NEAR's real staking pool and whitelist cannot run here (a test that needs them skips). */
export function realPeersSkipReason(): string | undefined {
  return realPeersUnavailableReason() ?? wasmEngineUnavailableReason();
}

/** Whitelist, pools (given at init, applied at once) and the metapool (default timelock). */
export async function setup(options: FixtureOptions = {}): Promise<Fixture> {
  const net = await Localnet.init({
    epochLength: options.epochLength ?? 60,
    // unnamed: LOCALNET_ENGINE (the contracts-wasm project runs every suite on the .wasm builds)
    ...(options.engine === undefined ? {} : { engine: options.engine }),
    ...(options.blockTimeNs === undefined ? {} : { blockTimeNs: options.blockTimeNs }),
  });
  const users = Object.fromEntries((options.users ?? []).map((name) => [name, 1_000_000n * NEAR]));
  return deployProtocol(net, { ...options, users });
}

/** get_contract_state. */
export async function contractState(f: Fixture): Promise<ContractStateView> {
  return (await f.metapool.view('get_contract_state', {})) as ContractStateView;
}

/** Calls ping until it reports idle (bounded); returns the steps taken. */
export function pingUntilIdle(
  f: Fixture,
  keeper: Account = f.owner,
  maxSteps = 200,
): Promise<string[]> {
  return pingMetapoolUntilIdle(keeper, f.metapool, {
    maxSteps,
    onStep: (step) => f.afterPing?.(step),
  });
}

/** Advances `n` epochs, running the keeper to idle after each. */
export async function epochs(f: Fixture, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    // the keeper finishes the epoch's work first: unstakes run in the epoch they were predicted for
    await pingUntilIdle(f);
    await f.net.fastForwardEpochs(1);
    await pingUntilIdle(f);
  }
}

/** The panic message of a failed call (throws if it did not fail). */
export async function failure(
  caller: Account,
  contract: Account,
  method: string,
  args: unknown,
  opts: { attachedDeposit?: bigint; gas?: bigint } = {},
): Promise<string> {
  const out = await caller.callRaw(contract, method, args, { gas: USER_GAS, ...opts });
  if (out.status !== 'failure') throw new Error(`${method} succeeded, expected a failure`);
  return out.failureMessage ?? '';
}

/** Reads `account_id`'s balances on a staking pool. */
export async function poolAccount(
  pool: Account,
  accountId: string,
): Promise<{ staked: bigint; unstaked: bigint; canWithdraw: boolean }> {
  const a = (await pool.view('get_account', { account_id: accountId })) as {
    staked_balance: string;
    unstaked_balance: string;
    can_withdraw: boolean;
  };
  return {
    staked: BigInt(a.staked_balance),
    unstaked: BigInt(a.unstaked_balance),
    canWithdraw: a.can_withdraw,
  };
}

const ROUNDING_FUND = NEAR / 100n;

/**
 * Runs user operations and checks the invariants of PROTOCOL §11 after each: it tracks the NEAR
 * users put in and took out, and the share price.
 */
export class Auditor {
  /** NEAR users attached to staking/LP calls minus NEAR paid out to them. */
  netUserNear = 0n;
  /** Set once a slash happened (the price may fall, pool balances may drop). */
  slashed = false;
  private price: { near: bigint; snear: bigint } | null = null;
  private losses = 0n;
  readonly holders = new Set<string>();
  readonly failures: string[] = [];

  constructor(readonly f: Fixture) {
    for (const u of Object.values(f.users)) this.holders.add(u.accountId);
    this.holders.add(f.treasury.accountId);
  }

  private async run(user: Account, method: string, args: unknown, deposit = 0n, gas = USER_GAS) {
    this.holders.add(user.accountId);
    const before = await this.snapshotState();
    const out = await user.callRaw(this.f.metapool, method, args, {
      attachedDeposit: deposit,
      gas,
    });
    if (out.status === 'failure') {
      // §11.6: a failed call changes nothing.
      const after = await this.snapshotState();
      if (after !== before)
        throw new Error(`${method} failed but changed the state: ${out.failureMessage}`);
      this.failures.push(out.failureMessage ?? '');
    }
    return out;
  }

  /** The contract's whole storage (no VM call): equal before and after a failed call (§11.6). */
  private async snapshotState(): Promise<string> {
    const state = await this.f.metapool.viewState();
    return state
      .entries()
      .map(([k, v]) => `${Buffer.from(k).toString('hex')}=${Buffer.from(v).toString('hex')}`)
      .sort()
      .join(';');
  }

  /** deposit_and_stake; returns sNEAR received or null on failure. */
  async stake(user: Account, amount: bigint): Promise<bigint | null> {
    const out = await this.run(user, 'deposit_and_stake', {}, amount);
    if (out.status === 'failure') return null;
    this.netUserNear += amount;
    return BigInt(out.value as string);
  }

  /** unstake(amount); returns the predicted unlock epoch or null. */
  async unstake(user: Account, amount: bigint): Promise<number | null> {
    const out = await this.run(user, 'unstake', { amount: amount.toString() });
    return out.status === 'failure' ? null : (out.value as number);
  }

  /** unstake_all; returns the unlock epoch or null. */
  async unstakeAll(user: Account): Promise<number | null> {
    const out = await this.run(user, 'unstake_all', {});
    return out.status === 'failure' ? null : (out.value as number);
  }

  /** withdraw_all; returns NEAR received or null. */
  async withdrawAll(user: Account): Promise<bigint | null> {
    const out = await this.run(user, 'withdraw_all', {});
    if (out.status === 'failure') return null;
    const got = BigInt(out.value as string);
    this.netUserNear -= got;
    return got;
  }

  /** liquid_unstake; returns the quote view or null. */
  async liquidUnstake(
    user: Account,
    snear: bigint,
    minNearOut = 0n,
  ): Promise<Record<string, string> | null> {
    const out = await this.run(
      user,
      'liquid_unstake',
      { snear_amount: snear.toString(), min_near_out: minNearOut.toString() },
      1n,
    );
    if (out.status === 'failure') return null;
    const q = out.value as Record<string, string>;
    this.netUserNear -= BigInt(q.near_out);
    return q;
  }

  /** add_liquidity; returns LP shares or null. */
  async addLiquidity(user: Account, amount: bigint): Promise<bigint | null> {
    const out = await this.run(user, 'add_liquidity', {}, amount);
    if (out.status === 'failure') return null;
    this.netUserNear += amount;
    return BigInt(out.value as string);
  }

  /** remove_liquidity; returns the payout or null. */
  async removeLiquidity(user: Account, shares: bigint): Promise<Record<string, string> | null> {
    const out = await this.run(user, 'remove_liquidity', { shares: shares.toString() });
    if (out.status === 'failure') return null;
    const r = out.value as Record<string, string>;
    this.netUserNear -= BigInt(r.near_out);
    return r;
  }

  /** ft_transfer (1 yocto); true on success. */
  async transfer(user: Account, to: Account, amount: bigint): Promise<boolean> {
    this.holders.add(to.accountId);
    const out = await this.run(
      user,
      'ft_transfer',
      { receiver_id: to.accountId, amount: amount.toString() },
      1n,
    );
    return out.status === 'success';
  }

  /** Every invariant of §11 that a state can show (caps too when `idle`). */
  async check(idle = false): Promise<ContractStateView> {
    const s = await contractState(this.f);
    const big = (x: string) => BigInt(x);
    // 1. identity of the staked side, and NEAR conservation to the yocto
    expect(
      big(s.pools_staked_near) +
        big(s.pools_unstaked_near) +
        big(s.reserve_near) +
        big(s.retrieved_near),
    ).toBe(big(s.total_staked_near) + big(s.owed_near));
    const held =
      big(s.reserve_near) +
      big(s.retrieved_near) +
      big(s.liquidity) +
      big(s.pools_staked_near) +
      big(s.pools_unstaked_near);
    // (share rounding inside a staking pool is paid from the rounding fund into the reserve)
    expect(held).toBe(
      big(s.seed_snear) + this.netUserNear + big(s.rewards_near) - big(s.losses_near),
    );
    const roundingFund = big((s as unknown as Record<string, string>).rounding_fund_near);
    expect(roundingFund).toBeLessThanOrEqual(ROUNDING_FUND);
    // NEAR's pool charges a stake the floor value of its shares and credits an unstake the ceiling,
    // paying the difference from its own guarantee fund: our balance there never dips, so our
    // rounding fund (for pools that round against the delegator, like our stand-in) stays whole
    if (this.f.peers === 'real') expect(roundingFund).toBe(ROUNDING_FUND);
    // the NEAR the books say is in the contract is there
    const bal = await this.f.metapool.balance();
    expect(bal.available).toBeGreaterThanOrEqual(
      big(s.reserve_near) + big(s.retrieved_near) + big(s.liquidity),
    );
    // pools hold at least what we recorded (rewards only add) unless slashed
    if (idle && !this.slashed) {
      let recorded = 0n;
      let actual = 0n;
      for (const v of s.validators) {
        const pool = this.f.pools.find((p) => p.accountId === v.account_id)!;
        const a = await poolAccount(pool, this.f.metapool.accountId);
        recorded += big(v.staked) + big(v.unstaked);
        actual += a.staked + a.unstaked;
      }
      expect(actual).toBeGreaterThanOrEqual(recorded);
    }
    // 2. supply = Σ balances; LP shares = Σ LP balances; owed = Σ buckets (every account record)
    const storage = await this.f.metapool.viewState();
    let transferable = 0n;
    let lockup = 0n;
    let lp = 0n;
    let owed = 0n;
    for (const [k, v] of storage.entries()) {
      const key = Buffer.from(k).toString('utf8');
      if (!key.startsWith('a:')) continue;
      const acc = JSON.parse(Buffer.from(v).toString('utf8')) as {
        shares: string;
        lp: string;
        buckets: { near: string }[];
        lockup: boolean;
      };
      // (a record's class is fixed while it holds anything: the lockup suffixes may change)
      if (acc.lockup) {
        lockup += big(acc.shares);
        expect(big(acc.lp)).toBe(0n); // a lockup never holds LP shares (§9)
      } else transferable += big(acc.shares);
      lp += big(acc.lp);
      for (const b of acc.buckets) owed += big(b.near);
    }
    const contractFt = await viewBig(this.f.metapool, 'ft_balance_of', {
      account_id: this.f.metapool.accountId,
    });
    expect(contractFt).toBe(big(s.pool_snear) + big(s.seed_snear));
    expect(transferable + contractFt).toBe(big(s.ft_total_supply));
    expect(lockup).toBe(big(s.lockup_shares));
    expect(big(s.ft_total_supply) + big(s.lockup_shares)).toBe(big(s.total_snear));
    expect(lp).toBe(big(s.lp_shares));
    expect(owed).toBe(big(s.owed_near));
    // 3. share price never falls without slashing: after a slash, only in a step that booked a loss
    const price = { near: big(s.total_staked_near), snear: big(s.total_snear) };
    const losses = big(s.losses_near);
    if (this.price && !(this.slashed && losses > this.losses)) {
      expect(price.near * this.price.snear).toBeGreaterThanOrEqual(this.price.near * price.snear);
    }
    this.price = price;
    this.losses = losses;
    // 7. after maintenance, no pool above cap 1 or cap 2 unless its timer forbids trimming it yet
    if (idle) {
      const minStake = big(String(s.params.min_stake_near));
      for (const v of s.validators) {
        // (a pool whose call failed this epoch is retried, and trimmed, next epoch)
        if (v.timer_pending || v.failed_epoch === s.epoch_height) continue;
        expect(big(v.staked)).toBeLessThanOrEqual(big(s.pool_cap_near) + NEAR);
        // cap 2 is read from validator_stake, which shows our last unstake two epochs late
        if (v.network_stake_settled) expect(big(v.network_excess_near)).toBeLessThan(minStake);
      }
    }
    return s;
  }
}

/**
 * Watches the staking pools for §6: after every remote ping step it reads our balance on that
 * pool, and fails if one of our unstakes re-locked funds still pending from an earlier epoch.
 */
export class TimerWatch {
  private last = new Map<string, { unstaked: bigint; unlock: number }>();
  violations: string[] = [];
  unstakeCalls = 0;

  constructor(readonly f: Fixture) {}

  /** Call with every ping step. */
  async observe(step: PingStep): Promise<void> {
    if (!step.pool || !['unstake', 'withdraw', 'stake', 'sync'].includes(step.action)) return;
    const pool = this.f.pools.find((p) => p.accountId === step.pool)!;
    const epoch = this.f.net.epochHeight();
    const a = await poolAccount(pool, this.f.metapool.accountId);
    const prev = this.last.get(pool.accountId) ?? { unstaked: 0n, unlock: 0 };
    let unlock = prev.unlock;
    if (step.action === 'unstake' && step.ok !== false) {
      // The pool sets the unlock of our whole unstaked balance to epoch + 4.
      this.unstakeCalls += 1;
      const pending = prev.unstaked > 0n && prev.unlock > epoch;
      if (pending && epoch + 4 > prev.unlock) {
        this.violations.push(
          `${pool.accountId}: unlock ${prev.unlock} pushed to ${epoch + 4} at epoch ${epoch}`,
        );
      }
      unlock = epoch + 4;
    }
    if (a.unstaked === 0n) unlock = 0;
    this.last.set(pool.accountId, { unstaked: a.unstaked, unlock });
  }
}

/** NEAR's staking pool's record of one delegator (core-contracts staking-pool `Account`, Borsh). */
export interface PoolDelegatorRecord {
  unstaked: bigint;
  stakeShares: bigint;
  /** The epoch from which `unstaked` can be withdrawn; every `unstake` sets it to epoch + 4. */
  unstakedAvailableEpochHeight: number;
}

/** Rounding dust an unstake may re-lock without delaying anyone (basket.POOL_DUST_NEAR). */
export const POOL_DUST_NEAR = 1_000_000n;

/**
 * Reads `accountId`'s record straight from a NEAR core-contracts staking pool's storage (no VM
 * call): `accounts: UnorderedMap<AccountId, Account>` under prefix "u", i.e. "ui" + borsh(id) → u64
 * index, "uv" + u64 index → Account { unstaked: u128, stake_shares: u128,
 * unstaked_available_epoch_height: u64 }. Null when the pool has no record of it (or is not
 * NEAR's pool: our stand-in stores JSON, see `realPool`).
 */
export function readPoolDelegator(
  net: Localnet,
  poolId: string,
  accountId: string,
): PoolDelegatorRecord | null {
  const state = net.chain.account(poolId)?.state;
  if (!state) return null;
  const id = Buffer.from(accountId, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(id.length);
  const indexKey = Buffer.concat([Buffer.from('ui'), len, id]).toString('latin1');
  const index = state.get(indexKey);
  if (index?.length !== 8) return null;
  const valueKey = Buffer.concat([Buffer.from('uv'), Buffer.from(index)]).toString('latin1');
  const v = state.get(valueKey);
  if (v?.length !== 40) return null;
  const b = Buffer.from(v);
  const u128 = (at: number) => b.readBigUInt64LE(at) + (b.readBigUInt64LE(at + 8) << 64n);
  return {
    unstaked: u128(0),
    stakeShares: u128(16),
    unstakedAvailableEpochHeight: Number(b.readBigUInt64LE(32)),
  };
}

/**
 * §6 on NEAR's real pools, whatever the timing of receipts: every staking pool resets
 * `unstaked_available_epoch_height` of an account's WHOLE unstaked balance to epoch + 4 at each
 * `unstake`. Installed on the localnet, the watch reads the metapool's record at every pool
 * (raw storage, no VM call) before and after every transaction, and records a violation when that
 * height moved while the metapool held unstaked NEAR there from before (more than rounding dust):
 * a re-lock. An unstake that joins one made earlier in the same epoch sets the same height.
 */
export class RelockWatch {
  readonly violations: string[] = [];
  /** Transactions watched, and those during which an unlock height was set (unstakes). */
  transactions = 0;
  unstakes = 0;
  private last = new Map<string, PoolDelegatorRecord | null>();
  private readonly original: Localnet['executeTransaction'];

  constructor(
    readonly f: Fixture,
    readonly poolIds: string[] = f.pools.map((p) => p.accountId),
  ) {
    const net = f.net;
    this.original = net.executeTransaction;
    this.observe('start');
    net.executeTransaction = (tx) => {
      this.observe(`before tx to ${tx.receiverId}`);
      const out = this.original.call(net, tx);
      this.transactions += 1;
      const method = tx.actions.find((a) => a.type === 'FunctionCall') as
        | { methodName?: string }
        | undefined;
      this.observe(`${tx.signerId} → ${tx.receiverId}.${method?.methodName ?? '?'}`);
      return out;
    };
  }

  /** Compares every pool's record with the last one seen (call after any out-of-band change). */
  observe(label: string): void {
    const me = this.f.metapool.accountId;
    const epoch = this.f.net.epochHeight();
    for (const id of this.poolIds) {
      const now = readPoolDelegator(this.f.net, id, me);
      const before = this.last.get(id) ?? null;
      if (before && now) {
        const moved = now.unstakedAvailableEpochHeight !== before.unstakedAvailableEpochHeight;
        if (moved) this.unstakes += 1;
        if (moved && before.unstaked > POOL_DUST_NEAR) {
          this.violations.push(
            `${id}: ${before.unstaked} yocto unstaked (unlock epoch ${before.unstakedAvailableEpochHeight}) ` +
              `re-locked to epoch ${now.unstakedAvailableEpochHeight} at epoch ${epoch} (${label})`,
          );
        }
      }
      this.last.set(id, now);
    }
  }

  /** Stops watching (restores the localnet's executeTransaction). */
  stop(): void {
    this.f.net.executeTransaction = this.original;
  }
}

/** The instant-exit pool's own unstake buckets (its self-unstakes): get_contract_state's list. */
export async function lpUnstakeSchedule(
  f: Fixture,
  s?: ContractStateView,
): Promise<{ unlock_epoch: number; amount: string }[]> {
  const state = s ?? (await contractState(f));
  if (state.lp_unstaking_schedule === undefined) {
    throw new Error('get_contract_state has no lp_unstaking_schedule');
  }
  return state.lp_unstaking_schedule;
}
