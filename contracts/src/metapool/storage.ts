// Per-account records and the validator list, each under its own storage key (JSON, u128 as strings).
import { near } from 'near-sdk-js';
import type { AccountRecord, Bucket, PendingChange, ValidatorRecord } from './types';

const ACCOUNT_PREFIX = 'a:';
const VALIDATORS_KEY = 'validators';
const CHANGES_KEY = 'changes';

/** JSON with bigints as decimal strings (events and views: what people and indexers read). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * A stored bigint: hex, which QuickJS converts in linear time (decimal takes long multiplication);
 * readers take BigInt(text), which reads both forms.
 */
function hex(x: bigint): string {
  return `0x${x.toString(16)}`;
}

/** JSON for storage: bigints in hex (see hex). */
function toStoredJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? hex(v) : v));
}

/** Reads an account record, or null when the account is not registered. */
export function readAccount(accountId: string): AccountRecord | null {
  const raw = near.storageRead(ACCOUNT_PREFIX + accountId);
  if (raw === null) return null;
  const o = JSON.parse(raw);
  return {
    shares: BigInt(o.shares),
    lp: BigInt(o.lp),
    storagePaid: BigInt(o.storagePaid),
    lockup: o.lockup === true,
    govPaidStake: BigInt(o.govPaidStake ?? 0),
    govPaidLp: BigInt(o.govPaidLp ?? 0),
    govUnclaimed: BigInt(o.govUnclaimed ?? 0),
    govBeneficiary: (o.govBeneficiary as string | null | undefined) ?? null,
    buckets: (o.buckets as { unlockEpoch: number; near: string }[]).map(
      (b): Bucket => ({ unlockEpoch: b.unlockEpoch, near: BigInt(b.near) }),
    ),
  };
}

/**
 * An account record as JSON: fields by hand (JSON.stringify's replacer would run a JS callback for
 * every value), and the governance fields only when they differ from a fresh record's.
 */
function accountJson(r: AccountRecord): string {
  const o: Record<string, unknown> = {
    shares: hex(r.shares),
    lp: hex(r.lp),
    buckets: r.buckets.map((b) => ({ unlockEpoch: b.unlockEpoch, near: hex(b.near) })),
    storagePaid: hex(r.storagePaid),
    lockup: r.lockup,
  };
  if (r.govPaidStake !== 0n) o.govPaidStake = hex(r.govPaidStake);
  if (r.govPaidLp !== 0n) o.govPaidLp = hex(r.govPaidLp);
  if (r.govUnclaimed !== 0n) o.govUnclaimed = hex(r.govUnclaimed);
  if (r.govBeneficiary !== null) o.govBeneficiary = r.govBeneficiary;
  return JSON.stringify(o);
}

/** Writes an account record; a new one (not the pool's own `#lp`) joins the account index. */
export function writeAccount(accountId: string, record: AccountRecord): void {
  const existed = near.storageWrite(ACCOUNT_PREFIX + accountId, accountJson(record));
  if (!existed && !accountId.startsWith('#')) indexAccount(accountId);
}

/** Deletes an account record and its index entry. */
export function removeAccount(accountId: string): void {
  if (near.storageRemove(ACCOUNT_PREFIX + accountId) && !accountId.startsWith('#'))
    unindexAccount(accountId);
}

// The account index (core-contracts' UnorderedMap layout): `i:<n>` -> account id, `n:<id>` -> n,
// `accounts_len`; a removal moves the last entry into the hole, so the list stays dense.
const INDEX_LEN_KEY = 'accounts_len';

/** Registered accounts (every record but the pool's own). */
export function accountCount(): number {
  const raw = near.storageRead(INDEX_LEN_KEY);
  return raw === null ? 0 : Number(raw);
}

/** The account ids at index from..from+limit-1 (fewer at the end). */
export function accountIdsAt(from: number, limit: number): string[] {
  const out: string[] = [];
  const end = Math.min(accountCount(), from + limit);
  for (let i = from; i < end; i++) out.push(near.storageRead(`i:${i}`) as string);
  return out;
}

