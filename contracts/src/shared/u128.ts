// Integer bounds of NEAR's JSON wire types: u128 and u64 travel as decimal strings.

/** Largest u128. */
export const U128_MAX = (1n << 128n) - 1n;
/** One above the largest u64. */
export const U64_LIMIT = 1n << 64n;

/** The bigint of a u128 decimal string (at most 39 digits, at most U128_MAX), else null. */
export function u128FromText(value: unknown): bigint | null {
  if (typeof value !== 'string' || !/^\d{1,39}$/.test(value)) return null;
  const n = BigInt(value);
  return n <= U128_MAX ? n : null;
}

/** The bigint of a u64 decimal string (at most 20 digits, below 2^64), else null. */
export function u64FromText(value: unknown): bigint | null {
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) return null;
  const n = BigInt(value);
  return n < U64_LIMIT ? n : null;
}
