// Pure basket and schedule rules: the same functions ping and the unstake prediction call.
import {
  type BasketContext,
  capExcess,
  chooseRebalance,
  chooseStake,
  chooseUnstake,
  isStuck,
  isTimerFree,
  newValidator,
  roomUnderCaps,
  stuckNear,
  unstakeEpochFor,
  unstakeModeAt,
} from '../src/metapool/basket';
import {
  addBucket,
  maturedUnstaked,
  splitProRata,
  takeLatest,
  takeMatured,
} from '../src/metapool/schedule';
import {
  type Bucket,
  MAX_BUCKETS,
  STUCK_GRACE_EPOCHS,
  type ValidatorRecord,
} from '../src/metapool/types';

const N = 10n ** 24n;

function pool(
  accountId: string,
  staked: bigint,
  extra: Partial<ValidatorRecord> = {},
): ValidatorRecord {
  return { ...newValidator(accountId, 1), staked, ...extra };
}

function ctx(extra: Partial<BasketContext> = {}): BasketContext {
  return {
    epoch: 10,
    ownStakeNear: 1_000n * N,
    maxPoolShareBps: 10_000,
    maxNetworkShareBps: 10_000,
    minStakeNear: N,
    networkTotalStake: 1_000_000n * N,
    validatorStake: () => 0n,
    unstakeMode: 'any',
    ...extra,
  };
}

