// Argument parsing: amounts travel as decimal strings of yocto; anything else is E_BAD_ARGS.
import { fail } from './errors';

const U128_MAX = (1n << 128n) - 1n;
const ACCOUNT_ID = /^(([a-z\d]+[-_])*[a-z\d]+\.)*([a-z\d]+[-_])*[a-z\d]+$/;

/** Parses a u128 decimal string; zero is refused unless `allowZero`. */
export function parseAmount(name: string, value: unknown, allowZero = false): bigint {
  if (typeof value !== 'string' || !/^\d{1,39}$/.test(value)) {
    fail('E_BAD_ARGS', `${name} must be a decimal string of yocto (got ${JSON.stringify(value)})`);
  }
  const amount = BigInt(value);
  if (amount > U128_MAX) fail('E_BAD_AMOUNT', `${name} ${value} exceeds u128`);
  if (amount === 0n && !allowZero) fail('E_ZERO_AMOUNT', `${name} must be greater than 0`);
  return amount;
}

/** Parses an optional u128 decimal string (missing or null gives `fallback`). */
export function parseOptionalAmount(name: string, value: unknown, fallback: bigint): bigint {
  if (value === undefined || value === null) return fallback;
  return parseAmount(name, value, true);
}

/** True when `id` is a valid NEAR account id (2..64 chars, lowercase parts). */
export function isValidAccountId(id: unknown): id is string {
  return typeof id === 'string' && id.length >= 2 && id.length <= 64 && ACCOUNT_ID.test(id);
}

/** Parses an account id argument. */
export function parseAccountId(name: string, value: unknown): string {
  if (!isValidAccountId(value)) {
    fail('E_BAD_ARGS', `${name} must be a valid account id (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** Parses a whole number in [min, max]. */
export function parseInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(
      'E_BAD_ARGS',
      `${name} must be a whole number in ${min}..${max} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/** The argument object of a call: a plain object, or E_BAD_ARGS. */
export function argsObject(args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args))
    fail('E_BAD_ARGS', 'arguments must be a JSON object');
  return args as Record<string, unknown>;
}
