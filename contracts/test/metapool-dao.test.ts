// Governance by a real Sputnik DAO v2 (sputnikdao2.wasm, sputnik_staking.wasm) on localnet's wasm
// engine: holders of the governance token stake it in Sputnik's staking contract and delegate it;
// token-weighted votes pass FunctionCall proposals that reach the metapool with the DAO account as
// caller (its `governance_id`); every change then waits in the metapool's timelock, where a staker
// who disagrees can leave first and the owner can cancel it. The metapool, whitelist and staking
// pools are the real builds too (metapool.wasm, NEAR's whitelist.wasm and staking_pool.wasm).
import { type Account, type CallOutcome, Localnet } from '@snear/localnet';
import {
  DAO_GAS,
  defaultPolicy,
  deployGovernanceDao,
  deployGovernanceToken,
  functionCallKind,
  METAPOOL_CALL_GAS,
  type Policy,
  stakeAndDelegate,
  TOKEN,
  vote,
} from '../deploy/dao';
import { functionCallReceipts } from '../deploy/mainnet-wasm';
import {
  applyQueuedChanges,
  deployGovToken,
  deployProtocol,
  deployStakingPool,
  GOV,
  NEAR,
  PING_GAS,
  type Protocol,
  TGAS,
  USER_GAS,
} from '../deploy/protocol';
import { wasmGasSkipReason } from './support/wasm-gas';

jest.setTimeout(300_000);

const SECOND_NS = 1_000_000_000n;
/** Localnet makes a block a second; 60-block epochs. */
const EPOCH_LENGTH = 60;
/** The metapool's timelock here: longer than a delayed unstake (4 pool epochs + 1). */
const TIMELOCK_EPOCHS = 6;
/** Voting period on localnet (30 min = 30 epochs); the default policy's other fields as they are. */
const PROPOSAL_PERIOD_NS = 1_800n * SECOND_NS;

interface Change {
  id: number;
  kind: string;
  account_id: string;
  weight: number;
  eta_epoch: number;
  fees: Record<string, unknown> | null;
}
interface Proposal {
  id: number;
  proposer: string;
  status: string;
  vote_counts: Record<string, [string, string, string]>;
  kind: Record<string, unknown>;
}

interface World extends Protocol {
  token: Account;
  tokenKind: string;
  dao: Account;
  staking: Account;
  policy: Policy;
  holders: { alice: Account; bob: Account; carol: Account };
  /** An sNEAR holder who disagrees with a change. */
  sam: Account;
  /** Not a staking pool, not whitelisted. */
  notAPool: Account;
  /** 1/1000 of the holders' tokens (1,000 gov tokens, or 1 sNEAR). */
  unit: bigint;
  /** Gas burnt per DAO-side call, for the printout. */
  gas: Map<string, { attached: bigint; burnt: bigint }>;
}

const tg = (g: bigint) => (Number(g) / 1e12).toFixed(2);

function record(w: World, label: string, attached: bigint, out: CallOutcome): CallOutcome {
  const prev = w.gas.get(label);
  if (!prev || out.gasBurnt > prev.burnt) w.gas.set(label, { attached, burnt: out.gasBurnt });
  return out;
}

async function pingUntilIdle(w: World): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const step = (await w.owner.call(w.metapool, 'ping', {}, { gas: PING_GAS })) as {
      action: string;
    };
    if (step.action === 'idle') return;
  }
  throw new Error('ping did not go idle');
}

/** Advances `n` epochs with the keeper running ping to idle around each. */
async function epochs(w: World, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await pingUntilIdle(w);
    await w.net.fastForwardEpochs(1);
    await pingUntilIdle(w);
  }
}

const pending = async (w: World) => (await w.metapool.view('get_pending_changes', {})) as Change[];
const proposal = async (w: World, id: number) =>
  (await w.dao.view('get_proposal', { id })) as Proposal;
const validators = async (w: World) =>
  (
    (await w.metapool.view('get_contract_state', {})) as {
      validators: { account_id: string; weight: number }[];
    }
  ).validators.map((v) => [v.account_id, v.weight]);
const params = async (w: World) =>
  (
    (await w.metapool.view('get_contract_state', {})) as {
      params: Record<string, unknown>;
    }
  ).params;

/** add_proposal through `proposer`, timing it. */
async function addProposal(
  w: World,
  proposer: Account,
  description: string,
  kind: Record<string, unknown>,
): Promise<number> {
  const out = await proposer.callRaw(
    w.dao,
    'add_proposal',
    { proposal: { description, kind } },
    { attachedDeposit: BigInt(w.policy.proposal_bond), gas: DAO_GAS.addProposal },
  );
  record(w, 'dao.add_proposal', DAO_GAS.addProposal, out);
  if (out.status !== 'success') throw new Error(`add_proposal failed: ${out.failureMessage}`);
  return out.value as number;
}