describe('basket', () => {
  it('stakes into the pool furthest below target, up to its target', () => {
    const vs = [pool('a', 400n * N), pool('b', 100n * N), pool('c', 300n * N)];
    const pick = chooseStake(vs, 300n * N, ctx());
    expect(pick?.index).toBe(1);
    // target = 1000/3 = 333.33.. NEAR; b is 233.33.. below it
    expect(pick?.amount).toBe((1_000n * N) / 3n - 100n * N);
  });

  it('never passes cap 1 even with a single pool; never passes the network cap', () => {
    const single = [pool('a', 0n)];
    const pick = chooseStake(single, 1_000n * N, ctx({ maxPoolShareBps: 5_000 }));
    expect(pick?.amount).toBe(500n * N);
    expect(
      chooseStake([pool('a', 500n * N)], 500n * N, ctx({ maxPoolShareBps: 5_000 })),
    ).toBeNull();
    // network: 10% of 1,000,000 = 100,000; validator holds 99,990 already
    const net = ctx({
      maxNetworkShareBps: 1_000,
      validatorStake: () => 99_990n * N,
      ownStakeNear: 10_000_000n * N,
    });
    expect(roomUnderCaps(pool('a', 0n), net)).toBe(10n * N);
    // what we added this epoch counts although validator_stake lags
    expect(roomUnderCaps(pool('a', 0n, { addedEpoch: 8, addedNear: 4n * N }), net)).toBe(6n * N);
    expect(roomUnderCaps(pool('a', 0n, { addedEpoch: 7, addedNear: 4n * N }), net)).toBe(10n * N);
  });

  it('unstakes only from timer-free pools, the most above target first', () => {
    const vs = [
      pool('a', 600n * N, { unstaked: 5n * N, lastUnstakeEpoch: 8, unlockEpoch: 12 }),
      pool('b', 300n * N),
      pool('c', 100n * N),
    ];
    expect(isTimerFree(vs[0], 10)).toBe(false);
    const pick = chooseUnstake(vs, 50n * N, ctx());
    expect(pick).toEqual({ index: 1, amount: 50n * N });
    // same epoch as its last unstake: a second unstake keeps the timer
    expect(isTimerFree(pool('a', N, { unstaked: N, lastUnstakeEpoch: 10 }), 10)).toBe(true);
  });

  it('trims a validator above the network-share cap, never more than we hold, timer-free only', () => {
    // cap 2: 10% of 1,000,000 = 100,000 NEAR; validator a shows 109,000 (others moved out).
    // What we unstake leaves the total too: x solves 109,000 − x = 10% × (1,000,000 − x).
    const net = ctx({
      ownStakeNear: 100_000n * N,
      maxNetworkShareBps: 1_000,
      validatorStake: (id) => (id === 'a' ? 109_000n * N : 50_000n * N),
    });
    const vs = [pool('b', 300n * N), pool('a', 20_000n * N)];
    expect(capExcess(vs[1], net)).toEqual({ pool: 0n, network: 10_000n * N });
    expect(chooseRebalance(vs, net)).toEqual({
      index: 1,
      amount: 10_000n * N,
      reason: 'network_cap',
    });
    // our stake there is all a trim can take back
    expect(chooseRebalance([pool('a', 2_000n * N)], net)).toEqual({
      index: 0,
      amount: 2_000n * N,
      reason: 'network_cap',
    });
    // pending unstaked funds from an earlier epoch: no trim (it would re-lock them, §6)
    const pending = pool('a', 20_000n * N, { unstaked: N, lastUnstakeEpoch: 9, unlockEpoch: 13 });
    expect(chooseRebalance([pending], net)).toBeNull();
    // withdrawn, but validator_stake does not show that unstake yet: no second trim
    expect(chooseRebalance([pool('a', 20_000n * N, { lastUnstakeEpoch: 8 })], net)).toBeNull();
    expect(chooseRebalance([pool('a', 20_000n * N, { lastUnstakeEpoch: 7 })], net)?.amount).toBe(
      10_000n * N,
    );
    // below the minimum stake: left alone (no dust unstakes that lock the pool's timer)
    const dust = { ...net, validatorStake: () => 100_000n * N + N / 4n };
    expect(capExcess(pool('a', 20_000n * N), dust).network).toBe(((N / 4n) * 10n) / 9n + 1n);
    expect(chooseRebalance([pool('a', 20_000n * N)], dust)).toBeNull();
    // a 100% cap never trims
    expect(capExcess(pool('a', 20_000n * N), { ...net, maxNetworkShareBps: 10_000 }).network).toBe(
      0n,
    );
    // above both caps (cap 1: 50% of 30,000 = 15,000): the larger excess
    const both = { ...net, ownStakeNear: 30_000n * N, maxPoolShareBps: 5_000 };
    expect(chooseRebalance([pool('a', 20_000n * N)], both)).toEqual({
      index: 0,
      amount: 10_000n * N,
      reason: 'network_cap',
    });
    const mostlyPool = { ...both, validatorStake: () => 100_900n * N };
    expect(chooseRebalance([pool('a', 20_000n * N)], mostlyPool)).toEqual({
      index: 0,
      amount: 5_000n * N,
      reason: 'pool_cap',
    });
  });

  it('predicts the epoch at which timer-free stake covers the need', () => {
    const vs = [
      pool('a', 100n * N, { unstaked: N, lastUnstakeEpoch: 9, unlockEpoch: 13 }),
      pool('b', 50n * N),
    ];
    const now = { epoch: 10, unstakeMode: 'any' as const };
    expect(unstakeEpochFor(vs, 0n, now)).toBe(10);
    expect(unstakeEpochFor(vs, 50n * N, now)).toBe(10);
    expect(unstakeEpochFor(vs, 51n * N, now)).toBe(13);
    expect(unstakeEpochFor(vs, 151n * N, now)).toBeNull();
  });

  it('predicts with the rule ping applies: failed or busy pools wait an epoch', () => {
    const now = { epoch: 10, unstakeMode: 'any' as const };
    const failed = pool('b', 50n * N, {
      failed: { sync: -1, stake: -1, unstake: 10, withdraw: -1 },
    });
    // b's unstake failed this epoch: ping skips it until epoch 11, and so does the prediction
    expect(unstakeEpochFor([failed], 10n * N, now)).toBe(11);
    expect(chooseUnstake([failed], 10n * N, ctx())).toBeNull();
    // another operation's failure (sync) does not block the unstake
    const syncFailed = pool('b', 50n * N, {
      failed: { sync: 10, stake: -1, unstake: -1, withdraw: -1 },
    });
    expect(unstakeEpochFor([syncFailed], 10n * N, now)).toBe(10);
    expect(chooseUnstake([syncFailed], 10n * N, ctx())).toEqual({ index: 0, amount: 10n * N });
    const busy = pool('b', 50n * N, { inFlight: true });
    expect(unstakeEpochFor([busy], 10n * N, now)).toBe(11);
  });

  it("joins this epoch's unstake at a pool only while the epoch's end is provably far", () => {
    const joined = pool('a', 100n * N, { unstaked: N, lastUnstakeEpoch: 10, unlockEpoch: 14 });
    expect(isTimerFree(joined, 10, 'any')).toBe(true);
    expect(isTimerFree(joined, 10, 'fresh')).toBe(false);
    expect(chooseUnstake([joined], N, ctx({ unstakeMode: 'fresh' }))).toBeNull();
    // fresh mode: the prediction waits for the pool's timer
    expect(unstakeEpochFor([joined], N, { epoch: 10, unstakeMode: 'fresh' })).toBe(14);
    // last call of epoch 9 at height 950, epochs of 100 blocks: epoch 10 ends at 1050 or later
    expect(unstakeModeAt(10, 1_000, 9, 950, 100, 20)).toBe('any');
    expect(unstakeModeAt(10, 1_030, 9, 950, 100, 20)).toBe('any');
    expect(unstakeModeAt(10, 1_031, 9, 950, 100, 20)).toBe('fresh');
    // nothing seen before this epoch: the end is unknown
    expect(unstakeModeAt(10, 1_000, -1, 0, 100, 20)).toBe('fresh');
    // last seen two epochs back: each epoch spans at least 100 heights
    expect(unstakeModeAt(10, 1_000, 8, 850, 100, 20)).toBe('any');
  });

  it('stops counting NEAR stuck at a pool past its unlock after the grace epochs', () => {
    const v = pool('a', 0n, { unstaked: 5n * N, unlockEpoch: 10 });
    expect(isStuck(v, 10 + STUCK_GRACE_EPOCHS)).toBe(false);
    expect(isStuck(v, 11 + STUCK_GRACE_EPOCHS)).toBe(true);
    expect(stuckNear([v, pool('b', N)], 11 + STUCK_GRACE_EPOCHS)).toBe(5n * N);
    // rounding dust is never "stuck"
    expect(isStuck(pool('c', 0n, { unstaked: 3n, unlockEpoch: 1 }), 50)).toBe(false);
  });
});

