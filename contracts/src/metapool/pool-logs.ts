// The staking pool's own log lines, in core-contracts' exact wording (staking-pool/src/internal.rs),
// beside our NEP-297 events: explorers' staking indexers parse these from every staking pool.
import { near } from 'near-sdk-js';
import { totalUnstaked } from './schedule';
import type { MetapoolState } from './state';
import type { AccountRecord } from './types';

/** `@acc deposited X. New unstaked balance is Y` */
export function logDeposited(accountId: string, amount: bigint, unstaked: bigint): void {
  near.log(`@${accountId} deposited ${amount}. New unstaked balance is ${unstaked}`);
}

/** `@acc withdrawing X. New unstaked balance is Y` */
export function logWithdrawing(accountId: string, amount: bigint, acc: AccountRecord): void {
  near.log(
    `@${accountId} withdrawing ${amount}. New unstaked balance is ${totalUnstaked(acc.buckets)}`,
  );
}

/** `@acc staking X. Received S new staking shares. Total U unstaked balance and T staking shares` */
export function logStaking(
  st: MetapoolState,
  accountId: string,
  amount: bigint,
  shares: bigint,
  acc: AccountRecord,
): void {
  logShares(st, `@${accountId} staking ${amount}. Received ${shares} new staking shares.`, acc);
}

/** `@acc unstaking X. Spent S staking shares. Total U unstaked balance and T staking shares` */
export function logUnstaking(
  st: MetapoolState,
  accountId: string,
  amount: bigint,
  shares: bigint,
  acc: AccountRecord,
): void {
  logShares(st, `@${accountId} unstaking ${amount}. Spent ${shares} staking shares.`, acc);
}

function logShares(st: MetapoolState, what: string, acc: AccountRecord): void {
  near.log(
    `${what} Total ${totalUnstaked(acc.buckets)} unstaked balance and ${acc.shares} staking shares`,
  );
  logContractTotal(st);
}

function logContractTotal(st: MetapoolState): void {
  near.log(
    `Contract total staked balance is ${st.totalStakedNear}. Total number of shares ${st.totalSnear}`,
  );
}

/** The epoch's rewards line, and the fee line when the protocol fee minted shares. */
export function logRewards(st: MetapoolState, epoch: number, reward: bigint, feeShares: bigint) {
  near.log(
    `Epoch ${epoch}: Contract received total rewards of ${reward} tokens. New total staked balance is ${st.totalStakedNear}. Total number of shares ${st.totalSnear}`,
  );
  if (feeShares > 0n) near.log(`Total rewards fee is ${feeShares} stake shares.`);
}
