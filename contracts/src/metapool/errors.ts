// Stable error codes. Every failure panics with `CODE: sentence a person can act on`; a panic
// discards the call's state changes and refunds its deposit.

import { isAmmError } from '@snear/amm-math';
import { encode, near } from 'near-sdk-js';

/** The contract's error codes (stable: clients match on them). */
export type ErrorCode =
  | 'E_BAD_ARGS'
  | 'E_ZERO_AMOUNT'
  | 'E_BAD_AMOUNT'
  | 'E_INSUFFICIENT_BALANCE'
  | 'E_INSUFFICIENT_SHARES'
  | 'E_NOT_REGISTERED'
  | 'E_STORAGE'
  | 'E_UNAUTHORIZED'
  | 'E_DEPOSIT'
  | 'E_SELF_TRANSFER'
  | 'E_LOCKUP'
  | 'E_SLIPPAGE'
  | 'E_NOT_AVAILABLE'
  | 'E_TOO_MANY_BUCKETS'
  | 'E_VALIDATOR'
  | 'E_NOT_WHITELISTED'
  | 'E_TIMELOCK'
  | 'E_PAUSED'
  | 'E_HANDED_OVER'
  | 'E_BAD_MSG'
  | 'E_INSUFFICIENT_LIQUIDITY'
  | 'E_INSUFFICIENT_LP_SHARES'
  | 'E_BAD_PARAMS'
  | 'E_GOV_DISABLED'
  | 'E_NOTHING_TO_CLAIM'
  | 'E_NOT_LOCKUP_OWNER'
  | 'E_INTERNAL';

/** Aborts the call with `code: message` (state unchanged, deposit refunded). */
export function fail(code: ErrorCode, message: string): never {
  near.panicUtf8(encode(`${code}: ${message}`));
  throw new Error('unreachable');
}

/** Aborts with `code` unless `cond` holds. */
export function ensure(cond: boolean, code: ErrorCode, message: string): asserts cond {
  if (!cond) fail(code, message);
}

/** Runs `fn`, turning amm-math errors into contract errors `E_<code>` with amm-math's sentence. */
export function withAmm<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isAmmError(e)) {
      // AmmError messages already start with their code: keep one copy of it.
      near.panicUtf8(encode(`E_${e.message}`));
    }
    throw e;
  }
}
