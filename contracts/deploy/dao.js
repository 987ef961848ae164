// Governance by a real Sputnik DAO v2 (sputnikdao2.wasm + sputnik_staking.wasm from
// deploy/mainnet-wasm.js, sha256-pinned): the governance token is staked in Sputnik's staking
// contract and delegated; the DAO's one voting role is weighted by those delegated tokens. Its
// FunctionCall proposals reach the metapool with the DAO account as caller (the metapool's
// `governance_id`), where every change still waits out `timelock_epochs`. The policy is in
// docs/GOVERNANCE.md. Plain CommonJS like protocol.js (types in dao.d.ts).
const fs = require('node:fs');
const path = require('node:path');

const { realWasmPath } = require('./mainnet-wasm.js');
const { NEAR, TGAS } = require('./protocol.js');

const SECOND_NS = 1_000_000_000n;
const DAY_NS = 86_400n * SECOND_NS;
/** One whole governance token (24 decimals, the gov-token default and sNEAR's). */
const TOKEN = 10n ** 24n;

/** Gas attached to each DAO-side call (the suite prints what each one burns). */
const DAO_GAS = {
  /** sputnikdao2 `new` and sputnik_staking `new`. */
  init: 100n * TGAS,
  /** `add_proposal` (stores the proposal; no cross-contract call). */
  addProposal: 50n * TGAS,
  /**
   * `act_proposal`: a vote that reaches the threshold executes the proposal in the same call, so
   * this covers the DAO's own work + the FunctionCall's gas + `on_proposal_callback` (10 Tgas).
   */
  vote: 300n * TGAS,
  /** staking `storage_deposit` (forwards `register_delegation` to the DAO with 10 Tgas). */
  stakingRegister: 50n * TGAS,
  /** token `ft_transfer_call` into the staking contract (gov-token needs at least 55 Tgas). */
  stake: 100n * TGAS,
  /** staking `delegate` / `undelegate` (forward 10 Tgas to the DAO). */
  delegate: 50n * TGAS,
  /** staking `withdraw` (ft_transfer 10 Tgas + its callback 10 Tgas). */
  withdraw: 60n * TGAS,
};

/**
 * Gas the FunctionCall action of a proposal gives the metapool. add_validator calls the whitelist
 * (25 Tgas) and its callback (40 Tgas): 150 Tgas leaves it its 2x margin on the rest.
 */
const METAPOOL_CALL_GAS = {
  add_validator: 150n * TGAS,
  set_validator_weight: 50n * TGAS,
  remove_validator: 50n * TGAS,
  propose_fee_params: 50n * TGAS,
  propose_lockup_suffixes: 50n * TGAS,
  cancel_change: 50n * TGAS,
  set_guardian: 50n * TGAS,
  set_governance: 50n * TGAS,
  lower_gov_emission: 50n * TGAS,
  set_gov_split: 50n * TGAS,
  set_gov_token: 50n * TGAS,
  pause_deposits: 50n * TGAS,
  resume_deposits: 50n * TGAS,
  /** Up to 6 whitelist views (25 Tgas each) and the callback: the most a call may take. */
  apply_changes: 250n * TGAS,
};

/** Name of the DAO's one voting role. */
const HOLDERS_ROLE = 'holders';
/** Name of the set-up role, removed before deployGovernanceDao returns. */
const BOOTSTRAP_ROLE = 'bootstrap';

/**
 * The default governance policy (docs/GOVERNANCE.md): one role, `holders` (any account with
 * delegated tokens), token-weighted; a proposal passes when approvals exceed half of all delegated
 * tokens and reach the quorum; 7-day voting; 5 NEAR bond; votes may not remove proposals for free.
 */
function defaultPolicy({
  quorum = 100_000n * TOKEN,
  threshold = [1, 2],
  proposalBond = 5n * NEAR,
  proposalPeriodNs = 7n * DAY_NS,
  minMemberWeight = 1n,
} = {}) {
  return {
    roles: [
      {
        name: HOLDERS_ROLE,
        kind: { Member: minMemberWeight.toString() },
        permissions: [
          '*:AddProposal',
          '*:VoteApprove',
          '*:VoteReject',
          '*:VoteRemove',
          '*:Finalize',
        ],
        vote_policy: {},
      },
    ],
    default_vote_policy: {
      weight_kind: 'TokenWeight',
      quorum: quorum.toString(),
      threshold,
    },
    proposal_bond: proposalBond.toString(),
    proposal_period: proposalPeriodNs.toString(),
    bounty_bond: NEAR.toString(),
    bounty_forgiveness_period: DAY_NS.toString(),
  };
}

/** The set-up role: `account` alone may set the staking contract and then remove this role. */
function bootstrapRole(accountId) {
  const oneOfOne = { weight_kind: 'RoleWeight', quorum: '0', threshold: [1, 2] };
  return {
    name: BOOTSTRAP_ROLE,
    kind: { Group: [accountId] },
    permissions: [
      'set_vote_token:AddProposal',
      'set_vote_token:VoteApprove',
      'policy_remove_role:AddProposal',
      'policy_remove_role:VoteApprove',
    ],
    vote_policy: { set_vote_token: oneOfOne, policy_remove_role: oneOfOne },
  };
}

