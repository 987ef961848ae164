// The STATE blob (read and written whole on every call): only the minter and the money totals.
// Balances live under their own storage keys (ledger.ts), metadata under one key read only by
// ft_metadata (metadata.ts), so no call pays gas for data it does not touch.

/** Hard cap on any token's supply cap: one billion whole tokens, whatever the decimals. */
export const MAX_SUPPLY_TOKENS = 1_000_000_000n;
/** Most decimals a token may have (10^9 tokens at 24 decimals = 10^33, far below u128). */
export const MAX_DECIMALS = 24;
/** Decimals when `new` names none (NEAR's own). */
export const DEFAULT_DECIMALS = 24;

/** The hard cap in the smallest unit for `decimals`. */
export function maxSupplyCap(decimals: number): bigint {
  return MAX_SUPPLY_TOKENS * 10n ** BigInt(decimals);
}

/** Every field of the contract object, so modules take the state without importing the class. */
export interface GovTokenState {
  /** The only account that may mint (the metapool); fixed at init, no method changes it. */
  minterId: string;
  /** Most that may ever be minted, in the smallest unit (≤ maxSupplyCap(decimals)). */
  supplyCap: bigint;
  /** Tokens in existence: minted minus burnt (NEP-141 ft_total_supply). */
  totalSupply: bigint;
  /** Tokens ever minted; burning never makes room under the cap again. */
  totalMinted: bigint;
}
