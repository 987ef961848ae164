// Contract failures, shared by every contract here: each panics with `E_<CODE>: sentence a person
// can act on`. A panic discards the call's state changes and refunds its attached deposit.
import { encode, near } from 'near-sdk-js';

/** A stable error code: `E_` and upper-case words (clients match on it). */
export type Code = `E_${string}`;

/** Aborts the call with `code: message` (state unchanged, deposit refunded). */
export function failWith(code: Code, message: string): never {
  near.panicUtf8(encode(`${code}: ${message}`));
  throw new Error('unreachable');
}