/** Where a build of our governance token would be (contracts/build/gov-token.{js,wasm}). */
const GOV_TOKEN_BUILD = path.join(__dirname, '..', 'build', 'gov-token');

/**
 * The governance token, behind one function: the gov-token build when present (`minter` mints,
 * `new({ minter_id, name, symbol, supply_cap })`), else (or with `kind: 'snear'`) the metapool's
 * sNEAR. Returns { token, kind, mint }: `mint(to, amount)` gives `to` exactly `amount` tokens
 * (registering it first); with sNEAR the minter stakes twice `amount` in NEAR and transfers
 * `amount` of the sNEAR it got (sNEAR is worth at least 1 NEAR).
 */
async function deployGovernanceToken(
  root,
  { minter, metapool, kind, supplyCap = 1_000_000_000n * TOKEN, name = 'gov' } = {},
) {
  const built = ['.wasm', '.js'].some((ext) => fs.existsSync(GOV_TOKEN_BUILD + ext));
  if (!minter) throw new Error('E_DAO_TOKEN: deployGovernanceToken needs { minter }');
  if ((kind ?? (built ? 'gov-token' : 'snear')) === 'gov-token') {
    if (!built) throw new Error(`E_DAO_TOKEN: no gov-token build at ${GOV_TOKEN_BUILD}.{js,wasm}`);
    const token = await root.createSubAccount(name, { initialBalance: 20n * NEAR });
    // (localnet picks the .wasm build on its wasm engine, the .js bundle on vm)
    await token.deploy(`${GOV_TOKEN_BUILD}.js`);
    await token.call(
      token,
      'new',
      {
        minter_id: minter.accountId,
        name: 'sNEAR Governance',
        symbol: 'GOV',
        supply_cap: supplyCap.toString(),
      },
      { gas: DAO_GAS.init },
    );
    const mint = async (to, amount) => {
      await registerOnToken(to, token, to.accountId);
      await minter.call(
        token,
        'mint',
        { account_id: to.accountId, amount: amount.toString() },
        { gas: 30n * TGAS },
      );
    };
    return { token, kind: 'gov-token', mint };
  }
  if (!metapool) throw new Error('E_DAO_TOKEN: sNEAR as the token needs { metapool }');
  const mint = async (to, amount) => {
    await registerOnToken(to, metapool, to.accountId);
    await minter.call(
      metapool,
      'deposit_and_stake',
      {},
      { attachedDeposit: 2n * amount, gas: 75n * TGAS },
    );
    await minter.call(
      metapool,
      'ft_transfer',
      { receiver_id: to.accountId, amount: amount.toString() },
      { attachedDeposit: 1n, gas: 30n * TGAS },
    );
  };
  return { token: metapool, kind: 'snear', mint };
}

/** NEP-145 registration of `accountId` on `token`, paid by `payer` (its min bound, excess refunded). */
async function registerOnToken(payer, token, accountId) {
  const bounds = await token.view('storage_balance_bounds', {});
  const have = await token.view('storage_balance_of', { account_id: accountId });
  if (have) return;
  await payer.call(
    token,
    'storage_deposit',
    { account_id: accountId },
    { attachedDeposit: BigInt(bounds.min), gas: 30n * TGAS },
  );
}

/**
 * Deploys the governance DAO under `root`: Sputnik's staking contract `<stakingName>.<root>` for
 * `token` (owner the DAO, `unstake_period` ≥ the proposal period) and a Sputnik DAO `<name>.<root>`
 * whose voting role is token-weighted by the tokens delegated there. Set-up goes through the DAO's
 * own proposals: a `bootstrap` role (root alone) sets the staking contract and then removes
 * itself, so the DAO returned obeys `policy` and nothing else. `members` are registered on the
 * token and in the staking contract (root pays their storage).
 */
