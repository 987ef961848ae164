// Delayed unstake (§8): burn sNEAR now, owe its NEAR in a per-epoch bucket whose unlock epoch is
// predicted with the same rule ping uses to unstake (basket.unstakeEpochFor).
import { unstakeEpochFor, unstakeTarget } from './basket';
import { fail } from './errors';
import { emitBurn, emitProtocol } from './events';
import { currentEpoch, debitShares, sendNear, settleBuffers, unstakeNeed } from './ledger';
import { addBucket, maturedUnstaked, takeMatured } from './schedule';
import type { MetapoolState } from './state';
import { readValidators } from './storage';
import { type AccountRecord, minAmount, type ValidatorRecord } from './types';

/** Epoch from which NEAR owed now will be withdrawable, given what is still to unstake. */
export function predictUnlockEpoch(
  st: MetapoolState,
  vs: ValidatorRecord[],
  epoch: number,
): number {
  const need = unstakeTarget(vs, unstakeNeed(st));
  if (need === 0n) return epoch + st.unbondingEpochs;
  const at = unstakeEpochFor(vs, need, epoch);
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
  debitShares(st, accountId, acc, shares);
  st.totalSnear -= shares;
  st.totalStakedNear -= nearAmount;
  st.owedNear += nearAmount;
  settleBuffers(st);
  const epoch = currentEpoch();
  const unlockEpoch = predictUnlockEpoch(st, readValidators(), epoch);
  if (!addBucket(acc.buckets, unlockEpoch, nearAmount)) {
    fail(
      'E_TOO_MANY_BUCKETS',
      'this account has too many pending unstakes; withdraw the available ones first',
    );
  }
  emitBurn(accountId, shares);
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
  acc.buckets = takeMatured(acc.buckets, epoch, amount);
  st.owedNear -= amount;
  st.retrievedNear -= amount;
  sendNear(accountId, amount);
  emitProtocol('withdraw', { account_id: accountId, amount });
}
