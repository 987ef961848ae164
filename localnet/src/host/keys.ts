// Public keys: NEAR's string form (`ed25519:<base58>`) and borsh bytes (key-type byte + data).

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const ALPHABET_INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));

/** Base58 (Bitcoin alphabet) encoding. */
export function base58Encode(bytes: Uint8Array): string {
  // Repeated division of a base-58 digit array (little-endian), as in bs58.
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i] << 8;
      digits[i] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = '';
  for (const b of bytes) {
    if (b !== 0) break;
    out += '1';
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]];
  return out;
}

/** Base58 decoding; throws on a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array {
  let n = 0n;
  for (const c of text) {
    const digit = ALPHABET_INDEX.get(c);
    if (digit === undefined) throw new Error(`E_BASE58: invalid character '${c}' in '${text}'`);
    n = n * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const c of text) {
    if (c !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

const KEY_TYPES = [
  { name: 'ed25519', tag: 0, length: 32 },
  { name: 'secp256k1', tag: 1, length: 64 },
] as const;

/** borsh PublicKey bytes → `ed25519:<base58>`; undefined when malformed. */
export function publicKeyFromBytes(bytes: Uint8Array): string | undefined {
  const type = KEY_TYPES.find((t) => t.tag === bytes[0]);
  if (!type || bytes.length !== type.length + 1) return undefined;
  return `${type.name}:${base58Encode(bytes.subarray(1))}`;
}

/** `ed25519:<base58>` → borsh PublicKey bytes; throws on a malformed key. */
export function publicKeyToBytes(key: string): Uint8Array {
  const [name, data] = key.includes(':') ? key.split(':') : ['ed25519', key];
  const type = KEY_TYPES.find((t) => t.name === name);
  const raw = base58Decode(data ?? '');
  if (!type || raw.length !== type.length) {
    throw new Error(`E_PUBLIC_KEY: '${key}' is not an ed25519 or secp256k1 public key`);
  }
  const out = new Uint8Array(raw.length + 1);
  out[0] = type.tag;
  out.set(raw, 1);
  return out;
}

const ACCOUNT_ID_RE = /^(([a-z\d]+[-_])*[a-z\d]+\.)*([a-z\d]+[-_])*[a-z\d]+$/;

/** nearcore's account-id rule: 2–64 chars of lowercase parts joined by '.', '-' or '_'. */
export function isValidAccountId(id: string): boolean {
  return id.length >= 2 && id.length <= 64 && ACCOUNT_ID_RE.test(id);
}