async function deployGovernanceDao(
  root,
  {
    token,
    members = [],
    name = 'dao',
    stakingName = 'dao-staking',
    policy = defaultPolicy(),
    unstakePeriodNs,
    daoBalance = 30n * NEAR,
    purpose = 'sNEAR governance: validator list and fee parameters, through the metapool timelock',
  },
) {
  if (!token) throw new Error('E_DAO_TOKEN: deployGovernanceDao needs { token }');
  const tokenId = typeof token === 'string' ? token : token.accountId;
  const period = BigInt(policy.proposal_period);
  const unstake = unstakePeriodNs === undefined ? period + DAY_NS : BigInt(unstakePeriodNs);
  if (unstake < period) {
    throw new Error(
      `E_DAO_POLICY: unstake_period ${unstake} ns is shorter than the proposal period ${period} ns: tokens could vote, leave and vote again`,
    );
  }
  const dao = await root.createSubAccount(name, { initialBalance: daoBalance });
  await dao.deploy(realWasmPath('sputnikdao2.wasm'));
  const setup = { ...policy, roles: [...policy.roles, bootstrapRole(root.accountId)] };
  await dao.call(
    dao,
    'new',
    { config: { name, purpose, metadata: '' }, policy: setup },
    { gas: DAO_GAS.init },
  );

  const staking = await root.createSubAccount(stakingName, { initialBalance: 10n * NEAR });
  await staking.deploy(realWasmPath('sputnik_staking.wasm'));
  await staking.call(
    staking,
    'new',
    { owner_id: dao.accountId, token_id: tokenId, unstake_period: unstake.toString() },
    { gas: DAO_GAS.init },
  );
  const tokenAccount = typeof token === 'string' ? root.net.account(token) : token;
  await registerOnToken(root, tokenAccount, staking.accountId);

  // the bootstrap role sets the staking contract, then removes itself
  await passAsBootstrap(root, dao, policy, {
    description: 'set the vote-token staking contract',
    kind: { SetStakingContract: { staking_id: staking.accountId } },
  });
  await passAsBootstrap(root, dao, policy, {
    description: 'remove the bootstrap role',
    kind: { ChangePolicyRemoveRole: { role: BOOTSTRAP_ROLE } },
  });

  for (const m of members) {
    await registerOnToken(root, tokenAccount, m.accountId);
    await registerInStaking(root, staking, m.accountId);
  }
  return { dao, staking, policy: await dao.view('get_policy', {}), unstakePeriodNs: unstake };
}

async function passAsBootstrap(root, dao, policy, proposal) {
  const id = await root.call(
    dao,
    'add_proposal',
    { proposal },
    { attachedDeposit: BigInt(policy.proposal_bond), gas: DAO_GAS.addProposal },
  );
  await root.call(
    dao,
    'act_proposal',
    { id, action: 'VoteApprove', proposal: proposal.kind },
    { gas: DAO_GAS.vote },
  );
  const p = await dao.view('get_proposal', { id });
  if (p.status !== 'Approved') {
    throw new Error(`E_DAO_SETUP: '${proposal.description}' ended ${p.status}`);
  }
}

/** Registers `accountId` in the staking contract (0.01 NEAR: room for a few delegations). */
async function registerInStaking(payer, staking, accountId, deposit = NEAR / 100n) {
  const have = await staking.view('storage_balance_of', { account_id: accountId });
  if (have) return;
  await payer.call(
    staking,
    'storage_deposit',
    { account_id: accountId },
    { attachedDeposit: deposit, gas: DAO_GAS.stakingRegister },
  );
}

/**
 * A holder's path to votes: register in the staking contract, `ft_transfer_call` `amount` of the
 * token into it (msg ""), and delegate it to `delegateTo` (default: the holder).
 */
async function stakeAndDelegate(holder, { token, staking, amount, delegateTo = holder.accountId }) {
  await registerInStaking(holder, staking, holder.accountId);
  if (delegateTo !== holder.accountId) await registerInStaking(holder, staking, delegateTo);
  await holder.call(
    token,
    'ft_transfer_call',
    { receiver_id: staking.accountId, amount: amount.toString(), msg: '' },
    { attachedDeposit: 1n, gas: DAO_GAS.stake },
  );
  await holder.call(
    staking,
    'delegate',
    { account_id: delegateTo, amount: amount.toString() },
    { gas: DAO_GAS.delegate },
  );
}

/** A FunctionCall proposal kind calling `method` on `receiverId` with JSON `args`. */
function functionCallKind(
  receiverId,
  method,
  args,
  gas = METAPOOL_CALL_GAS[method] ?? 100n * TGAS,
  deposit = 0n,
) {
  return {
    FunctionCall: {
      receiver_id: receiverId,
      actions: [
        {
          method_name: method,
          args: Buffer.from(JSON.stringify(args)).toString('base64'),
          deposit: deposit.toString(),
          gas: gas.toString(),
        },
      ],
    },
  };
}

/** `add_proposal` with the policy's bond; returns the proposal id. */
async function propose(proposer, dao, description, kind, bond) {
  const b = bond ?? BigInt((await dao.view('get_policy', {})).proposal_bond);
  return proposer.call(
    dao,
    'add_proposal',
    { proposal: { description, kind } },
    { attachedDeposit: b, gas: DAO_GAS.addProposal },
  );
}

/** `act_proposal` (the kind is repeated, as this Sputnik version requires); returns the outcome. */
async function vote(voter, dao, id, action = 'VoteApprove') {
  const p = await dao.view('get_proposal', { id });
  return voter.callRaw(
    dao,
    'act_proposal',
    { id, action, proposal: p.kind },
    { gas: DAO_GAS.vote },
  );
}

module.exports = {
  TOKEN,
  DAY_NS,
  DAO_GAS,
  METAPOOL_CALL_GAS,
  HOLDERS_ROLE,
  defaultPolicy,
  deployGovernanceToken,
  deployGovernanceDao,
  registerOnToken,
  registerInStaking,
  stakeAndDelegate,
  functionCallKind,
  propose,
  vote,
};
