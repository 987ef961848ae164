// `new` and NEP-148 metadata. Metadata is written once, under its own key, and read only by
// ft_metadata (an icon can be kilobytes: kept out of STATE, which every call reads).
import { near } from 'near-sdk-js';
import { parseAccountId, parseAmount } from '../shared/args';
import { ensure, fail } from './errors';
import {
  DEFAULT_DECIMALS,
  type GovTokenState,
  MAX_DECIMALS,
  MAX_SUPPLY_TOKENS,
  maxSupplyCap,
} from './state';

const METADATA_KEY = 'metadata';
const INIT_ARGS = ['minter_id', 'name', 'symbol', 'decimals', 'supply_cap', 'icon'];
const MAX_NAME_CHARS = 64;
const MAX_SYMBOL_CHARS = 16;
/** Longest icon data URL (NEP-148 recommends small, optimised SVGs). */
const MAX_ICON_CHARS = 32_768;

/** NEP-148 FungibleTokenMetadata. */
export interface FtMetadata {
  spec: 'ft-1.0.0';
  name: string;
  symbol: string;
  icon: string | null;
  reference: null;
  reference_hash: null;
  decimals: number;
}

/** True when `text` has no control characters (nor spaces unless `allowSpace`). */
function isPrintable(text: string, allowSpace: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (!allowSpace && c === 0x20)) return false;
  }
  return true;
}

function parseText(name: string, value: unknown, maxChars: number, allowSpace: boolean): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars) {
    fail('E_BAD_ARGS', `${name} must be a string of 1 to ${maxChars} characters`);
  }
  ensure(
    isPrintable(value, allowSpace),
    'E_BAD_ARGS',
    `${name} ${JSON.stringify(value)} has characters it may not have`,
  );
  return value;
}

function parseDecimals(value: unknown): number {
  if (value === undefined) return DEFAULT_DECIMALS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DECIMALS) {
    fail(
      'E_BAD_ARGS',
      `decimals must be a whole number in 0..${MAX_DECIMALS} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

function parseIcon(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  ensure(
    typeof value === 'string' && value.startsWith('data:') && value.length <= MAX_ICON_CHARS,
    'E_BAD_ARGS',
    `icon must be a data URL ("data:image/svg+xml,…") of at most ${MAX_ICON_CHARS} characters`,
  );
  return value;
}

/**
 * `new({ minter_id, name, symbol, decimals?, supply_cap, icon? })`: the supply starts at zero and
 * only `minter_id` may ever mint, at most `supply_cap` (≤ 10^9 whole tokens).
 */
export function initToken(st: GovTokenState, args: Record<string, unknown>): void {
  for (const key of Object.keys(args)) {
    ensure(
      INIT_ARGS.includes(key),
      'E_BAD_ARGS',
      `new takes no argument ${key}; it takes ${INIT_ARGS.join(', ')}`,
    );
  }
  const minterId = parseAccountId('minter_id', args.minter_id);
  const name = parseText('name', args.name, MAX_NAME_CHARS, true);
  const symbol = parseText('symbol', args.symbol, MAX_SYMBOL_CHARS, false);
  const decimals = parseDecimals(args.decimals);
  const supplyCap = parseAmount('supply_cap', args.supply_cap);
  const hardCap = maxSupplyCap(decimals);
  if (supplyCap > hardCap) {
    fail(
      'E_SUPPLY_CAP',
      `supply_cap ${supplyCap} is above the hard cap of ${MAX_SUPPLY_TOKENS} tokens ` +
        `(${hardCap} in the smallest unit at ${decimals} decimals); pass at most that`,
    );
  }
  const metadata: FtMetadata = {
    spec: 'ft-1.0.0',
    name,
    symbol,
    icon: parseIcon(args.icon),
    reference: null,
    reference_hash: null,
    decimals,
  };
  st.minterId = minterId;
  st.supplyCap = supplyCap;
  st.totalSupply = 0n;
  st.totalMinted = 0n;
  near.storageWrite(METADATA_KEY, JSON.stringify(metadata));
}

/** NEP-148 ft_metadata. */
export function ftMetadata(): FtMetadata {
  const raw = near.storageRead(METADATA_KEY);
  if (raw === null) fail('E_INTERNAL', 'metadata is missing; was the token initialised with new?');
  return JSON.parse(raw) as FtMetadata;
}
