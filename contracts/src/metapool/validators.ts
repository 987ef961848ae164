// Validator list, fee parameters and lockup suffixes under governance (§7, §3, §9): owner or
// governance account only; a new pool must pass the lockup whitelist; every change waits out a
// timelock and is an event.
import { NearPromise, near } from 'near-sdk-js';
import { parseAccountId, parseInteger } from './args';
import { ensure, fail } from './errors';
import { parseFeeParams } from './fees';
import { parseLockupSuffixes } from './lockup';
import type { MetapoolState } from './state';
import { readValidators } from './storage';
import { assertGovernor, changeView, queue } from './timelock';
import { MAX_VALIDATORS, TGAS } from './types';

export { MAX_REWARD_FEE_BPS, parseFeeParams } from './fees';

/** Largest validator weight. */
export const MAX_WEIGHT = 1_000_000;
const GAS_WHITELIST_VIEW = 25n * TGAS;
const GAS_WHITELIST_CALLBACK = 40n * TGAS;

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
  return changeView(change);
}

/** `propose_fee_params({ min_fee_bps?, max_fee_bps?, target_liquidity?, treasury_cut_bps?, reward_fee_bps? })`. */
export function proposeFeeParams(
  st: MetapoolState,
  args: Record<string, unknown>,
): Record<string, unknown> {
  assertGovernor(st);
  const fees = parseFeeParams(st, args);
  const change = queue(st, { kind: 'fee_params', accountId: '', weight: 0, fees, suffixes: null });
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
  return changeView(change);
}
