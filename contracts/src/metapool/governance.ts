// Who governs (§7): the governance account (a DAO), the owner until it hands over, and a guardian.
// Every power here is a queued change (timelock.ts) except the guardian's two brakes: cancel a
// queued change and pause new deposits. Pausing never touches exits (unstake, liquid unstake,
// withdraw, remove_liquidity, transfers).
import { near } from 'near-sdk-js';
import { parseAccountId, parseInteger } from './args';
import { ensure, fail } from './errors';
import { emitProtocol } from './events';
import { MIN_STAKERS_BPS } from './gov-claim';
import { readRoles } from './roles';
import type { MetapoolState } from './state';
import { assertGovernor, assertGuardianOrGovernor, changeView, queue } from './timelock';
import { BPS, MAX_VALIDATORS, type PendingChange } from './types';
import { MAX_WEIGHT } from './validators';

type Queued = Omit<PendingChange, 'id' | 'eta'>;

function queueKind(
  st: MetapoolState,
  kind: PendingChange['kind'],
  accountId: string,
  weight = 0,
): Record<string, unknown> {
  const change: Queued = { kind, accountId, weight, fees: null, suffixes: null };
  return changeView(queue(st, change));
}

/** `set_guardian({ guardian_id })` (governance): queues a new guardian; null removes it. */
export function setGuardian(st: MetapoolState, args: Record<string, unknown>) {
  assertGovernor(st);
  const id =
    args.guardian_id === null || args.guardian_id === undefined
      ? ''
      : parseAccountId('guardian_id', args.guardian_id);
  return queueKind(st, 'set_guardian', id);
}

/** `set_governance({ governance_id })` (governance): queues a new governance account. */
export function setGovernance(st: MetapoolState, args: Record<string, unknown>) {
  assertGovernor(st);
  const id = parseAccountId('governance_id', args.governance_id);
  ensure(
    !(readRoles().handedOver && id === st.ownerId),
    'E_HANDED_OVER',
    `governance cannot go back to the owner ${st.ownerId} after the handover`,
  );
  return queueKind(st, 'set_governance', id);
}

/**
 * `hand_over_to_governance()` (owner only, once): queues the handover; when it applies the owner
 * loses every power for good and only the governance account governs.
 */
export function handOverToGovernance(st: MetapoolState) {
  const caller = near.predecessorAccountId();
  ensure(
    !readRoles().handedOver,
    'E_HANDED_OVER',
    `governance was already handed over to ${st.governanceId}`,
  );
  ensure(
    caller === st.ownerId,
    'E_UNAUTHORIZED',
    `only the owner ${st.ownerId} may hand governance over (caller ${caller})`,
  );
  ensure(
    st.governanceId !== st.ownerId,
    'E_BAD_ARGS',
    'the governance account is the owner itself: queue set_governance to the DAO first',
  );
  return queueKind(st, 'handover', st.governanceId);
}

/** `pause_deposits()` / `resume_deposits()` (guardian or governance): new deposits only. */
export function setDepositsPaused(st: MetapoolState, paused: boolean): void {
  assertGuardianOrGovernor(st);
  st.pausedBy = paused ? near.predecessorAccountId() : '';
  emitProtocol(paused ? 'deposits_paused' : 'deposits_resumed', {
    by: near.predecessorAccountId(),
  });
}

/** E_PAUSED while new deposits are paused (the guardian's brake; exits stay open). */
export function assertDepositsOpen(st: MetapoolState): void {
  // (falsy, not just '': a STATE written before the field existed reads as open)
  if (st.pausedBy) {
    fail(
      'E_PAUSED',
      `new deposits are paused by ${st.pausedBy}; unstaking, liquid unstaking and withdrawing still work`,
    );
  }
}

/** `lower_gov_emission({ scale_bps })` (governance): queues a lower emission multiplier. */
export function lowerGovEmission(st: MetapoolState, args: Record<string, unknown>) {
  assertGovernor(st);
  const scale = parseInteger('scale_bps', args.scale_bps, 0, 10_000);
  ensure(
    scale < st.govScaleBps,
    'E_BAD_PARAMS',
    `scale_bps ${scale} would not lower the emission (now ${st.govScaleBps}); it may only go down`,
  );
  return queueKind(st, 'gov_emission', '', scale);
}

/** `set_gov_split({ stakers_bps })` (governance): queues the stakers' part, 5000..10000. */
export function setGovSplit(st: MetapoolState, args: Record<string, unknown>) {
  assertGovernor(st);
  const bps = parseInteger('stakers_bps', args.stakers_bps, MIN_STAKERS_BPS, Number(BPS));
  return queueKind(st, 'gov_split', '', bps);
}

/** `set_gov_token({ gov_token_id })` (governance): queues a new governance-token contract. */
export function setGovToken(st: MetapoolState, args: Record<string, unknown>) {
  assertGovernor(st);
  return queueKind(st, 'gov_token', parseAccountId('gov_token_id', args.gov_token_id));
}

/**
 * Init's `validators: [{ account_id, weight }]`: the first list, queued due at once (nobody holds
 * sNEAR yet to protect); `apply_changes` checks each at the whitelist like any new validator.
 */
export function queueInitialValidators(st: MetapoolState, raw: unknown, epoch: number): void {
  if (raw === undefined) return;
  ensure(
    Array.isArray(raw) && raw.length <= MAX_VALIDATORS,
    'E_BAD_ARGS',
    `validators must be a list of at most ${MAX_VALIDATORS} { account_id, weight }`,
  );
  const seen = new Set<string>();
  for (const item of raw as Record<string, unknown>[]) {
    ensure(
      typeof item === 'object' && item !== null,
      'E_BAD_ARGS',
      'each validator is { account_id, weight }',
    );
    const accountId = parseAccountId('validators[].account_id', item.account_id);
    const weight = parseInteger('validators[].weight', item.weight ?? 1, 1, MAX_WEIGHT);
    ensure(!seen.has(accountId), 'E_BAD_ARGS', `${accountId} is listed twice in validators`);
    seen.add(accountId);
    queue(st, { kind: 'add_validator', accountId, weight, fees: null, suffixes: null }, epoch);
  }
}
