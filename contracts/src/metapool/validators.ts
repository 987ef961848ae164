// Validator list, fee parameters and lockup suffixes under governance (§7, §3, §9): owner or
// governance account only; a new pool must pass the lockup whitelist; every change waits out a
// timelock and is an event.
import { MAX_TREASURY_CUT_BPS, validateCurve } from '@snear/amm-math';
import { NearPromise, near } from 'near-sdk-js';
import { currentEpoch } from './accounts';
import { parseAccountId, parseAmount, parseInteger } from './args';
import { newValidator } from './basket';
import { ensure, fail, withAmm } from './errors';
import { emitProtocol } from './events';
import { parseLockupSuffixes } from './lockup';
import type { MetapoolState } from './state';
import { readChanges, readValidators, writeChanges, writeValidators } from './storage';
import { type FeeParams, MAX_VALIDATORS, type PendingChange, TGAS } from './types';

/** Largest validator weight. */
const MAX_WEIGHT = 1_000_000;
/** Hard cap on the protocol fee on rewards: 20%. */
export const MAX_REWARD_FEE_BPS = 2_000;
const GAS_WHITELIST_VIEW = 25n * TGAS;
const GAS_WHITELIST_CALLBACK = 40n * TGAS;

/** E_UNAUTHORIZED unless the caller is the owner or the governance account. */
export function assertGovernor(st: MetapoolState): void {
  const caller = near.predecessorAccountId();
  if (caller !== st.ownerId && caller !== st.governanceId) {
    fail(
      'E_UNAUTHORIZED',
      `only ${st.ownerId} or ${st.governanceId} may do this (caller ${caller})`,
    );
  }
}

function queue(st: MetapoolState, change: Omit<PendingChange, 'id' | 'eta'>): PendingChange {
  const changes = readChanges();
  ensure(changes.length < 64, 'E_TIMELOCK', 'too many pending changes; apply or cancel some first');
  const full: PendingChange = {
    ...change,
    id: st.nextChangeId,
    eta: currentEpoch() + st.timelockEpochs,
  };
  st.nextChangeId += 1;
  changes.push(full);
  writeChanges(changes);
  emitProtocol('change_queued', changeView(full));
  return full;
}

/** Wire form of a pending change. */
export function changeView(c: PendingChange): Record<string, unknown> {
  return {
    id: c.id,
    kind: c.kind,
    account_id: c.accountId,
    weight: c.weight,
    eta_epoch: c.eta,
    lockup_suffixes: c.suffixes,
    fees:
      c.fees === null
        ? null
        : {
            min_fee_bps: c.fees.minFeeBps,
            max_fee_bps: c.fees.maxFeeBps,
            target_liquidity: c.fees.targetLiquidity.toString(),
            treasury_cut_bps: c.fees.treasuryCutBps,
            reward_fee_bps: c.fees.rewardFeeBps,
          },
  };
}

/** `add_validator({ account_id, weight })`: checks the whitelist, then queues the addition. */
export function addValidator(st: MetapoolState, args: Record<string, unknown>): NearPromise {
  assertGovernor(st);
  const accountId = parseAccountId('account_id', args.account_id);
  const weight = parseInteger('weight', args.weight, 1, MAX_WEIGHT);
  const vs = readValidators();
  ensure(
    !vs.some((v) => v.accountId === accountId),
    'E_VALIDATOR',
    `${accountId} is already in the list`,
  );
  ensure(
    vs.length < MAX_VALIDATORS,
    'E_VALIDATOR',
    `the list is full (${MAX_VALIDATORS}); remove one first`,
  );
  return NearPromise.new(st.whitelistId)
    .functionCall(
      'is_whitelisted',
      JSON.stringify({ staking_pool_account_id: accountId }),
      0n,
      GAS_WHITELIST_VIEW,
    )
    .then(
      NearPromise.new(near.currentAccountId()).functionCall(
        'on_whitelist_checked',
        JSON.stringify({ account_id: accountId, weight }),
        0n,
        GAS_WHITELIST_CALLBACK,
      ),
    );
}

/** Callback of add_validator: queues the addition if whitelisted, else fails E_NOT_WHITELISTED. */
export function onWhitelistChecked(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  let whitelisted = false;
  try {
    whitelisted = JSON.parse(near.promiseResult(0)) === true;
  } catch (_e) {
    fail('E_NOT_WHITELISTED', `the whitelist ${st.whitelistId} could not be read; try again`);
  }
  const accountId = args.account_id as string;
  if (!whitelisted) {
    fail('E_NOT_WHITELISTED', `${accountId} is not on the lockup whitelist ${st.whitelistId}`);
  }
  const change = queue(st, {
    kind: 'add_validator',
    accountId,
    weight: args.weight as number,
    fees: null,
    suffixes: null,
  });
  if (st.timelockEpochs === 0) applyDueChanges(st);
  return changeView(change);
}

/** `set_validator_weight({ account_id, weight })`: queues a weight change (0 drains the pool). */
export function setValidatorWeight(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  assertGovernor(st);
  const accountId = parseAccountId('account_id', args.account_id);
  const weight = parseInteger('weight', args.weight, 0, MAX_WEIGHT);
  ensure(
    readValidators().some((v) => v.accountId === accountId),
    'E_VALIDATOR',
    `${accountId} is not in the list`,
  );
  const change = queue(st, { kind: 'set_weight', accountId, weight, fees: null, suffixes: null });
  if (st.timelockEpochs === 0) applyDueChanges(st);
  return changeView(change);
}

