// Hashes for the crypto host functions. sha256 and ripemd160 come from node:crypto; Keccak (the
// pre-standard padding NEAR uses, not SHA-3) is implemented here on 64-bit BigInt lanes.
import { createHash } from 'node:crypto';

/** SHA-256 digest. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** RIPEMD-160 digest. */
export function ripemd160(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('ripemd160').update(data).digest());
}

const MASK = (1n << 64n) - 1n;
const ROUND_CONSTANTS: bigint[] = [];
const ROTATIONS: number[] = [];
const PI: number[] = [];
(() => {
  // Derive the round constants, rotation offsets and lane permutation as in FIPS 202.
  let r = 1;
  for (let round = 0; round < 24; round++) {
    let rc = 0n;
    for (let j = 0; j < 7; j++) {
      if (r & 1) rc |= 1n << ((1n << BigInt(j)) - 1n);
      r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    }
    ROUND_CONSTANTS.push(rc);
  }
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    ROTATIONS[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  ROTATIONS[0] = 0;
  for (let i = 0; i < 25; i++) {
    const xi = i % 5;
    const yi = Math.floor(i / 5);
    PI[i] = yi + 5 * ((2 * xi + 3 * yi) % 5);
  }
})();

const rotl = (v: bigint, n: number): bigint =>
  n === 0 ? v : ((v << BigInt(n)) | (v >> BigInt(64 - n))) & MASK;

function keccakF(state: bigint[]): void {
  const b = new Array<bigint>(25);
  const c = new Array<bigint>(5);
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++)
      c[x] = state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20];
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (let y = 0; y < 25; y += 5) state[x + y] ^= d;
    }
    for (let i = 0; i < 25; i++) b[PI[i]] = rotl(state[i], ROTATIONS[i]);
    for (let y = 0; y < 25; y += 5)
      for (let x = 0; x < 5; x++)
        state[x + y] = b[x + y] ^ (~b[((x + 1) % 5) + y] & MASK & b[((x + 2) % 5) + y]);
    state[0] ^= ROUND_CONSTANTS[round];
  }
}

function keccak(data: Uint8Array, outputBytes: number): Uint8Array {
  const rate = 200 - 2 * outputBytes;
  const padded = new Uint8Array(Math.floor(data.length / rate) * rate + rate);
  padded.set(data);
  padded[data.length] ^= 0x01;
  padded[padded.length - 1] ^= 0x80;
  const state = new Array<bigint>(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let k = 7; k >= 0; k--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + k]);
      state[i] ^= lane;
    }
    keccakF(state);
  }
  const out = new Uint8Array(outputBytes);
  for (let i = 0; i < outputBytes; i++) {
    out[i] = Number((state[Math.floor(i / 8)] >> BigInt((i % 8) * 8)) & 0xffn);
  }
  return out;
}

/** Keccak-256 (Ethereum's hash). */
export const keccak256 = (data: Uint8Array): Uint8Array => keccak(data, 32);
/** Keccak-512. */
export const keccak512 = (data: Uint8Array): Uint8Array => keccak(data, 64);
