// Account records and storage accounting (nearcore: 100 bytes per account, +40 per record).
import type { ContractCode } from '../host/index';
import type { AccessKey } from '../host/types';

/** Yocto per byte of storage (storage_amount_per_byte). */
export const STORAGE_PRICE_PER_BYTE = 10_000_000_000_000_000_000n;
/** Fixed storage overhead of every account. */
export const ACCOUNT_BYTES = 100n;
/** Storage overhead of every data record and access key. */
export const RECORD_EXTRA_BYTES = 40n;
/** NEP-448: accounts without code using at most this many bytes need no balance for storage. */
export const ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT = 770n;

/** One account's full state. */
export interface AccountRecord {
  id: string;
  /** Liquid balance (nearcore `amount`). */
  amount: bigint;
  /** Staked balance (nearcore `locked`). */
  locked: bigint;
  code?: ContractCode;
  /** Bytes the code counts for storage (a .js bundle is charged as the wasm it becomes). */
  codeBytes: bigint;
  /** Contract data: latin1 key → value. Values are never mutated in place. */
  state: Map<string, Uint8Array>;
  /** Σ (key + value + 40) over `state`. */
  stateBytes: bigint;
  accessKeys: Map<string, AccessKey>;
}

/** A new empty account. */
export function newAccount(id: string, amount = 0n): AccountRecord {
  return {
    id,
    amount,
    locked: 0n,
    codeBytes: 0n,
    state: new Map(),
    stateBytes: 0n,
    accessKeys: new Map(),
  };
}

/** borsh size of an access key record (public key + AccessKey) plus the record overhead. */
export function accessKeyBytes(publicKey: string, key: AccessKey): bigint {
  const pkBytes = publicKey.startsWith('secp256k1:') ? 65 : 33;
  let akBytes = 8 + 1;
  if (key.permission !== 'FullAccess') {
    const p = key.permission.FunctionCall;
    akBytes += (p.allowance === null ? 1 : 17) + 4 + p.receiverId.length + 4;
    for (const m of p.methodNames) akBytes += 4 + m.length;
  }
  return BigInt(pkBytes + akBytes) + RECORD_EXTRA_BYTES;
}

/** Total storage usage in bytes. */
export function storageUsage(account: AccountRecord): bigint {
  let keys = 0n;
  for (const [pk, key] of account.accessKeys) keys += accessKeyBytes(pk, key);
  return ACCOUNT_BYTES + account.stateBytes + account.codeBytes + keys;
}

/** Balance that must stay on the account for its storage (0 for zero-balance accounts). */
export function storageStakeRequired(
  account: AccountRecord,
  usage = storageUsage(account),
): bigint {
  if (!account.code && usage <= ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT) return 0n;
  return usage * STORAGE_PRICE_PER_BYTE;
}

/** A copy whose mutable parts (keys, state map) are independent of the original. */
export function cloneAccount(account: AccountRecord, copyState: boolean): AccountRecord {
  return {
    ...account,
    state: copyState ? new Map(account.state) : account.state,
    accessKeys: new Map([...account.accessKeys].map(([pk, k]) => [pk, cloneAccessKey(k)] as const)),
  };
}

/** Copy of an access key (its permission is mutable: allowance). */
export function cloneAccessKey(key: AccessKey): AccessKey {
  if (key.permission === 'FullAccess') return { nonce: key.nonce, permission: 'FullAccess' };
  const p = key.permission.FunctionCall;
  return {
    nonce: key.nonce,
    permission: { FunctionCall: { ...p, methodNames: [...p.methodNames] } },
  };
}