/** `remove_validator({ account_id })`: queues removal: weight 0, drained, then dropped when empty. */
export function removeValidator(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  assertGovernor(st);
  const accountId = parseAccountId('account_id', args.account_id);
  ensure(
    readValidators().some((v) => v.accountId === accountId),
    'E_VALIDATOR',
    `${accountId} is not in the list`,
  );
  const change = queue(st, {
    kind: 'remove_validator',
    accountId,
    weight: 0,
    fees: null,
    suffixes: null,
  });
  if (st.timelockEpochs === 0) applyDueChanges(st);
  return changeView(change);
}

/** Parses and checks fee parameters against the hard caps (amm-math's validators). */
export function parseFeeParams(st: MetapoolState, args: Record<string, unknown>): FeeParams {
  const fees: FeeParams = {
    minFeeBps:
      args.min_fee_bps === undefined
        ? st.minFeeBps
        : parseInteger('min_fee_bps', args.min_fee_bps, 0, 10_000),
    maxFeeBps:
      args.max_fee_bps === undefined
        ? st.maxFeeBps
        : parseInteger('max_fee_bps', args.max_fee_bps, 0, 10_000),
    targetLiquidity:
      args.target_liquidity === undefined
        ? st.targetLiquidity
        : parseAmount('target_liquidity', args.target_liquidity),
    treasuryCutBps:
      args.treasury_cut_bps === undefined
        ? st.treasuryCutBps
        : parseInteger('treasury_cut_bps', args.treasury_cut_bps, 0, 10_000),
    rewardFeeBps:
      args.reward_fee_bps === undefined
        ? st.rewardFeeBps
        : parseInteger('reward_fee_bps', args.reward_fee_bps, 0, 10_000),
  };
  withAmm(() => {
    validateCurve({
      minFeeBps: fees.minFeeBps,
      maxFeeBps: fees.maxFeeBps,
      targetLiquidity: fees.targetLiquidity,
    });
  });
  ensure(
    fees.treasuryCutBps <= MAX_TREASURY_CUT_BPS,
    'E_BAD_PARAMS',
    `treasury_cut_bps ${fees.treasuryCutBps} exceeds the cap of ${MAX_TREASURY_CUT_BPS}`,
  );
  ensure(
    fees.rewardFeeBps <= MAX_REWARD_FEE_BPS,
    'E_BAD_PARAMS',
    `reward_fee_bps ${fees.rewardFeeBps} exceeds the cap of ${MAX_REWARD_FEE_BPS}`,
  );
  return fees;
}

/** `propose_fee_params({ min_fee_bps?, max_fee_bps?, target_liquidity?, treasury_cut_bps?, reward_fee_bps? })`. */
export function proposeFeeParams(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  assertGovernor(st);
  const fees = parseFeeParams(st, args);
  const change = queue(st, { kind: 'fee_params', accountId: '', weight: 0, fees, suffixes: null });
  if (st.timelockEpochs === 0) applyDueChanges(st);
  return changeView(change);
}

/**
 * `propose_lockup_suffixes({ lockup_suffixes })`: queues a new list of lockup account-id suffixes
 * (the whole list, replacing the current one). Accounts that hold something keep their class; the
 * new list decides for every other account from its next deposit.
 */
export function proposeLockupSuffixes(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  assertGovernor(st);
  const suffixes = parseLockupSuffixes(st, args.lockup_suffixes);
  const change = queue(st, {
    kind: 'lockup_suffixes',
    accountId: '',
    weight: 0,
    fees: null,
    suffixes,
  });
  if (st.timelockEpochs === 0) applyDueChanges(st);
  return changeView(change);
}

/** `cancel_change({ id })`: owner or governance drops a queued change. */
export function cancelChange(st: MetapoolState, args: Record<string, unknown>): void {
  assertGovernor(st);
  const id = parseInteger('id', args.id, 0, Number.MAX_SAFE_INTEGER);
  const changes = readChanges();
  const left = changes.filter((c) => c.id !== id);
  ensure(left.length < changes.length, 'E_TIMELOCK', `no pending change with id ${id}`);
  writeChanges(left);
  emitProtocol('change_cancelled', { id });
}

/** Applies every queued change whose timelock has passed; returns how many. Permissionless. */
export function applyDueChanges(st: MetapoolState): number {
  const changes = readChanges();
  const epoch = currentEpoch();
  const due = changes.filter((c) => c.eta <= epoch);
  if (due.length === 0) return 0;
  const vs = readValidators();
  for (const c of due) {
    const v = vs.find((x) => x.accountId === c.accountId);
    if (c.kind === 'add_validator') {
      if (v === undefined && vs.length < MAX_VALIDATORS)
        vs.push(newValidator(c.accountId, c.weight));
      else if (v !== undefined) v.weight = c.weight;
    } else if (c.kind === 'set_weight' || c.kind === 'remove_validator') {
      if (v !== undefined) v.weight = c.weight;
    } else if (c.kind === 'fee_params' && c.fees !== null) {
      st.minFeeBps = c.fees.minFeeBps;
      st.maxFeeBps = c.fees.maxFeeBps;
      st.targetLiquidity = c.fees.targetLiquidity;
      st.treasuryCutBps = c.fees.treasuryCutBps;
      st.rewardFeeBps = c.fees.rewardFeeBps;
    } else if (c.kind === 'lockup_suffixes' && c.suffixes !== null) {
      st.lockupSuffixes = c.suffixes;
    }
    emitProtocol('change_applied', changeView(c));
  }
  writeValidators(vs);
  writeChanges(changes.filter((c) => c.eta > epoch));
  return due.length;
}

/** Pending changes, for views. */
export function pendingChanges(): Record<string, unknown>[] {
  return readChanges().map(changeView);
}
