import { isAmmError, parseNear } from '@snear/amm-math';
import { ApiError } from './errors';

/** Largest u128: no on-chain amount can exceed it. */
export const MAX_U128 = (1n << 128n) - 1n;

/** JSON schema of a yocto amount on the wire: decimal digits, no sign, no leading zeros. */
export const yoctoString = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,38})$',
  description: 'Amount in yocto (10^-24) as a decimal string',
} as const;

/** JSON schema of a human decimal amount (whole tokens, up to 24 decimals). */
export const decimalString = {
  type: 'string',
  pattern: '^[0-9]{1,15}(\\.[0-9]{1,24})?$',
  description: 'Amount in whole tokens, up to 24 decimals, converted exactly (e.g. "12.5")',
} as const;

/**
 * Reads the one amount a request carries: `yocto` (digits) or `decimal` (whole tokens, exact).
 * Throws 400 when both or neither are given, or the value is out of range.
 */
export function readAmount(
  name: string,
  yocto: string | undefined,
  decimal: string | undefined,
): bigint {
  if (yocto !== undefined && decimal !== undefined) {
    throw new ApiError(
      400,
      'AMBIGUOUS_AMOUNT',
      `Give either "${name}" (yocto) or "amount" (decimal), not both.`,
    );
  }
  let value: bigint;
  if (yocto !== undefined) {
    if (!/^(0|[1-9][0-9]*)$/.test(yocto)) {
      throw new ApiError(
        400,
        'INVALID_AMOUNT',
        `"${name}" must be decimal digits of yocto, got "${yocto.slice(0, 60)}".`,
      );
    }
    value = BigInt(yocto);
  } else if (decimal !== undefined) {
    try {
      value = parseNear(decimal);
    } catch (error) {
      if (isAmmError(error)) throw new ApiError(400, 'INVALID_AMOUNT', error.message);
      throw error;
    }
  } else {
    throw new ApiError(
      400,
      'MISSING_AMOUNT',
      `Give "${name}" in yocto (e.g. ${name}=1000000000000000000000000) or "amount" in whole tokens (e.g. amount=1.5).`,
    );
  }
  if (value <= 0n) {
    throw new ApiError(400, 'INVALID_AMOUNT', `"${name}" must be greater than zero.`);
  }
  if (value > MAX_U128) {
    throw new ApiError(
      400,
      'AMOUNT_TOO_LARGE',
      `"${name}" exceeds the largest on-chain amount (2^128 - 1 yocto).`,
    );
  }
  return value;
}

/**
 * Re-checks an integer parameter after schema validation: ajv 8 lets Infinity ("Infinity", 1e400)
 * through `type: integer` with a maximum, so the range is enforced here too.
 */
export function requireIntegerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ApiError(
      400,
      'INVALID_REQUEST',
      `"${name}" must be an integer from ${min} to ${max}.`,
      {
        field: name,
      },
    );
  }
  return value;
}
