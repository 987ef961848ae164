// A contract's STATE blob as flat JSON with bigints as hex strings (read back with BigInt, which
// also takes decimal). near-sdk-js's default
// wraps every bigint as {"value", "__TYPE__"} and revives the blob through a JS callback per node,
// a large share of the work of every call. Every contract here uses this one codec.
import { decode, encode } from 'near-sdk-js';

/** The state's bigint fields, taken from the class's initialisers when the module loads. */
const bigintFields: string[] = [];

/** Records which fields of a fresh contract object are bigints (run once, at module load). */
export function registerStateFields(fresh: object): void {
  for (const [name, value] of Object.entries(fresh)) {
    if (typeof value === 'bigint') bigintFields.push(name);
  }
}

/** STATE bytes of the contract object. */
export function serializeState(state: unknown): Uint8Array {
  const fields = state as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const name in fields) {
    const value = fields[name];
    // hex: QuickJS converts a power-of-two radix in linear time, decimal by long multiplication
    plain[name] = typeof value === 'bigint' ? `0x${value.toString(16)}` : value;
  }
  return encode(JSON.stringify(plain));
}

/** The plain object near-sdk-js copies into a fresh contract object. */
export function deserializeState(bytes: Uint8Array): unknown {
  if (bigintFields.length === 0)
    throw new Error('E_STATE_CODEC: state fields were never registered');
  const plain = JSON.parse(decode(bytes)) as Record<string, unknown>;
  for (const name of bigintFields) {
    const value = plain[name];
    if (typeof value === 'string') plain[name] = BigInt(value);
  }
  return plain;
}