/** Votes; returns the outcome and the failure messages of the metapool receipts it caused. */
async function castVote(
  w: World,
  voter: Account,
  id: number,
  action: 'VoteApprove' | 'VoteReject' | 'Finalize' = 'VoteApprove',
): Promise<{ out: CallOutcome; metapoolFailures: string[] }> {
  const out = await vote(voter, w.dao, id, action);
  if (out.status !== 'success') throw new Error(`act_proposal failed: ${out.failureMessage}`);
  const executes = out.receipts.some((r) => r.executor === w.metapool.accountId);
  record(w, executes ? 'dao.act_proposal (executes)' : 'dao.act_proposal', DAO_GAS.vote, out);
  if (executes) {
    for (const r of functionCallReceipts(out)) {
      const label = `  receipt ${r.receiver.split('.')[0]}.${r.method}`;
      const prev = w.gas.get(label);
      if (!prev || r.gasBurnt > prev.burnt)
        w.gas.set(label, { attached: r.attachedGas, burnt: r.gasBurnt });
    }
  }
  const metapoolFailures = out.receipts
    .filter((r) => r.executor === w.metapool.accountId && r.status === 'failure')
    .map((r) => r.failureMessage ?? '');
  return { out, metapoolFailures };
}

/** Everyone votes approve until it passes (alice 50%, bob 30%, carol 20% of delegated tokens). */
async function pass(w: World, id: number) {
  const { alice, bob } = w.holders;
  await castVote(w, bob, id);
  return castVote(w, alice, id);
}

async function setup(): Promise<World> {
  const net = await Localnet.init({ engine: 'wasm', epochLength: EPOCH_LENGTH });
  const daoId = `dao.${net.root.accountId}`;
  const p = await deployProtocol(net, {
    pools: 0,
    extraPools: 3,
    peers: 'real',
    init: { governance_id: daoId, timelock_epochs: TIMELOCK_EPOCHS },
  });
  const { root, owner, metapool, pools } = p;
  const w = { ...p, gas: new Map() } as World;
  // the owner's own first list waits out the timelock like everything else
  for (const pool of pools.slice(0, 2))
    await owner.call(
      metapool,
      'add_validator',
      { account_id: pool.accountId, weight: 1 },
      { gas: PING_GAS },
    );
  await epochs(w, TIMELOCK_EPOCHS);
  expect(await validators(w)).toEqual([
    [pools[0].accountId, 1],
    [pools[1].accountId, 1],
  ]);

  const minter = await root.createSubAccount('minter', { initialBalance: 5_000n * NEAR });
  // the gov-token build when present (contracts/build/gov-token.*), else sNEAR
  const { token, kind, mint } = await deployGovernanceToken(root, { minter, metapool });
  w.token = token;
  w.tokenKind = kind;
  // holders hold 500 / 300 / 200 units; sNEAR's unit is 1 NEAR so that the minter can stake it
  w.unit = kind === 'gov-token' ? 1_000n * TOKEN : NEAR;
  const policy = defaultPolicy({ proposalPeriodNs: PROPOSAL_PERIOD_NS, quorum: 100n * w.unit });
  const dao = await deployGovernanceDao(root, {
    token,
    policy,
    unstakePeriodNs: PROPOSAL_PERIOD_NS,
  });
  expect(dao.dao.accountId).toBe(daoId);
  w.dao = dao.dao;
  w.staking = dao.staking;
  w.policy = dao.policy;

  const holders = {
    alice: await root.createSubAccount('alice', { initialBalance: 1_000n * NEAR }),
    bob: await root.createSubAccount('bob', { initialBalance: 1_000n * NEAR }),
    carol: await root.createSubAccount('carol', { initialBalance: 1_000n * NEAR }),
  };
  const amounts = { alice: 500n * w.unit, bob: 300n * w.unit, carol: 200n * w.unit };
  for (const [name, who] of Object.entries(holders)) {
    const amount = amounts[name as keyof typeof amounts];
    await mint(who, amount);
    await stakeAndDelegate(who, { token, staking: w.staking, amount });
  }
  w.holders = holders;
  w.sam = await root.createSubAccount('sam', { initialBalance: 100_000n * NEAR });
  await w.sam.call(
    metapool,
    'deposit_and_stake',
    {},
    { attachedDeposit: 20_000n * NEAR, gas: USER_GAS },
  );
  await pingUntilIdle(w);
  w.notAPool = await root.createSubAccount('notapool', { initialBalance: 10n * NEAR });
  return w;
}

const reason = wasmGasSkipReason();

