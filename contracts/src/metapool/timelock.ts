// The governance timelock (§7): every governance action is a queued change that applies only after
// `timelock_epochs`, which has a floor in code of unbonding_epochs + 2, so a user who disagrees can
// delayed-unstake when the change is queued and have the NEAR back before it applies (an unstake
// takes unbonding_epochs, plus one when it lands late in an epoch; one more for margin).
// `apply_changes` is permissionless once a change is due and re-checks it then: the hard fee caps,
// and the lockup whitelist for a new validator (by promise). A change that no longer passes is
// dropped with its error (the `change_rejected` event and the call's result), never half-applied.
import type { GovernanceView, QueuedChangeView } from '@snear/amm-math';
import { NearPromise, near } from 'near-sdk-js';
import { currentEpoch } from './accounts';
import { parseInteger } from './args';
import { newValidator } from './basket';
import { ensure, fail } from './errors';
import { emitProtocol } from './events';
import { feeCapError } from './fees';
import { applyGovScale, applyGovSplit } from './gov-claim';
import { readRoles, writeRoles } from './roles';
import type { MetapoolState } from './state';
import { readChanges, readValidators, writeChanges, writeValidators } from './storage';
import { MAX_VALIDATORS, type PendingChange, TGAS, type ValidatorRecord } from './types';

/** Epochs the timelock adds on top of the unbonding period, at least (the floor in code). */
export const TIMELOCK_MARGIN_EPOCHS = 2;
/** Most changes waiting at once (bounds every loop over the queue). */
const MAX_PENDING = 64;
/** Most new validators one apply_changes checks at the whitelist (one view each). */
const MAX_WHITELIST_CHECKS = 6;
const GAS_WHITELIST_VIEW = 25n * TGAS;
const GAS_APPLY_CALLBACK = 40n * TGAS;

/** The timelock floor: unbonding_epochs + 2. */
export function timelockFloor(st: MetapoolState): number {
  return st.unbondingEpochs + TIMELOCK_MARGIN_EPOCHS;
}

/** Epochs a change queued now waits: timelock_epochs, never less than the floor. */
export function timelockOf(st: MetapoolState): number {
  return Math.max(st.timelockEpochs, timelockFloor(st));
}

/** True when `caller` holds governance powers: the governance account, and the owner until handover. */
export function isGovernor(st: MetapoolState, caller: string): boolean {
  return caller === st.governanceId || (caller === st.ownerId && !readRoles().handedOver);
}

/** E_UNAUTHORIZED unless the caller governs (the governance account; the owner until handover). */
export function assertGovernor(st: MetapoolState): void {
  const caller = near.predecessorAccountId();
  if (isGovernor(st, caller)) return;
  fail(
    'E_UNAUTHORIZED',
    readRoles().handedOver
      ? `only the governance account ${st.governanceId} may do this (caller ${caller}); the owner handed governance over for good`
      : `only ${st.ownerId} or ${st.governanceId} may do this (caller ${caller})`,
  );
}

/** E_UNAUTHORIZED unless the caller is the guardian or governs (cancel a change, pause deposits). */
export function assertGuardianOrGovernor(st: MetapoolState): void {
  const caller = near.predecessorAccountId();
  if (isGovernor(st, caller)) return;
  const { guardianId } = readRoles();
  if (guardianId !== '' && caller === guardianId) return;
  fail(
    'E_UNAUTHORIZED',
    `only the guardian (${guardianId === '' ? 'none set' : guardianId}) or governance (${st.governanceId}) may do this (caller ${caller})`,
  );
}

/** Queues a change due `timelockOf` epochs from now (`eta` overrides: init's first validators). */
export function queue(
  st: MetapoolState,
  change: Omit<PendingChange, 'id' | 'eta'>,
  eta = currentEpoch() + timelockOf(st),
): PendingChange {
  const changes = readChanges();
  ensure(
    changes.length < MAX_PENDING,
    'E_TIMELOCK',
    'too many pending changes; apply or cancel some first',
  );
  const full: PendingChange = { ...change, id: st.nextChangeId, eta };
  st.nextChangeId += 1;
  changes.push(full);
  writeChanges(changes);
  emitProtocol('change_queued', changeView(full));
  return full;
}

/** The change's arguments as the method that queued it took them. */
function changeArgs(c: PendingChange): Record<string, unknown> {
  switch (c.kind) {
    case 'add_validator':
    case 'set_weight':
      return { account_id: c.accountId, weight: c.weight };
    case 'remove_validator':
      return { account_id: c.accountId };
    case 'fee_params':
      return c.fees === null
        ? {}
        : {
            min_fee_bps: c.fees.minFeeBps,
            max_fee_bps: c.fees.maxFeeBps,
            target_liquidity: c.fees.targetLiquidity.toString(),
            treasury_cut_bps: c.fees.treasuryCutBps,
            reward_fee_bps: c.fees.rewardFeeBps,
          };
    case 'lockup_suffixes':
      return { lockup_suffixes: c.suffixes };
    case 'gov_emission':
      return { scale_bps: c.weight };
    case 'gov_split':
      return { stakers_bps: c.weight };
    case 'gov_token':
      return { gov_token_id: c.accountId };
    case 'set_guardian':
      return { guardian_id: c.accountId === '' ? null : c.accountId };
    case 'set_governance':
    case 'handover':
      return { governance_id: c.accountId };
  }
}

