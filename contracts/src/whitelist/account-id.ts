// Argument checks of the whitelist and staking-pool stand-ins, with core-contracts' panic texts.
import { u64FromText, u128FromText } from '../shared/u128';

export { isValidAccountId } from '../shared/account-id';

/** Panics with `message` unless `condition` holds (Rust's `assert!`, same panic text). */
export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

/** Parses a u128 sent as a decimal string (near-sdk's `U128`), panicking on anything else. */
export function parseU128(value: unknown, field: string): bigint {
  const n = u128FromText(value);
  ensure(
    n !== null,
    `Failed to deserialize input from JSON: \`${field}\` must be a u128 decimal string`,
  );
  return n;
}

/** Parses a u64 sent as a decimal string (near-sdk's `U64`, e.g. nanosecond durations). */
export function parseU64(value: unknown, field: string): bigint {
  const n = u64FromText(value);
  ensure(
    n !== null,
    `Failed to deserialize input from JSON: \`${field}\` must be a u64 decimal string`,
  );
  return n;
}
