// Validators: stake locking, epoch rewards, the 3-epoch release of lowered stake, and faults.
import { type Account, type CallError, Localnet } from '../src';
import { NEAR } from './support/fixtures';

const EPOCH = 10;

describe('staking and epochs', () => {
  let net: Localnet;
  let val: Account;

  beforeEach(async () => {
    net = await Localnet.init({ epochLength: EPOCH });
    val = await net.root.createSubAccount('val', { initialBalance: 1_000n * NEAR });
    net.setRewardRate(val.accountId, { num: 1, den: 100 });
  });

  /** Stake in the current epoch's validator set. */
  const stakeNow = (id: string) => net.chain.validatorStake(id);

  it('counts epochs in blocks and fast-forwards to the first block of an epoch', async () => {
    const start = net.epochHeight();
    await net.fastForwardEpochs(2);
    expect(net.epochHeight()).toBe(start + 2);
    expect(net.blockHeight() % EPOCH).toBe(0);
    const h = net.blockHeight();
    await net.fastForward(3);
    expect(net.blockHeight()).toBe(h + 3);
    expect(net.chain.block().timestampNs - net.chain.timestampOf(h)).toBe(3_000_000_000n);
  });

  it('locks stake at once; the account validates from the epoch after next', async () => {
    await val.stake(100n * NEAR);
    const b = await val.balance();
    expect(b.staked).toBe(100n * NEAR);
    expect(b.total).toBeGreaterThan(999n * NEAR);
    expect(stakeNow(val.accountId)).toBe(0n);
    await net.fastForwardEpochs(1);
    expect(stakeNow(val.accountId)).toBe(0n);
    await net.fastForwardEpochs(1);
    expect(stakeNow(val.accountId)).toBe(100n * NEAR);
    expect(net.chain.validatorTotalStake()).toBe(stakeNow('test.near') + 100n * NEAR);
  });

  it('credits rewards to locked at each boundary while a validator, compounding', async () => {
    await val.stake(100n * NEAR);
    await net.fastForwardEpochs(2); // a validator from now on
    const locked: bigint[] = [(await val.balance()).staked];
    for (let i = 0; i < 3; i++) {
      await net.fastForwardEpochs(1);
      locked.push((await val.balance()).staked);
    }
    const rewards = locked.slice(1).map((l, i) => l - locked[i]);
    // 1% of the stake in each epoch's set; a reward joins the stake two epochs later.
    expect(rewards).toEqual([NEAR, NEAR, (101n * NEAR) / 100n]);
  });

  it('offline validators earn nothing; back online they earn again', async () => {
    await val.stake(100n * NEAR);
    await net.fastForwardEpochs(2);
    net.setValidatorOnline(val.accountId, false);
    const before = (await val.balance()).staked;
    await net.fastForwardEpochs(2);
    expect((await val.balance()).staked).toBe(before);
    net.setValidatorOnline(val.accountId, true);
    await net.fastForwardEpochs(1);
    expect((await val.balance()).staked).toBeGreaterThan(before);
  });

  it('releases a lowered stake at the start of the third epoch after the lowering', async () => {
    net.setRewardRate(val.accountId, { num: 0, den: 1 });
    await val.stake(100n * NEAR);
    await net.fastForwardEpochs(3);
    const lowered = net.epochHeight();
    await val.stake(40n * NEAR);
    expect((await val.balance()).staked).toBe(100n * NEAR); // nothing moves yet
    await net.fastForwardEpochs(1);
    expect((await val.balance()).staked).toBe(100n * NEAR);
    await net.fastForwardEpochs(1);
    expect((await val.balance()).staked).toBe(100n * NEAR);
    expect(stakeNow(val.accountId)).toBe(40n * NEAR); // the set changed at E+2 ...
    await net.fastForwardEpochs(1);
    expect(net.epochHeight()).toBe(lowered + 3);
    expect((await val.balance()).staked).toBe(40n * NEAR); // ... the funds come back at E+3
  });

  it('unstaking to 0 leaves the set and returns everything', async () => {
    net.setRewardRate(val.accountId, { num: 0, den: 1 });
    await val.stake(100n * NEAR);
    await net.fastForwardEpochs(2);
    await val.stake(0n);
    const liquid = (await val.balance()).total - (await val.balance()).staked;
    await net.fastForwardEpochs(3);
    expect(stakeNow(val.accountId)).toBe(0n);
    const b = await val.balance();
    expect(b.staked).toBe(0n);
    expect(b.total).toBe(liquid + 100n * NEAR);
  });

  it('rejects staking more than the liquid balance, and unstaking with nothing staked', async () => {
    await expect(val.stake(5_000n * NEAR)).rejects.toThrow(/TriesToStake/);
    const err: CallError = await val.stake(0n).catch((e) => e);
    expect(err.message).toMatch(/TriesToUnstake/);
  });

  it('slash burns a fraction of locked balance and of the validator stake', async () => {
    net.setRewardRate(val.accountId, { num: 0, den: 1 });
    await val.stake(100n * NEAR);
    await net.fastForwardEpochs(2);
    const taken = net.slash(val.accountId, { num: 1, den: 10 });
    expect(taken).toBe(10n * NEAR);
    expect((await val.balance()).staked).toBe(90n * NEAR);
    expect(stakeNow(val.accountId)).toBe(90n * NEAR);
    await net.fastForwardEpochs(4);
    expect((await val.balance()).staked).toBe(90n * NEAR); // no release, no resurrection
  });

  it('snapshot/restore covers validators, rewards and faults', async () => {
    await val.stake(100n * NEAR);
    const snap = net.snapshot();
    const height = net.blockHeight();
    await net.fastForwardEpochs(3);
    net.setValidatorOnline(val.accountId, false);
    net.restore(snap);
    expect(net.blockHeight()).toBe(height);
    expect((await val.balance()).staked).toBe(100n * NEAR);
    await net.fastForwardEpochs(3);
    expect((await val.balance()).staked).toBeGreaterThan(100n * NEAR); // online again
  });
});
