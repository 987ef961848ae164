// Argument parsing: the shared parsers (../shared/args.ts) plus the metapool's own.
import { isValidAccountId } from '../shared/account-id';
import { argsObject, parseAccountId, parseAmount, parseCallArgs } from '../shared/args';
import { fail } from './errors';

export { argsObject, isValidAccountId, parseAccountId, parseAmount, parseCallArgs };

/** Parses an optional u128 decimal string (missing or null gives `fallback`). */
export function parseOptionalAmount(name: string, value: unknown, fallback: bigint): bigint {
  if (value === undefined || value === null) return fallback;
  return parseAmount(name, value, true);
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