function indexAccount(accountId: string): void {
  const n = accountCount();
  near.storageWrite(`i:${n}`, accountId);
  near.storageWrite(`n:${accountId}`, String(n));
  near.storageWrite(INDEX_LEN_KEY, String(n + 1));
}

function unindexAccount(accountId: string): void {
  const raw = near.storageRead(`n:${accountId}`);
  if (raw === null) return;
  const at = Number(raw);
  const last = accountCount() - 1;
  if (at !== last) {
    const moved = near.storageRead(`i:${last}`) as string;
    near.storageWrite(`i:${at}`, moved);
    near.storageWrite(`n:${moved}`, String(at));
  }
  near.storageRemove(`i:${last}`);
  near.storageRemove(`n:${accountId}`);
  near.storageWrite(INDEX_LEN_KEY, String(last));
}

/** A fresh, empty account record (`lockup`: the account's class, see AccountRecord). */
export function emptyAccount(storagePaid = 0n, lockup = false): AccountRecord {
  return {
    shares: 0n,
    lp: 0n,
    buckets: [],
    storagePaid,
    lockup,
    govPaidStake: 0n,
    govPaidLp: 0n,
    govUnclaimed: 0n,
    govBeneficiary: null,
  };
}

const GOV_FORWARDED_PREFIX = 'g:';

/** Governance tokens other accounts forwarded to `accountId` as their beneficiary (gov.ts). */
export function readGovForwarded(accountId: string): bigint {
  const raw = near.storageRead(GOV_FORWARDED_PREFIX + accountId);
  return raw === null ? 0n : BigInt(raw);
}

/** Writes (or, at 0, removes) what was forwarded to `accountId`. */
export function writeGovForwarded(accountId: string, amount: bigint): void {
  if (amount === 0n) near.storageRemove(GOV_FORWARDED_PREFIX + accountId);
  else near.storageWrite(GOV_FORWARDED_PREFIX + accountId, hex(amount));
}

/** Reads the validator list (bounded by MAX_VALIDATORS). */
export function readValidators(): ValidatorRecord[] {
  const raw = near.storageRead(VALIDATORS_KEY);
  if (raw === null) return [];
  return (JSON.parse(raw) as Record<string, unknown>[]).map((v) => ({
    accountId: v.accountId as string,
    weight: v.weight as number,
    staked: BigInt(v.staked as string),
    unstaked: BigInt(v.unstaked as string),
    unlockEpoch: v.unlockEpoch as number,
    lastUnstakeEpoch: v.lastUnstakeEpoch as number,
    lastSyncEpoch: v.lastSyncEpoch as number,
    inFlight: v.inFlight as boolean,
    addedEpoch: v.addedEpoch as number,
    addedNear: BigInt(v.addedNear as string),
    failed: readFailed(v.failed),
  }));
}

function readFailed(raw: unknown): ValidatorRecord['failed'] {
  const o = (raw ?? {}) as Partial<ValidatorRecord['failed']>;
  return {
    sync: o.sync ?? -1,
    stake: o.stake ?? -1,
    unstake: o.unstake ?? -1,
    withdraw: o.withdraw ?? -1,
  };
}

/** Writes the validator list. */
export function writeValidators(validators: ValidatorRecord[]): void {
  near.storageWrite(VALIDATORS_KEY, toStoredJson(validators));
}

/** Reads the timelocked changes waiting to be applied. */
export function readChanges(): PendingChange[] {
  const raw = near.storageRead(CHANGES_KEY);
  if (raw === null) return [];
  return (JSON.parse(raw) as PendingChange[]).map((c) => ({
    ...c,
    suffixes: c.suffixes ?? null,
    fees:
      c.fees === null
        ? null
        : { ...c.fees, targetLiquidity: BigInt(c.fees.targetLiquidity as unknown as string) },
  }));
}

/** Writes the timelocked changes. */
export function writeChanges(changes: PendingChange[]): void {
  near.storageWrite(CHANGES_KEY, toStoredJson(changes));
}

export { toJson };
