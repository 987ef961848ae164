// Delayed-unstake buckets (§8): one per unlock epoch, so a later unstake never re-locks an earlier
// one. Pure functions over an account's bucket list.
import { type Bucket, MAX_BUCKETS, minAmount } from './types';

/**
 * Adds `near` unlocking at `unlockEpoch`; never fails, so callers change nothing before it. Buckets
 * of one unlock epoch merge, and so do all matured ones (withdrawable alike), so a record holds at
 * most one bucket per future epoch. Should a record still be full (MAX_BUCKETS future epochs), the
 * NEAR joins the first later bucket, or the latest bucket waits until `unlockEpoch`: never earlier
 * than the validators give it back.
 */
export function addBucket(
  buckets: Bucket[],
  unlockEpoch: number,
  near: bigint,
  epoch: number,
): void {
  if (near === 0n) return;
  mergeMatured(buckets, epoch);
  const matured = unlockEpoch <= epoch;
  let into = buckets.find(
    (b) => b.unlockEpoch === unlockEpoch || (matured && b.unlockEpoch <= epoch),
  );
  if (into === undefined && buckets.length >= MAX_BUCKETS) {
    into = buckets.find((b) => b.unlockEpoch > unlockEpoch);
    if (into === undefined) {
      into = buckets[buckets.length - 1];
      into.unlockEpoch = unlockEpoch;
    }
  }
  if (into !== undefined) {
    into.near += near;
    return;
  }
  buckets.push({ unlockEpoch, near });
  buckets.sort((a, b) => a.unlockEpoch - b.unlockEpoch);
}

/** Merges every matured bucket (unlock epoch <= `epoch`) into one, in place. */
function mergeMatured(buckets: Bucket[], epoch: number): void {
  let first = -1;
  for (let i = 0; i < buckets.length; i++) {
    if (buckets[i].unlockEpoch > epoch) continue;
    if (first < 0) {
      first = i;
      continue;
    }
    const b = buckets[i];
    buckets[first].near += b.near;
    buckets[first].unlockEpoch = Math.max(buckets[first].unlockEpoch, b.unlockEpoch);
    buckets.splice(i, 1);
    i -= 1;
  }
}

/** Total NEAR in all buckets. */
export function totalUnstaked(buckets: Bucket[]): bigint {
  return buckets.reduce((sum, b) => sum + b.near, 0n);
}

/** NEAR in buckets whose unlock epoch has come. */
export function maturedUnstaked(buckets: Bucket[], epoch: number): bigint {
  return buckets.reduce((sum, b) => (b.unlockEpoch <= epoch ? sum + b.near : sum), 0n);
}

/** Latest unlock epoch among the buckets (0 when none). */
export function lastUnlockEpoch(buckets: Bucket[]): number {
  return buckets.reduce((m, b) => Math.max(m, b.unlockEpoch), 0);
}

/** Removes `amount` from matured buckets, oldest first; caller checked maturedUnstaked >= amount. */
export function takeMatured(buckets: Bucket[], epoch: number, amount: bigint): Bucket[] {
  let left = amount;
  const out: Bucket[] = [];
  for (const b of buckets) {
    if (left > 0n && b.unlockEpoch <= epoch) {
      const take = minAmount(b.near, left);
      left -= take;
      if (b.near > take) out.push({ unlockEpoch: b.unlockEpoch, near: b.near - take });
    } else {
      out.push({ ...b });
    }
  }
  return out;
}

/** Removes `amount` from any buckets, latest first (re-staking cancels the longest waits first). */
export function takeLatest(buckets: Bucket[], amount: bigint): Bucket[] {
  let left = amount;
  const out: Bucket[] = [];
  for (let i = buckets.length - 1; i >= 0; i--) {
    const b = buckets[i];
    const take = minAmount(b.near, left);
    left -= take;
    if (b.near > take) out.unshift({ unlockEpoch: b.unlockEpoch, near: b.near - take });
  }
  return out;
}

/** Moves floor(b * num / den) of every bucket out of `from`; returns the moved buckets. */
export function splitProRata(from: Bucket[], num: bigint, den: bigint): Bucket[] {
  const moved: Bucket[] = [];
  for (const b of from) {
    const part = (b.near * num) / den;
    if (part > 0n) {
      b.near -= part;
      moved.push({ unlockEpoch: b.unlockEpoch, near: part });
    }
  }
  for (let i = from.length - 1; i >= 0; i--) if (from[i].near === 0n) from.splice(i, 1);
  return moved;
}