/** Wire form of a pending change: `args` and `apply_epoch` for every kind, and the older fields. */
export function changeView(c: PendingChange): QueuedChangeView {
  const args = changeArgs(c);
  return {
    id: c.id,
    kind: c.kind,
    args,
    apply_epoch: c.eta,
    account_id: c.accountId,
    weight: c.weight,
    eta_epoch: c.eta,
    lockup_suffixes: c.suffixes,
    fees: c.kind === 'fee_params' ? args : null,
  };
}

/**
 * `cancel_change({ id })`: the guardian or governance drops a queued change. The guardian may not
 * cancel a `set_guardian` change: it could otherwise block its own replacement for ever.
 */
export function cancelChange(st: MetapoolState, args: Record<string, unknown>): void {
  assertGuardianOrGovernor(st);
  const id = parseInteger('id', args.id, 0, Number.MAX_SAFE_INTEGER);
  const changes = readChanges();
  const change = changes.find((c) => c.id === id);
  ensure(change !== undefined, 'E_TIMELOCK', `no pending change with id ${id}`);
  const caller = near.predecessorAccountId();
  ensure(
    change.kind !== 'set_guardian' || isGovernor(st, caller),
    'E_UNAUTHORIZED',
    `the guardian cannot cancel change ${id}, a new guardian: only governance (${st.governanceId}) can`,
  );
  writeChanges(changes.filter((c) => c.id !== id));
  emitProtocol('change_cancelled', { id, by: caller });
}

/** What one apply_changes did: changes applied, and changes dropped with their error. */
export interface ApplyResult {
  applied: number;
  rejected: { id: number; error: string }[];
}

function reject(res: ApplyResult, c: PendingChange, error: string): void {
  res.rejected.push({ id: c.id, error });
  emitProtocol('change_rejected', { ...changeView(c), error });
}

/**
 * Applies one due change other than add_validator; returns its error (`E_...: sentence`) when it
 * no longer passes the checks it passed when queued, else null.
 */
function applyOne(st: MetapoolState, c: PendingChange, vs: ValidatorRecord[]): string | null {
  const v = vs.find((x) => x.accountId === c.accountId);
  switch (c.kind) {
    case 'set_weight':
    case 'remove_validator':
      if (v === undefined) return `E_VALIDATOR: ${c.accountId} is no longer in the list`;
      v.weight = c.weight;
      return null;
    case 'fee_params': {
      if (c.fees === null) return 'E_BAD_PARAMS: the change has no fee parameters';
      const err = feeCapError(c.fees);
      if (err !== null) return err;
      st.minFeeBps = c.fees.minFeeBps;
      st.maxFeeBps = c.fees.maxFeeBps;
      st.targetLiquidity = c.fees.targetLiquidity;
      st.treasuryCutBps = c.fees.treasuryCutBps;
      st.rewardFeeBps = c.fees.rewardFeeBps;
      return null;
    }
    case 'lockup_suffixes':
      if (c.suffixes !== null) st.lockupSuffixes = c.suffixes;
      return null;
    case 'gov_emission':
      if (c.weight >= st.govScaleBps)
        return `E_BAD_PARAMS: scale_bps ${c.weight} would not lower the emission (now ${st.govScaleBps})`;
      applyGovScale(st, c.weight);
      return null;
    case 'gov_split':
      applyGovSplit(st, c.weight);
      return null;
    case 'gov_token':
      st.govTokenId = c.accountId;
      return null;
    case 'set_guardian':
      writeRoles({ ...readRoles(), guardianId: c.accountId });
      return null;
    case 'set_governance':
      if (readRoles().handedOver && c.accountId === st.ownerId)
        return `E_HANDED_OVER: governance cannot go back to the owner ${st.ownerId} after the handover`;
      st.governanceId = c.accountId;
      return null;
    case 'handover':
      if (st.governanceId === st.ownerId)
        return `E_HANDED_OVER: the governance account is the owner ${st.ownerId}; set a DAO first`;
      writeRoles({ ...readRoles(), handedOver: true });
      return null;
    default:
      return `E_INTERNAL: ${c.kind} is applied by its own path`;
  }
}

