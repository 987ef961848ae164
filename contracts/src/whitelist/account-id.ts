// NEAR account id rules (nearcore `is_valid_account_id`), shared by the whitelist and staking-pool
// stand-ins: 2..64 characters, lowercase alphanumeric parts separated by `-`, `_` or `.`.
const ACCOUNT_ID_PATTERN = /^(([a-z\d]+[-_])*[a-z\d]+\.)*([a-z\d]+[-_])*[a-z\d]+$/;
const MIN_ACCOUNT_ID_LEN = 2;
const MAX_ACCOUNT_ID_LEN = 64;

/** True when `value` is a syntactically valid NEAR account id. */
export function isValidAccountId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= MIN_ACCOUNT_ID_LEN &&
    value.length <= MAX_ACCOUNT_ID_LEN &&
    ACCOUNT_ID_PATTERN.test(value)
  );
}

/** Panics with `message` unless `condition` holds (Rust's `assert!`, same panic text). */
export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

const U128_MAX = (1n << 128n) - 1n;

/** Parses a u128 sent as a decimal string (near-sdk's `U128`), panicking on anything else. */
export function parseU128(value: unknown, field: string): bigint {
  ensure(
    typeof value === 'string' && /^\d{1,39}$/.test(value) && BigInt(value) <= U128_MAX,
    `Failed to deserialize input from JSON: \`${field}\` must be a u128 decimal string`,
  );
  return BigInt(value);
}

/** Parses a u64 sent as a decimal string (near-sdk's `U64`, e.g. nanosecond durations). */
export function parseU64(value: unknown, field: string): bigint {
  ensure(
    typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) < 1n << 64n,
    `Failed to deserialize input from JSON: \`${field}\` must be a u64 decimal string`,
  );
  return BigInt(value);
}
