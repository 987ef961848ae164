import Big from 'big.js';
import { NEAR_DECIMALS, U128_MAX } from './constants';
import { AmmError } from './errors';

// A private Big constructor: its settings never leak into (or from) other users of big.js.
// Made on first use, so importing this module has no effect (contract bundles drop big.js).
let decimalConstructor: Big.BigConstructor | undefined;
function Decimal(): Big.BigConstructor {
  if (!decimalConstructor) {
    decimalConstructor = Big();
    decimalConstructor.strict = true;
  }
  return decimalConstructor;
}

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?$/;
const MAX_TEXT_LENGTH = 80;

/** Parse decimal NEAR text ("1.5", "0.000000000000000000000001") to yocto, exactly. */
export function parseNear(text: string): bigint {
  if (typeof text !== 'string') {
    throw new AmmError('INVALID_DECIMAL', `expected decimal NEAR text, got ${typeof text}`);
  }
  if (text.length > MAX_TEXT_LENGTH) {
    throw new AmmError(
      'INVALID_DECIMAL',
      `"${text.slice(0, 20)}…" is longer than ${MAX_TEXT_LENGTH} characters`,
    );
  }
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) {
    const hint = text.trim().startsWith('-')
      ? 'negative amounts are not allowed'
      : 'use digits with an optional "." fraction, e.g. "1.5"';
    throw new AmmError('INVALID_DECIMAL', `"${text}" is not a NEAR amount: ${hint}`);
  }
  const fraction = match[2] ?? '';
  if (fraction.length > NEAR_DECIMALS) {
    throw new AmmError(
      'INVALID_DECIMAL',
      `"${text}" has ${fraction.length} decimals; NEAR has ${NEAR_DECIMALS} (1 yoctoNEAR = 1e-24)`,
    );
  }
  const D = Decimal();
  const yocto = BigInt(new D(text).times(new D(`1e${NEAR_DECIMALS}`)).toFixed(0));
  if (yocto > U128_MAX) {
    throw new AmmError(
      'INVALID_DECIMAL',
      `"${text}" NEAR exceeds the u128 limit of ${U128_MAX} yocto`,
    );
  }
  return yocto;
}

/**
 * Format yocto as decimal NEAR: exact (trailing zeros dropped), or `decimals` places truncated
 * toward zero. Plain bigint arithmetic (no big.js), so contracts can use it in their messages.
 */
export function formatNear(yocto: bigint, decimals?: number): string {
  if (typeof yocto !== 'bigint') {
    throw new AmmError('INVALID_AMOUNT', `formatNear needs a bigint of yocto, got ${typeof yocto}`);
  }
  if (
    decimals !== undefined &&
    (!Number.isInteger(decimals) || decimals < 0 || decimals > NEAR_DECIMALS)
  ) {
    throw new AmmError(
      'INVALID_ARGUMENT',
      `decimals must be an integer in 0..${NEAR_DECIMALS} (got ${decimals})`,
    );
  }
  const magnitude = yocto < 0n ? -yocto : yocto;
  const unit = 10n ** BigInt(NEAR_DECIMALS);
  const whole = (magnitude / unit).toString();
  const digits = (magnitude % unit).toString().padStart(NEAR_DECIMALS, '0');
  const fraction = decimals === undefined ? digits.replace(/0+$/, '') : digits.slice(0, decimals);
  const text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  // A value truncated to zero has no sign ("0.00", never "-0.00").
  return yocto < 0n && /[1-9]/.test(text) ? `-${text}` : text;
}