/**
 * `apply_changes()`: applies every due change; due new validators are checked at the whitelist
 * first (a promise; at most MAX_WHITELIST_CHECKS a call, the rest on the next). Returns what it
 * did, or the promise whose callback (`on_changes_checked`) does; `forPing` shapes that callback's
 * result as a ping step.
 */
export function applyChanges(st: MetapoolState, forPing: boolean): NearPromise | ApplyResult {
  const res: ApplyResult = { applied: 0, rejected: [] };
  const changes = readChanges();
  if (changes.length === 0) return res;
  const epoch = currentEpoch();
  const due = changes.filter((c) => c.eta <= epoch);
  if (due.length === 0) return res;
  const adds = due.filter((c) => c.kind === 'add_validator');
  if (adds.length < due.length) {
    const vs = readValidators();
    for (const c of due) {
      if (c.kind === 'add_validator') continue;
      const err = applyOne(st, c, vs);
      if (err === null) {
        res.applied += 1;
        emitProtocol('change_applied', changeView(c));
      } else reject(res, c, err);
    }
    writeValidators(vs);
    writeChanges(changes.filter((c) => c.eta > epoch || c.kind === 'add_validator'));
  }
  if (adds.length === 0) return res;
  const checked = adds.slice(0, MAX_WHITELIST_CHECKS);
  let views: NearPromise | null = null;
  for (const c of checked) {
    const view = NearPromise.new(st.whitelistId).functionCall(
      'is_whitelisted',
      JSON.stringify({ staking_pool_account_id: c.accountId }),
      0n,
      GAS_WHITELIST_VIEW,
    );
    views = views === null ? view : views.and(view);
  }
  return (views as NearPromise).then(
    NearPromise.new(near.currentAccountId()).functionCall(
      'on_changes_checked',
      JSON.stringify({
        ids: checked.map((c) => c.id),
        applied: res.applied,
        rejected: res.rejected,
        ping: forPing,
      }),
      0n,
      GAS_APPLY_CALLBACK + 2n * TGAS * BigInt(checked.length),
    ),
  );
}

/**
 * Callback of apply_changes: adds each checked validator the whitelist still lists (if the change
 * is still queued and the list has room); drops the others with E_NOT_WHITELISTED.
 */
export function onChangesChecked(
  st: MetapoolState,
  args: Record<string, unknown>,
): ApplyResult | { action: string; amount: string } {
  const ids = args.ids as number[];
  const res: ApplyResult = {
    applied: args.applied as number,
    rejected: args.rejected as ApplyResult['rejected'],
  };
  const changes = readChanges();
  const vs = readValidators();
  const done = new Set<number>();
  ids.forEach((id, i) => {
    const c = changes.find((x) => x.id === id);
    if (c === undefined) return; // cancelled, or applied by a concurrent call
    done.add(id);
    let listed: boolean | null = null;
    try {
      listed = JSON.parse(near.promiseResult(i)) === true;
    } catch (_e) {
      listed = null;
    }
    if (listed !== true) {
      reject(
        res,
        c,
        listed === null
          ? `E_NOT_WHITELISTED: the whitelist ${st.whitelistId} could not be read at apply time; propose ${c.accountId} again`
          : `E_NOT_WHITELISTED: ${c.accountId} is not on the lockup whitelist ${st.whitelistId} at apply time; the change is dropped`,
      );
      return;
    }
    const v = vs.find((x) => x.accountId === c.accountId);
    if (v !== undefined) v.weight = c.weight;
    else if (vs.length < MAX_VALIDATORS) vs.push(newValidator(c.accountId, c.weight));
    else {
      reject(res, c, `E_VALIDATOR: the list is full (${MAX_VALIDATORS}); remove one first`);
      return;
    }
    res.applied += 1;
    emitProtocol('change_applied', changeView(c));
  });
  writeValidators(vs);
  writeChanges(changes.filter((c) => !done.has(c.id)));
  if (args.ping === true) return { action: 'apply_changes', amount: String(res.applied) };
  return res;
}

/** Pending changes, for views. */
export function pendingChanges(): QueuedChangeView[] {
  return readChanges().map(changeView);
}

/** `get_governance()`: who governs, the guardian, the timelock, the pause, the queue. */
export function governanceView(st: MetapoolState): GovernanceView {
  const roles = readRoles();
  return {
    governance_id: st.governanceId,
    owner_id: st.ownerId,
    guardian_id: roles.guardianId === '' ? null : roles.guardianId,
    handed_over: roles.handedOver,
    governed_by:
      roles.handedOver || st.ownerId === st.governanceId
        ? [st.governanceId]
        : [st.ownerId, st.governanceId],
    timelock_epochs: timelockOf(st),
    timelock_floor_epochs: timelockFloor(st),
    deposits_paused: Boolean(st.pausedBy),
    paused_by: st.pausedBy ? st.pausedBy : null,
    epoch: currentEpoch(),
    queued: pendingChanges(),
  };
}
