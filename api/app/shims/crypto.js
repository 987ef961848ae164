// Browser stand-in for Node's `crypto`: HERE wallet's core only calls randomBytes (for a nonce).
export function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
export default { randomBytes };
