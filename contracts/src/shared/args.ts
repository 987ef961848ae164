// Argument parsing shared by the contracts: JSON arguments, account ids, u128 amounts as decimal
// strings of the smallest unit. Bad input is E_BAD_ARGS (E_BAD_AMOUNT above u128, E_ZERO_AMOUNT).
import { near } from 'near-sdk-js';
import { isValidAccountId } from './account-id';
import { failWith } from './errors';
import { u128FromText } from './u128';

/** A call's input as JSON (replaces near-sdk-js's bare `JSON.parse`), or E_BAD_ARGS. */
export function parseCallArgs(): unknown {
  const input = near.input();
  if (!input) return {};
  try {
    return JSON.parse(input);
  } catch (_e) {
    failWith(
      'E_BAD_ARGS',
      'arguments must be JSON (an object such as {"amount": "1000"}), not raw bytes',
    );
  }
}

/** The argument object of a call: a plain object, or E_BAD_ARGS. */
export function argsObject(args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    failWith('E_BAD_ARGS', 'arguments must be a JSON object');
  }
  return args as Record<string, unknown>;
}

/** An account id argument, or E_BAD_ARGS naming it. */
export function parseAccountId(name: string, value: unknown): string {
  if (!isValidAccountId(value)) {
    failWith('E_BAD_ARGS', `${name} must be a valid account id (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** A u128 decimal string; zero is refused unless `allowZero`. */
export function parseAmount(name: string, value: unknown, allowZero = false): bigint {
  if (typeof value !== 'string' || !/^\d{1,39}$/.test(value)) {
    failWith(
      'E_BAD_ARGS',
      `${name} must be a decimal string of the smallest unit (got ${JSON.stringify(value)})`,
    );
  }
  const amount = u128FromText(value);
  if (amount === null) failWith('E_BAD_AMOUNT', `${name} ${value} exceeds u128`);
  if (amount === 0n && !allowZero) failWith('E_ZERO_AMOUNT', `${name} must be greater than 0`);
  return amount;
}

/** An optional string argument (missing or null: undefined), or E_BAD_ARGS. */
export function parseOptionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') failWith('E_BAD_ARGS', `${name} must be a string`);
  return value;
}
