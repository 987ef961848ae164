// The governance token's error codes (stable: clients match on them). Every failure panics with
// `CODE: sentence a person can act on`: state unchanged, attached NEAR refunded.
import { failWith } from '../shared/errors';

/** Every code the contract can fail with. */
export type ErrorCode =
  | 'E_BAD_ARGS'
  | 'E_BAD_AMOUNT'
  | 'E_ZERO_AMOUNT'
  | 'E_UNAUTHORIZED'
  | 'E_SUPPLY_CAP'
  | 'E_NOT_REGISTERED'
  | 'E_INSUFFICIENT_BALANCE'
  | 'E_SELF_TRANSFER'
  | 'E_DEPOSIT'
  | 'E_STORAGE'
  | 'E_GAS'
  | 'E_INTERNAL';

/** Aborts with `code: message`. */
export function fail(code: ErrorCode, message: string): never {
  return failWith(code, message);
}

/** Aborts with `code: message` unless `cond` holds. */
export function ensure(cond: boolean, code: ErrorCode, message: string): asserts cond {
  if (!cond) fail(code, message);
}