describe('unstake buckets', () => {
  it('merges one epoch and matured buckets, keeps future epochs apart, never runs out', () => {
    const b: Bucket[] = [];
    addBucket(b, 14, 5n, 10);
    addBucket(b, 14, 5n, 10);
    addBucket(b, 12, 1n, 10);
    expect(b).toEqual([
      { unlockEpoch: 12, near: 1n },
      { unlockEpoch: 14, near: 10n },
    ]);
    // at epoch 14 both have matured: they merge with the new matured NEAR into one bucket
    addBucket(b, 0, 2n, 14);
    expect(b).toEqual([{ unlockEpoch: 14, near: 13n }]);
    // a full record of future buckets: new NEAR joins the first later bucket (never earlier)
    for (let e = 0; b.length < MAX_BUCKETS; e++) addBucket(b, 100 + e, 1n, 14);
    addBucket(b, 99, 7n, 14);
    expect(b.length).toBe(MAX_BUCKETS);
    expect(b.find((x) => x.unlockEpoch === 100)?.near).toBe(8n);
    // later than every bucket: the latest bucket waits until then
    addBucket(b, 999, 1n, 14);
    expect(b.length).toBe(MAX_BUCKETS);
    expect(b.at(-1)).toEqual({ unlockEpoch: 999, near: 2n });
    expect(b.reduce((s, x) => s + x.near, 0n)).toBe(13n + 11n + 7n + 1n);
  });

  it('takes matured buckets oldest first and restakes latest first', () => {
    const b: Bucket[] = [
      { unlockEpoch: 5, near: 3n },
      { unlockEpoch: 7, near: 4n },
      { unlockEpoch: 9, near: 5n },
    ];
    expect(maturedUnstaked(b, 7)).toBe(7n);
    expect(takeMatured(b, 7, 5n)).toEqual([
      { unlockEpoch: 7, near: 2n },
      { unlockEpoch: 9, near: 5n },
    ]);
    expect(takeLatest(b, 6n)).toEqual([
      { unlockEpoch: 5, near: 3n },
      { unlockEpoch: 7, near: 3n },
    ]);
  });

  it('splits pro rata, rounding down', () => {
    const from: Bucket[] = [
      { unlockEpoch: 5, near: 10n },
      { unlockEpoch: 6, near: 1n },
    ];
    expect(splitProRata(from, 1n, 3n)).toEqual([{ unlockEpoch: 5, near: 3n }]);
    expect(from).toEqual([
      { unlockEpoch: 5, near: 7n },
      { unlockEpoch: 6, near: 1n },
    ]);
  });
});
