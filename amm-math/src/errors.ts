/** Stable codes of every error amm-math throws. */
export type AmmErrorCode =
  | 'INSUFFICIENT_LIQUIDITY'
  | 'INSUFFICIENT_SHARES'
  | 'INVALID_AMOUNT'
  | 'INVALID_CURVE'
  | 'INVALID_STATE'
  | 'INVALID_DECIMAL'
  | 'INVALID_ARGUMENT';

/** The one error class of amm-math: a stable `code` plus a sentence naming the limit. */
export class AmmError extends Error {
  /** Stable machine-readable code. */
  readonly code: AmmErrorCode;
  /** For INSUFFICIENT_LIQUIDITY: the largest sNEAR amount (yocto) that can be sold now. */
  readonly maxSnearIn?: bigint;

  constructor(code: AmmErrorCode, message: string, maxSnearIn?: bigint) {
    super(`${code}: ${message}`);
    // QuickJS (on chain) and ES5 targets lose the subclass prototype unless it is set by hand.
    Object.setPrototypeOf(this, AmmError.prototype);
    this.name = 'AmmError';
    this.code = code;
    if (maxSnearIn !== undefined) this.maxSnearIn = maxSnearIn;
  }
}

/** True when `e` is an AmmError (optionally with the given code); works across bundles. */
export function isAmmError(e: unknown, code?: AmmErrorCode): e is AmmError {
  if (!(e instanceof Error) || e.name !== 'AmmError') return false;
  return code === undefined || (e as AmmError).code === code;
}
