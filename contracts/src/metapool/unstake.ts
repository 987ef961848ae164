// Delayed unstake (§8): burn sNEAR now, owe its NEAR in a per-epoch bucket whose unlock epoch is
// predicted with the same rule ping uses to unstake (basket.unstakeEpochFor, clock.unstakeMode).

import { currentEpoch } from './accounts';
import { unstakeEpochFor, unstakeTarget } from './basket';
import { unstakeMode } from './clock';
import { fail } from './errors';
import { emitProtocol } from './events';
import { burnIntoBucket, payFromBuckets, unstakeNeed } from './ledger';
import { logUnstaking, logWithdrawing } from './pool-logs';
import { maturedUnstaked } from './schedule';
import type { MetapoolState } from './state';
import { readValidators } from './storage';
import { type AccountRecord, minAmount, type ValidatorRecord } from './types';

/**
 * Epoch from which `extra` NEAR owed now (on top of every bucket) will be withdrawable, given what
 * is still to unstake and which pools ping may unstake from, when.
 */
export function predictUnlockEpoch(
  st: MetapoolState,
  vs: ValidatorRecord[],
  epoch: number,
  extra: bigint,
): number {
  const need = unstakeTarget(vs, unstakeNeed(st, extra));
  if (need === 0n) return epoch + st.unbondingEpochs;
  const at = unstakeEpochFor(vs, need, { epoch, unstakeMode: unstakeMode(st, epoch) });
  if (at !== null) return at + st.unbondingEpochs;
  // Not coverable by stake in pools yet (stake in flight): the latest timer decides.
  const latest = vs.reduce((m, v) => Math.max(m, v.unlockEpoch), epoch);
  return latest + st.unbondingEpochs;
}

/**
 * Burns `shares` worth `nearAmount` from the account and owes it that NEAR; returns the unlock
 * epoch. The caller writes the account record.
 */
export function bookUnstake(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  shares: bigint,
  nearAmount: bigint,
): number {
  const unlockEpoch = predictUnlockEpoch(st, readValidators(), currentEpoch(), nearAmount);
  burnIntoBucket(st, accountId, acc, shares, nearAmount, unlockEpoch);
  logUnstaking(st, accountId, nearAmount, shares, acc);
  emitProtocol('unstake', {
    account_id: accountId,
    amount: nearAmount,
    shares,
    unlock_epoch: unlockEpoch,
  });
  return unlockEpoch;
}

/** NEAR the account can withdraw now: matured buckets, if the NEAR is back in the contract. */
export function withdrawableNow(st: MetapoolState, acc: AccountRecord, epoch: number): bigint {
  const matured = maturedUnstaked(acc.buckets, epoch);
  return minAmount(matured, st.retrievedNear);
}

/** Pays `amount` of the account's matured unstaked NEAR; E_NOT_AVAILABLE with the reason otherwise. */
export function payWithdrawal(
  st: MetapoolState,
  accountId: string,
  acc: AccountRecord,
  amount: bigint,
): void {
  const epoch = currentEpoch();
  const matured = maturedUnstaked(acc.buckets, epoch);
  if (matured < amount) {
    const next = acc.buckets.find((b) => b.unlockEpoch > epoch);
    fail(
      'E_NOT_AVAILABLE',
      `only ${matured} yocto of ${accountId}'s unstaked NEAR is withdrawable at epoch ${epoch}` +
        (next ? `; more unlocks at epoch ${next.unlockEpoch}` : ''),
    );
  }
  if (st.retrievedNear < amount) {
    fail(
      'E_NOT_AVAILABLE',
      `the unstaked NEAR is not back from the validators yet (${st.retrievedNear} yocto ready); ` +
        'call ping() until it reports idle, then retry',
    );
  }
  payFromBuckets(st, accountId, acc, amount);
  logWithdrawing(accountId, amount, acc);
  emitProtocol('withdraw', { account_id: accountId, amount });
}
