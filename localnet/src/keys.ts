// Deterministic ed25519 key pairs for localnet accounts (so a JSON-RPC client can sign as them).
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { base58Encode } from './host/keys';

/** A NEAR key pair in near-api-js string form. */
export interface KeyPairStrings {
  /** `ed25519:<base58 of 32-byte public key>` */
  publicKey: string;
  /** `ed25519:<base58 of 64 bytes: seed ‖ public key>` (near-api-js KeyPair.fromString input) */
  secretKey: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The key pair localnet gives an account: derived from its id, stable across runs. */
export function keyPairFor(accountId: string): KeyPairStrings {
  const seed = createHash('sha256').update(`localnet-key:${accountId}`).digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  const secret = new Uint8Array(64);
  secret.set(seed, 0);
  secret.set(publicKey, 32);
  return {
    publicKey: `ed25519:${base58Encode(publicKey)}`,
    secretKey: `ed25519:${base58Encode(secret)}`,
  };
}
