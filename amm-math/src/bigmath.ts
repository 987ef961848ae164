import { AmmError } from './errors';

/** ceil(a / b) for a >= 0, b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a ? q : q + 1n;
}

/** The smaller of two bigints. */
export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

// 2^k for k = 0..512: a number's bit length by binary search, with comparisons only (no floats).
const POW2: bigint[] = [];
for (let k = 0, p = 1n; k <= 512; k++, p <<= 1n) POW2.push(p);

/** Bit length of n > 0: the smallest k with n < 2^k. */
export function bitLength(n: bigint): number {
  let hi = POW2.length - 1;
  if (n >= POW2[hi]) {
    let bits = hi;
    while (n >> BigInt(bits) > 0n) bits += 1;
    return bits;
  }
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (n < POW2[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** floor(sqrt(n)) for n >= 0, exact (bigint Newton from above). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new AmmError('INVALID_ARGUMENT', `isqrt of a negative number (${n})`);
  if (n < 2n) return n;
  // Seed from the top 52 bits (an exact integer as a Number): r = floor(sqrt(top)) + 1 makes
  // x = r·2^(shift/2) > sqrt(n) with relative error below 2^-25, so Newton from above needs
  // about three steps. The Number only chooses where Newton starts: integer Newton from above
  // ends exactly at floor(sqrt(n)) from any start, so the result is the same on every engine.
  const bits = bitLength(n);
  const shift = bits > 52 ? (bits - 51) & ~1 : 0;
  const top = Number(n >> BigInt(shift));
  let x = BigInt(Math.floor(Math.sqrt(top)) + 1) << BigInt(shift >> 1);
  // One unconditional step: from any x > 0 an integer Newton step lands at or above the root.
  x = (x + n / x) >> 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return x;
}
