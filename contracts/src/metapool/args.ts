// Argument parsing: amounts travel as decimal strings of yocto; anything else is E_BAD_ARGS.
import { near } from 'near-sdk-js';
import { isValidAccountId } from '../shared/account-id';
import { u128FromText } from '../shared/u128';
import { fail } from './errors';

/** Parses a u128 decimal string; zero is refused unless `allowZero`. */
export function parseAmount(name: string, value: unknown, allowZero = false): bigint {
  if (typeof value !== 'string' || !/^\d{1,39}$/.test(value)) {
    fail('E_BAD_ARGS', `${name} must be a decimal string of yocto (got ${JSON.stringify(value)})`);
  }
  const amount = u128FromText(value);
  if (amount === null) fail('E_BAD_AMOUNT', `${name} ${value} exceeds u128`);
  if (amount === 0n && !allowZero) fail('E_ZERO_AMOUNT', `${name} must be greater than 0`);
  return amount;
}

/** Parses an optional u128 decimal string (missing or null gives `fallback`). */
export function parseOptionalAmount(name: string, value: unknown, fallback: bigint): bigint {
  if (value === undefined || value === null) return fallback;
  return parseAmount(name, value, true);
}

export { isValidAccountId };

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

/** A call's input as JSON (near-sdk-js's `_getArgs`), or E_BAD_ARGS with a sentence. */
export function parseCallArgs(): unknown {
  const input = near.input();
  if (!input) return {};
  try {
    return JSON.parse(input);
  } catch (_e) {
    fail(
      'E_BAD_ARGS',
      'arguments must be JSON (an object such as {"amount": "1000"}), not raw bytes',
    );
  }
}

/** The argument object of a call: a plain object, or E_BAD_ARGS. */
export function argsObject(args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args))
    fail('E_BAD_ARGS', 'arguments must be a JSON object');
  return args as Record<string, unknown>;
}
