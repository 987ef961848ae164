// Amounts: yocto strings/bigints in, text for people out. Exact (bigint) throughout.

export const YOCTO = 10n ** 24n;

/** `1234567` → `1,234,567`. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Decimal text of a yocto amount, truncated (never rounded up) to `decimals` places. */
export function formatYocto(yocto: bigint | string, decimals = 4): string {
  const value = BigInt(yocto);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / YOCTO;
  const fraction = (abs % YOCTO).toString().padStart(24, '0').slice(0, decimals).replace(/0+$/, '');
  const text = fraction
    ? `${groupThousands(whole.toString())}.${fraction}`
    : groupThousands(whole.toString());
  return negative ? `-${text}` : text;
}

/** "12.5" or "1,000" (whole tokens) → yocto; throws a sentence when it is not an amount. */
export function parseAmount(text: string, unit = 'NEAR'): bigint {
  const clean = text.trim().replace(/,/g, '');
  const match = /^(\d+)(?:\.(\d{0,24}))?$/.exec(clean);
  if (!match) {
    throw new Error(`Enter the ${unit} amount as a number, like 12.5 (at most 24 decimals).`);
  }
  const [, whole, fraction = ''] = match;
  return BigInt(whole) * YOCTO + BigInt(fraction.padEnd(24, '0'));
}

/** A decimal string like "0.0712" as a percentage "7.12%", or "–" when unknown. */
export function formatPercent(decimal: string | null | undefined, digits = 2): string {
  if (decimal === null || decimal === undefined || decimal === '') return '–';
  const value = Number(decimal);
  return Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : '–';
}

/** NEAR value of `snear` yocto at `priceYocto` NEAR-yocto per sNEAR, rounded down. */
export function snearToNear(snear: bigint | string, priceYocto: bigint | string): bigint {
  return (BigInt(snear) * BigInt(priceYocto)) / YOCTO;
}