(reason ? describe.skip : describe)(
  `a real Sputnik DAO governs the metapool through its timelock${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    let w: World;

    beforeAll(async () => {
      w = await setup();
    });

    afterAll(() => {
      if (!w) return;
      const rows = [...w.gas.entries()].map(
        ([label, g]) =>
          `${label.padEnd(34)} attached ${tg(g.attached).padStart(7)}  burnt ${tg(g.burnt).padStart(6)} Tgas`,
      );
      console.log(
        `DAO-side gas (token: ${w.tokenKind}; whole transaction burn):\n${rows.join('\n')}`,
      );
    });

    it('the DAO obeys the default policy alone: token-weighted holders, staking contract set, bootstrap role gone', async () => {
      const policy = (await w.dao.view('get_policy', {})) as Policy;
      expect(policy.roles.map((r) => r.name)).toEqual(['holders']);
      expect(policy.roles[0].kind).toEqual({ Member: '1' });
      expect([...policy.roles[0].permissions].sort()).toEqual(
        ['*:AddProposal', '*:Finalize', '*:VoteApprove', '*:VoteReject', '*:VoteRemove'].sort(),
      );
      expect(policy.default_vote_policy).toEqual({
        weight_kind: 'TokenWeight',
        quorum: (100n * w.unit).toString(),
        threshold: [1, 2],
      });
      expect(policy.proposal_bond).toBe((5n * NEAR).toString());
      expect(policy.proposal_period).toBe(PROPOSAL_PERIOD_NS.toString());
      expect(await w.dao.view('get_staking_contract', {})).toBe(w.staking.accountId);
      // the set-up proposals are on record
      const setupKinds = [0, 1].map(async (id) => Object.keys((await proposal(w, id)).kind)[0]);
      expect(await Promise.all(setupKinds)).toEqual([
        'SetStakingContract',
        'ChangePolicyRemoveRole',
      ]);
      // every holder's weight is what they delegated
      expect(await w.dao.view('delegation_total_supply', {})).toBe((1_000n * w.unit).toString());
      expect(
        await w.dao.view('delegation_balance_of', { account_id: w.holders.bob.accountId }),
      ).toBe((300n * w.unit).toString());
      // the metapool knows the DAO as its governance account
      const state = (await w.metapool.view('get_contract_state', {})) as Record<string, unknown>;
      expect(state.governance_id).toBe(w.dao.accountId);
      expect((state.params as Record<string, unknown>).timelock_epochs).toBe(TIMELOCK_EPOCHS);
    });

    it('refuses a staking unstake period shorter than the voting period', async () => {
      await expect(
        deployGovernanceDao(w.root, {
          token: w.token,
          name: 'dao-bad',
          stakingName: 'dao-bad-staking',
          policy: defaultPolicy({ proposalPeriodNs: PROPOSAL_PERIOD_NS }),
          unstakePeriodNs: PROPOSAL_PERIOD_NS - 1n,
        }),
      ).rejects.toThrow('E_DAO_POLICY');
    });

    it('only delegated holders propose, with the bond', async () => {
      const kind = functionCallKind(w.metapool.accountId, 'add_validator', {
        account_id: w.pools[2].accountId,
        weight: 1,
      });
      const stranger = w.sam; // holds sNEAR but no delegated governance tokens
      const denied = await stranger.callRaw(
        w.dao,
        'add_proposal',
        { proposal: { description: 'x', kind } },
        { attachedDeposit: BigInt(w.policy.proposal_bond), gas: DAO_GAS.addProposal },
      );
      expect(denied.failureMessage).toContain('ERR_PERMISSION_DENIED');
      const noBond = await w.holders.carol.callRaw(
        w.dao,
        'add_proposal',
        { proposal: { description: 'x', kind } },
        { attachedDeposit: BigInt(w.policy.proposal_bond) - 1n, gas: DAO_GAS.addProposal },
      );
      expect(noBond.failureMessage).toContain('ERR_MIN_BOND');
      // nor can anyone but the DAO (or the owner) queue a change at the metapool
      const direct = await w.holders.alice.callRaw(
        w.metapool,
        'add_validator',
        { account_id: w.pools[2].accountId, weight: 1 },
        { gas: PING_GAS },
      );
      expect(direct.failureMessage).toContain('E_UNAUTHORIZED');
    });

    it('adds a validator: votes count by delegated tokens, more than half of all delegated passes, the change waits in the timelock', async () => {
      const { alice, bob, carol } = w.holders;
      const id = await addProposal(
        w,
        carol,
        `add ${w.pools[2].accountId}`,
        functionCallKind(w.metapool.accountId, 'add_validator', {
          account_id: w.pools[2].accountId,
          weight: 2,
        }),
      );
      await castVote(w, bob, id);
      await castVote(w, carol, id);
      let p = await proposal(w, id);
      // 300k + 200k of 1M delegated: exactly half is not more than half
      expect(p.vote_counts.holders[0]).toBe((500n * w.unit).toString());
      expect(p.status).toBe('InProgress');
      expect(await pending(w)).toEqual([]);
      const twice = await vote(bob, w.dao, id);
      expect(twice.failureMessage).toContain('ERR_ALREADY_VOTED');

      const epochBefore = w.net.epochHeight();
      const { out, metapoolFailures } = await castVote(w, alice, id);
      expect(metapoolFailures).toEqual([]);
      p = await proposal(w, id);
      expect(p.status).toBe('Approved');
      // the proposal's FunctionCall reached the metapool with the DAO as caller
      const call = functionCallReceipts(out).find((r) => r.method === 'add_validator');
      expect(call?.predecessor).toBe(w.dao.accountId);
      expect(call?.attachedGas).toBe(METAPOOL_CALL_GAS.add_validator);
      const queued = await pending(w);
      expect(queued).toMatchObject([
        { kind: 'add_validator', account_id: w.pools[2].accountId, weight: 2 },
      ]);
      // eta = the epoch the metapool ran the call in + timelock_epochs
      const eta = queued[0].eta_epoch;
      expect(eta).toBeGreaterThanOrEqual(epochBefore + TIMELOCK_EPOCHS);
      expect(eta).toBeLessThanOrEqual(w.net.epochHeight() + TIMELOCK_EPOCHS);
      // nothing changes before the timelock ends: applying at eta - 1 applies nothing
      if (eta - 1 > w.net.epochHeight())
        await w.net.fastForwardEpochs(eta - 1 - w.net.epochHeight());
      expect(w.net.epochHeight()).toBe(eta - 1);
      expect(await w.owner.call(w.metapool, 'apply_changes', {}, { gas: PING_GAS })).toEqual({
        applied: 0,
        rejected: [],
      });
      expect((await validators(w)).map(([a]) => a)).not.toContain(w.pools[2].accountId);
      expect(await pending(w)).toHaveLength(1);
      await w.net.fastForwardEpochs(1);
      await pingUntilIdle(w);
      expect(await pending(w)).toEqual([]);
      expect(await validators(w)).toContainEqual([w.pools[2].accountId, 2]);
    });

    it('changes weights and fee parameters in one proposal (two actions, one batch to the metapool)', async () => {
      const { alice } = w.holders;
      const kind = functionCallKind(w.metapool.accountId, 'set_validator_weight', {
        account_id: w.pools[0].accountId,
        weight: 3,
      }) as { FunctionCall: { actions: unknown[] } };
      const fees = functionCallKind(w.metapool.accountId, 'propose_fee_params', {
        reward_fee_bps: 1_000,
        treasury_cut_bps: 0,
      }) as { FunctionCall: { actions: unknown[] } };
      kind.FunctionCall.actions.push(...fees.FunctionCall.actions);
      const id = await addProposal(w, alice, 'pool0 weight 3; reward fee 10%', kind);
      const { metapoolFailures } = await pass(w, id);
      expect(metapoolFailures).toEqual([]);
      expect((await proposal(w, id)).status).toBe('Approved');
      const queued = await pending(w);
      expect(queued.map((c) => c.kind)).toEqual(['set_weight', 'fee_params']);
      expect(queued[1].fees).toMatchObject({ reward_fee_bps: 1_000 });
      await epochs(w, TIMELOCK_EPOCHS);
      expect(await validators(w)).toContainEqual([w.pools[0].accountId, 3]);
      expect((await params(w)).reward_fee_bps).toBe(1_000);
      expect(await pending(w)).toEqual([]);
    });

    it('a staker who disagrees unstakes at proposal time and has the NEAR back before the change applies', async () => {
      const { carol } = w.holders;
      const id = await addProposal(
        w,
        carol,
        `remove ${w.pools[1].accountId}`,
        functionCallKind(w.metapool.accountId, 'remove_validator', {
          account_id: w.pools[1].accountId,
        }),
      );
      // sam sees the proposal and leaves by delayed unstake right away
      const unlock = (await w.sam.call(w.metapool, 'unstake_all', {}, { gas: USER_GAS })) as number;
      const { metapoolFailures } = await pass(w, id);
      expect(metapoolFailures).toEqual([]);
      const [change] = await pending(w);
      expect(change.kind).toBe('remove_validator');
      expect(unlock).toBeLessThan(change.eta_epoch);
      const before = (await w.sam.balance()).available;
      while (w.net.epochHeight() < unlock) await epochs(w, 1);
      const got = BigInt(
        (await w.sam.call(w.metapool, 'withdraw_all', {}, { gas: USER_GAS })) as string,
      );
      expect(got).toBeGreaterThan(19_999n * NEAR);
      expect((await w.sam.balance()).available).toBeGreaterThan(before);
      // ...and the change is still waiting
      expect(w.net.epochHeight()).toBeLessThan(change.eta_epoch);
      expect((await pending(w)).map((c) => c.id)).toEqual([change.id]);
      // the guardian could still cancel it (below); here it applies
      while (w.net.epochHeight() < change.eta_epoch) await epochs(w, 1);
      await pingUntilIdle(w);
      expect(await pending(w)).toEqual([]);
    });

    it('a proposal naming a pool not on the lockup whitelist fails with E_NOT_WHITELISTED; nothing is queued', async () => {
      const id = await addProposal(
        w,
        w.holders.alice,
        `add ${w.notAPool.accountId}`,
        functionCallKind(w.metapool.accountId, 'add_validator', {
          account_id: w.notAPool.accountId,
          weight: 1,
        }),
      );
      const { metapoolFailures } = await pass(w, id);
      expect(metapoolFailures.join('\n')).toContain('E_NOT_WHITELISTED');
      expect(metapoolFailures.join('\n')).toContain(
        `${w.notAPool.accountId} is not on the lockup whitelist`,
      );
      expect((await proposal(w, id)).status).toBe('Failed');
      expect(await pending(w)).toEqual([]);
    });

    it('a proposal with a reward fee beyond the 20% hard cap fails with E_BAD_PARAMS: it can never queue, so never apply', async () => {
      const id = await addProposal(
        w,
        w.holders.alice,
        'reward fee 25%',
        functionCallKind(w.metapool.accountId, 'propose_fee_params', { reward_fee_bps: 2_500 }),
      );
      const { metapoolFailures } = await pass(w, id);
      expect(metapoolFailures.join('\n')).toContain('E_BAD_PARAMS');
      expect(metapoolFailures.join('\n')).toContain('reward_fee_bps 2500 exceeds the cap of 2000');
      expect((await proposal(w, id)).status).toBe('Failed');
      expect(await pending(w)).toEqual([]);
    });

    it('the owner cancels a change the DAO queued; it never applies', async () => {
      const id = await addProposal(
        w,
        w.holders.alice,
        'pool2 weight 9',
        functionCallKind(w.metapool.accountId, 'set_validator_weight', {
          account_id: w.pools[2].accountId,
          weight: 9,
        }),
      );
      await pass(w, id);
      const [change] = await pending(w);
      expect(change).toMatchObject({ kind: 'set_weight', weight: 9 });
      await w.owner.call(w.metapool, 'cancel_change', { id: change.id }, { gas: USER_GAS });
      expect(await pending(w)).toEqual([]);
      await epochs(w, TIMELOCK_EPOCHS);
      expect(await validators(w)).toContainEqual([w.pools[2].accountId, 2]);
    });

    it('the DAO itself can cancel a queued change by proposal', async () => {
      await w.owner.call(
        w.metapool,
        'set_validator_weight',
        { account_id: w.pools[2].accountId, weight: 5 },
        { gas: USER_GAS },
      );
      const [change] = await pending(w);
      const id = await addProposal(
        w,
        w.holders.bob,
        `cancel change ${change.id}`,
        functionCallKind(w.metapool.accountId, 'cancel_change', { id: change.id }),
      );
      const { metapoolFailures } = await pass(w, id);
      expect(metapoolFailures).toEqual([]);
      expect(await pending(w)).toEqual([]);
    });

    it('votes are reckoned against all delegated tokens: a majority against rejects, and the bond goes back', async () => {
      const { alice, bob, carol } = w.holders;
      const id = await addProposal(
        w,
        carol,
        'pool0 weight 1',
        functionCallKind(w.metapool.accountId, 'set_validator_weight', {
          account_id: w.pools[0].accountId,
          weight: 1,
        }),
      );
      await castVote(w, carol, id);
      await castVote(w, bob, id, 'VoteReject');
      const before = (await carol.balance()).available;
      await castVote(w, alice, id, 'VoteReject');
      expect((await proposal(w, id)).status).toBe('Rejected');
      expect((await carol.balance()).available - before).toBe(BigInt(w.policy.proposal_bond));
      expect(await pending(w)).toEqual([]);
    });

    it('tokens that voted cannot move and vote again within the voting period', async () => {
      const { alice, bob } = w.holders;
      const id = await addProposal(
        w,
        bob,
        'pool0 weight 4',
        functionCallKind(w.metapool.accountId, 'set_validator_weight', {
          account_id: w.pools[0].accountId,
          weight: 4,
        }),
      );
      await castVote(w, bob, id);
      // bob takes his 300k back to hand them to a friend who would vote again
      const amount = (300n * w.unit).toString();
      const undelegate = await bob.callRaw(
        w.staking,
        'undelegate',
        { account_id: bob.accountId, amount },
        { gas: DAO_GAS.delegate },
      );
      record(w, 'staking.undelegate', DAO_GAS.delegate, undelegate);
      expect(undelegate.status).toBe('success');
      const early = await bob.callRaw(w.staking, 'withdraw', { amount }, { gas: DAO_GAS.withdraw });
      expect(early.failureMessage).toContain('ERR_NOT_ENOUGH_TIME_PASSED');
      // his vote still counts; the total delegated fell, so alice's 500k of 700k now passes it
      const { metapoolFailures } = await castVote(w, alice, id);
      expect(metapoolFailures).toEqual([]);
      expect((await proposal(w, id)).status).toBe('Approved');
      // after the unstake period (= the voting period) the tokens are free
      await w.net.fastForward(Number(PROPOSAL_PERIOD_NS / SECOND_NS) + 1);
      const late = await bob.callRaw(w.staking, 'withdraw', { amount }, { gas: DAO_GAS.withdraw });
      record(w, 'staking.withdraw', DAO_GAS.withdraw, late);
      expect(late.status).toBe('success');
      expect(await w.token.view('ft_balance_of', { account_id: bob.accountId })).toBe(amount);
      await pingUntilIdle(w);
    });

    it('a vote without gas for the proposal call fails whole: the vote is not recorded', async () => {
      // (bob has left: alice's 500k of the 700k still delegated are a majority alone)
      const { alice, carol } = w.holders;
      const id = await addProposal(
        w,
        carol,
        'pool0 weight 2',
        functionCallKind(w.metapool.accountId, 'set_validator_weight', {
          account_id: w.pools[0].accountId,
          weight: 2,
        }),
      );
      await castVote(w, carol, id);
      // 50 Tgas for the metapool + 10 for the DAO's callback do not fit in 40 Tgas
      const p = await proposal(w, id);
      const short = await alice.callRaw(
        w.dao,
        'act_proposal',
        { id, action: 'VoteApprove', proposal: p.kind },
        { gas: 40n * TGAS },
      );
      expect(short.status).toBe('failure');
      expect(short.failureMessage).toContain('Exceeded the prepaid gas');
      expect((await proposal(w, id)).vote_counts.holders[0]).toBe(p.vote_counts.holders[0]);
      expect(await pending(w)).toEqual([]);
      const { metapoolFailures } = await castVote(w, alice, id);
      expect(metapoolFailures).toEqual([]);
      expect(await pending(w)).toHaveLength(1);
      await w.owner.call(
        w.metapool,
        'cancel_change',
        { id: (await pending(w))[0].id },
        { gas: USER_GAS },
      );
    });

    it('a proposal short of a majority expires: Finalize returns the bond, but a late vote first strands it', async () => {
      const { alice, carol } = w.holders;
      const kind = functionCallKind(w.metapool.accountId, 'propose_fee_params', {
        reward_fee_bps: 500,
      });
      const finalized = await addProposal(w, carol, 'reward fee 5% (a)', kind);
      const voted = await addProposal(w, carol, 'reward fee 5% (b)', kind);
      await castVote(w, carol, finalized);
      await castVote(w, carol, voted);
      await w.net.fastForward(Number(PROPOSAL_PERIOD_NS / SECOND_NS) + 1);
      // Finalize after the period: Expired, bond back to the proposer, nothing executed
      const before = (await carol.balance()).available;
      const fin = await castVote(w, alice, finalized, 'Finalize');
      expect(fin.metapoolFailures).toEqual([]);
      expect((await proposal(w, finalized)).status).toBe('Expired');
      expect((await carol.balance()).available - before).toBe(BigInt(w.policy.proposal_bond));
      // a vote after the period also marks it Expired, without returning the bond...
      const late = await castVote(w, alice, voted);
      expect(late.metapoolFailures).toEqual([]);
      expect((await proposal(w, voted)).status).toBe('Expired');
      // ...and then Finalize refuses: Sputnik only finalizes InProgress or Failed proposals
      const stuck = await vote(carol, w.dao, voted, 'Finalize');
      expect(stuck.failureMessage).toContain('ERR_PROPOSAL_NOT_IN_PROGRESS');
      expect(await pending(w)).toEqual([]);
    });

    it('the DAO names a guardian through the timelock; the guardian cancels a hostile change the DAO passed', async () => {
      // (bob has left: alice's 500k of the 700k still delegated pass a proposal alone)
      const guardian = await w.root.createSubAccount('guardian', { initialBalance: 10n * NEAR });
      const id = await addProposal(
        w,
        w.holders.alice,
        'guardian',
        functionCallKind(w.metapool.accountId, 'set_guardian', { guardian_id: guardian.accountId }),
      );
      expect((await castVote(w, w.holders.alice, id)).metapoolFailures).toEqual([]);
      const [set] = await pending(w);
      expect(set).toMatchObject({
        kind: 'set_guardian',
        args: { guardian_id: guardian.accountId },
      });
      // not a guardian before the timelock ends
      const early = await guardian.callRaw(w.metapool, 'pause_deposits', {}, { gas: USER_GAS });
      expect(early.failureMessage).toContain('E_UNAUTHORIZED');
      await epochs(w, TIMELOCK_EPOCHS);
      expect(await w.metapool.view('get_governance', {})).toMatchObject({
        guardian_id: guardian.accountId,
        governance_id: w.dao.accountId,
      });
      // a hostile proposal passes: weight everything onto one pool, and the reward fee at its cap
      const hostile = functionCallKind(w.metapool.accountId, 'set_validator_weight', {
        account_id: w.pools[2].accountId,
        weight: 1_000_000,
      }) as { FunctionCall: { actions: unknown[] } };
      const fee = functionCallKind(w.metapool.accountId, 'propose_fee_params', {
        reward_fee_bps: 2_000,
      }) as { FunctionCall: { actions: unknown[] } };
      hostile.FunctionCall.actions.push(...fee.FunctionCall.actions);
      const hid = await addProposal(w, w.holders.alice, 'hostile', hostile);
      expect((await castVote(w, w.holders.alice, hid)).metapoolFailures).toEqual([]);
      const queued = await pending(w);
      expect(queued.map((c) => c.kind)).toEqual(['set_weight', 'fee_params']);
      for (const c of queued)
        await guardian.call(w.metapool, 'cancel_change', { id: c.id }, { gas: USER_GAS });
      expect(await pending(w)).toEqual([]);
      await epochs(w, TIMELOCK_EPOCHS);
      expect(await validators(w)).toContainEqual([w.pools[2].accountId, 2]);
      expect((await params(w)).reward_fee_bps).toBe(1_000);
      // the guardian may do nothing else: no change of its own
      const own = await guardian.callRaw(
        w.metapool,
        'set_validator_weight',
        { account_id: w.pools[2].accountId, weight: 9 },
        { gas: USER_GAS },
      );
      expect(own.failureMessage).toContain('E_UNAUTHORIZED');
    });

    it('a pool the foundation takes off the whitelist after the vote fails at apply with E_NOT_WHITELISTED', async () => {
      const pool = await deployStakingPool(w.root, 'pool9', w.owner, { peers: 'real' });
      await w.owner.call(
        w.whitelist,
        'add_staking_pool',
        { staking_pool_account_id: pool.accountId },
        { gas: PING_GAS },
      );
      const id = await addProposal(
        w,
        w.holders.alice,
        `add ${pool.accountId}`,
        functionCallKind(w.metapool.accountId, 'add_validator', {
          account_id: pool.accountId,
          weight: 1,
        }),
      );
      expect((await castVote(w, w.holders.alice, id)).metapoolFailures).toEqual([]);
      const [change] = await pending(w);
      await w.owner.call(
        w.whitelist,
        'remove_staking_pool',
        { staking_pool_account_id: pool.accountId },
        { gas: PING_GAS },
      );
      await w.net.fastForwardEpochs(change.eta_epoch - w.net.epochHeight());
      const res = await w.sam.call(w.metapool, 'apply_changes', {}, { gas: PING_GAS });
      expect(res).toEqual({
        applied: 0,
        rejected: [
          {
            id: change.id,
            error: `E_NOT_WHITELISTED: ${pool.accountId} is not on the lockup whitelist ${w.whitelist.accountId} at apply time; the change is dropped`,
          },
        ],
      });
      expect(await pending(w)).toEqual([]);
      expect((await validators(w)).map(([a]) => a)).not.toContain(pool.accountId);
    });

    it('with sNEAR as the token (the fallback), a second DAO works but is not the metapool governance: E_UNAUTHORIZED', async () => {
      const minter = await w.root.createSubAccount('minter2', { initialBalance: 5_000n * NEAR });
      const { token, kind, mint } = await deployGovernanceToken(w.root, {
        minter,
        metapool: w.metapool,
        kind: 'snear',
      });
      expect(kind).toBe('snear');
      const dave = await w.root.createSubAccount('dave', { initialBalance: 1_000n * NEAR });
      const other = await deployGovernanceDao(w.root, {
        token,
        name: 'dao-snear',
        members: [dave],
        stakingName: 'dao-snear-staking',
        policy: defaultPolicy({ proposalPeriodNs: PROPOSAL_PERIOD_NS, quorum: 100n * NEAR }),
        unstakePeriodNs: PROPOSAL_PERIOD_NS,
      });
      // members come registered on the token and in the staking contract
      expect(
        await other.staking.view('storage_balance_of', { account_id: dave.accountId }),
      ).not.toBeNull();
      expect(await token.view('storage_balance_of', { account_id: dave.accountId })).not.toBeNull();
      await mint(dave, 500n * NEAR);
      const snear = 500n * NEAR;
      await stakeAndDelegate(dave, { token, staking: other.staking, amount: snear });
      expect(await other.dao.view('delegation_balance_of', { account_id: dave.accountId })).toBe(
        snear.toString(),
      );
      const id = (await dave.call(
        other.dao,
        'add_proposal',
        {
          proposal: {
            description: 'add pool2 again',
            kind: functionCallKind(w.metapool.accountId, 'set_validator_weight', {
              account_id: w.pools[2].accountId,
              weight: 7,
            }),
          },
        },
        { attachedDeposit: BigInt(other.policy.proposal_bond), gas: DAO_GAS.addProposal },
      )) as number;
      const p = (await other.dao.view('get_proposal', { id })) as Proposal;
      const out = await dave.callRaw(
        other.dao,
        'act_proposal',
        { id, action: 'VoteApprove', proposal: p.kind },
        { gas: DAO_GAS.vote },
      );
      const failures = out.receipts
        .filter((r) => r.executor === w.metapool.accountId && r.status === 'failure')
        .map((r) => r.failureMessage ?? '');
      expect(failures.join('\n')).toContain('E_UNAUTHORIZED');
      expect(((await other.dao.view('get_proposal', { id })) as Proposal).status).toBe('Failed');
      expect(await pending(w)).toEqual([]);
    });

    it('fair launch handover: one queued change, then the owner key changes nothing and the DAO governs', async () => {
      const out = (await w.owner.call(
        w.metapool,
        'hand_over_to_governance',
        {},
        {
          gas: USER_GAS,
        },
      )) as { kind: string; apply_epoch: number };
      expect(out).toMatchObject({ kind: 'handover', args: { governance_id: w.dao.accountId } });
      await epochs(w, TIMELOCK_EPOCHS);
      expect(await w.metapool.view('get_governance', {})).toMatchObject({
        handed_over: true,
        governed_by: [w.dao.accountId],
      });
      for (const [method, args] of [
        ['set_validator_weight', { account_id: w.pools[0].accountId, weight: 7 }],
        ['propose_fee_params', { reward_fee_bps: 0 }],
        ['set_governance', { governance_id: w.owner.accountId }],
        ['set_guardian', { guardian_id: w.owner.accountId }],
        ['pause_deposits', {}],
      ] as const) {
        const r = await w.owner.callRaw(w.metapool, method, args, { gas: PING_GAS });
        expect([method, r.failureMessage]).toEqual([
          method,
          expect.stringContaining('E_UNAUTHORIZED'),
        ]);
      }
      const again = await w.owner.callRaw(
        w.metapool,
        'hand_over_to_governance',
        {},
        { gas: USER_GAS },
      );
      expect(again.failureMessage).toContain('E_HANDED_OVER');
      // the DAO still governs by vote
      const id = await addProposal(
        w,
        w.holders.alice,
        'pool0 weight 6',
        functionCallKind(w.metapool.accountId, 'set_validator_weight', {
          account_id: w.pools[0].accountId,
          weight: 6,
        }),
      );
      expect((await castVote(w, w.holders.alice, id)).metapoolFailures).toEqual([]);
      expect(await pending(w)).toMatchObject([{ kind: 'set_weight', weight: 6 }]);
    });
  },
);

(reason ? describe.skip : describe)(
  `holders earn the governance token from the metapool and govern it with it${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    it('a staker earns GOV, claims it, stakes and delegates it, proposes and passes a change that waits in the timelock', async () => {
      const net = await Localnet.init({ engine: 'wasm', epochLength: EPOCH_LENGTH });
      const daoId = `dao.${net.root.accountId}`;
      const p = await deployProtocol(net, {
        pools: 1,
        peers: 'real',
        init: {
          governance_id: daoId,
          gov_token_id: `gov.${net.root.accountId}`,
          gov_rate_per_second: GOV.toString(),
        },
        users: { holder: 10_000n * NEAR },
      });
      const gov = await deployGovToken(net.root, p.metapool);
      const { holder } = p.users;
      await holder.call(
        p.metapool,
        'deposit_and_stake',
        {},
        { attachedDeposit: 1_000n * NEAR, gas: USER_GAS },
      );
      await net.fastForward(100);
      const dao = await deployGovernanceDao(net.root, {
        token: gov,
        members: [holder],
        policy: defaultPolicy({ proposalPeriodNs: PROPOSAL_PERIOD_NS, quorum: GOV }),
        unstakePeriodNs: PROPOSAL_PERIOD_NS,
      });
      expect(dao.dao.accountId).toBe(daoId);
      // earned, not minted by hand: the metapool is the token's only minter
      await holder.call(p.metapool, 'claim_gov', {}, { gas: PING_GAS });
      const earned = BigInt(
        (await gov.view('ft_balance_of', { account_id: holder.accountId })) as string,
      );
      expect(earned).toBeGreaterThan(10n * GOV);
      await stakeAndDelegate(holder, { token: gov, staking: dao.staking, amount: earned });
      expect(await dao.dao.view('delegation_balance_of', { account_id: holder.accountId })).toBe(
        earned.toString(),
      );
      const id = (await holder.call(
        dao.dao,
        'add_proposal',
        {
          proposal: {
            description: 'pool0 weight 2',
            kind: functionCallKind(p.metapool.accountId, 'set_validator_weight', {
              account_id: p.pools[0].accountId,
              weight: 2,
            }),
          },
        },
        { attachedDeposit: BigInt(dao.policy.proposal_bond), gas: DAO_GAS.addProposal },
      )) as number;
      const out = await vote(holder, dao.dao, id);
      expect(out.status).toBe('success');
      expect(((await dao.dao.view('get_proposal', { id })) as Proposal).status).toBe('Approved');
      const governance = (await p.metapool.view('get_governance', {})) as {
        governance_id: string;
        queued: { kind: string; args: unknown; apply_epoch: number }[];
      };
      expect(governance.governance_id).toBe(daoId);
      expect(governance.queued).toEqual([
        expect.objectContaining({
          kind: 'set_weight',
          args: { account_id: p.pools[0].accountId, weight: 2 },
          apply_epoch: net.epochHeight() + TIMELOCK_EPOCHS,
        }),
      ]);
      expect(await applyQueuedChanges(net, holder, p.metapool)).toEqual([]);
      const state = (await p.metapool.view('get_contract_state', {})) as {
        validators: { account_id: string; weight: number }[];
      };
      expect(state.validators.map((v) => v.weight)).toEqual([2]);
    });
  },
);
