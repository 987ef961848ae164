// Per-account records and the validator list, each under its own storage key (JSON, u128 as strings).
import { near } from 'near-sdk-js';
import type { AccountRecord, Bucket, PendingChange, ValidatorRecord } from './types';

const ACCOUNT_PREFIX = 'a:';
const VALIDATORS_KEY = 'validators';
const CHANGES_KEY = 'changes';

function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
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

/** Writes an account record. */
export function writeAccount(accountId: string, record: AccountRecord): void {
  near.storageWrite(ACCOUNT_PREFIX + accountId, toJson(record));
}

/** Deletes an account record. */
export function removeAccount(accountId: string): void {
  near.storageRemove(ACCOUNT_PREFIX + accountId);
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
  else near.storageWrite(GOV_FORWARDED_PREFIX + accountId, amount.toString());
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
  near.storageWrite(VALIDATORS_KEY, toJson(validators));
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
  near.storageWrite(CHANGES_KEY, toJson(changes));
}

export { toJson };
