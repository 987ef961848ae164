// Validators, proposals, epoch rewards, stake release and faults (NEAR-RPC.md §4).
//
// - A Stake action sets the account's proposal ("target"). Raising stake locks balance at once.
// - At the start of epoch E+1 (first block): rewards for epoch E are credited to `locked` of every
//   online validator of E (stake × rate, floor); rewards compound into the target. Then the
//   validator set of E+2 is chosen from the targets (proposals made up to the end of E). Then
//   each account's `locked` is cut to the max of its stakes in the sets of E, E+1 and E+2 and the
//   surplus returns to `amount`: a stake lowered in epoch E is released at the start of E+3.
import type { AccountRecord } from './account';

/** A fraction num/den. */
export interface Ratio {
  num: bigint;
  den: bigint;
}

/** Default reward per epoch: 1/10,000 of stake (≈7.6%/year with 12-hour epochs). */
export const DEFAULT_REWARD_RATE: Ratio = { num: 1n, den: 10_000n };

/** Serializable staking state (copied by snapshots). */
export interface StakingState {
  /** epoch height → validator → stake */
  sets: Map<number, Map<string, bigint>>;
  /** Latest proposal of each account (0 = unstake). */
  targets: Map<string, bigint>;
  rewardRates: Map<string, Ratio>;
  offline: Set<string>;
  defaultRewardRate: Ratio;
}

/** Genesis staking state with the given validators in epochs 0 and 1. */
export function genesisStaking(validators: Map<string, bigint>, rate: Ratio): StakingState {
  return {
    sets: new Map([
      [0, new Map(validators)],
      [1, new Map(validators)],
    ]),
    targets: new Map(validators),
    rewardRates: new Map(),
    offline: new Set(),
    defaultRewardRate: rate,
  };
}

/** Deep copy. */
export function cloneStaking(s: StakingState): StakingState {
  return {
    sets: new Map([...s.sets].map(([e, set]) => [e, new Map(set)])),
    targets: new Map(s.targets),
    rewardRates: new Map(s.rewardRates),
    offline: new Set(s.offline),
    defaultRewardRate: s.defaultRewardRate,
  };
}

/** Stake of an account in an epoch's validator set (0 if not a validator). */
export function stakeIn(s: StakingState, epoch: number, accountId: string): bigint {
  return s.sets.get(epoch)?.get(accountId) ?? 0n;
}

/** Sum of an epoch's validator stakes. */
export function totalStakeIn(s: StakingState, epoch: number): bigint {
  let total = 0n;
  for (const stake of s.sets.get(epoch)?.values() ?? []) total += stake;
  return total;
}

/**
 * Apply the transition into epoch `newEpoch` (rewards for newEpoch−1, selection of newEpoch+1,
 * release of surplus locked balance). `getAccount` returns live records to mutate.
 */
export function applyEpochTransition(
  s: StakingState,
  newEpoch: number,
  getAccount: (id: string) => AccountRecord | undefined,
  allAccounts: () => Iterable<AccountRecord>,
): void {
  const ended = newEpoch - 1;
  for (const [id, stake] of s.sets.get(ended) ?? []) {
    const account = getAccount(id);
    if (!account || s.offline.has(id)) continue;
    const rate = s.rewardRates.get(id) ?? s.defaultRewardRate;
    const reward = (stake * rate.num) / rate.den;
    account.locked += reward;
    const target = s.targets.get(id) ?? 0n;
    if (target > 0n) s.targets.set(id, target + reward);
  }
  const next = new Map<string, bigint>();
  for (const [id, target] of s.targets) {
    if (target > 0n && getAccount(id)) next.set(id, target);
  }
  s.sets.set(newEpoch + 1, next);
  for (const account of allAccounts()) {
    if (account.locked === 0n) continue;
    let max = 0n;
    for (const e of [ended, newEpoch, newEpoch + 1]) {
      const stake = stakeIn(s, e, account.id);
      if (stake > max) max = stake;
    }
    if (account.locked > max) {
      account.amount += account.locked - max;
      account.locked = max;
    }
  }
  for (const e of [...s.sets.keys()]) if (e < ended) s.sets.delete(e);
}

/** Take `fraction` of an account's locked balance (burnt) and of its current/future stakes. */
export function slash(s: StakingState, account: AccountRecord, fraction: Ratio): bigint {
  const cut = (v: bigint): bigint => v - (v * fraction.num) / fraction.den;
  const taken = (account.locked * fraction.num) / fraction.den;
  account.locked -= taken;
  for (const set of s.sets.values()) {
    const stake = set.get(account.id);
    if (stake !== undefined) set.set(account.id, cut(stake));
  }
  const target = s.targets.get(account.id);
  if (target !== undefined) s.targets.set(account.id, cut(target));
  return taken;
}
