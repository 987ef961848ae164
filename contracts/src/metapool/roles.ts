// The guardian and the handover flag: read only by governance calls, so they live under their own
// storage key (`roles`), not in STATE, which every call parses and writes whole.
import { near } from 'near-sdk-js';

const ROLES_KEY = 'roles';

/** Who besides governance holds a power, and whether the owner has handed over. */
export interface Roles {
  /** May cancel a queued change and pause new deposits ('' = none). */
  guardianId: string;
  /** The owner handed every governance power to `governanceId` for good. */
  handedOver: boolean;
}

/** The roles record (none yet: no guardian, not handed over). */
export function readRoles(): Roles {
  const raw = near.storageRead(ROLES_KEY);
  return raw === null ? { guardianId: '', handedOver: false } : (JSON.parse(raw) as Roles);
}

/** Writes the roles record. */
export function writeRoles(roles: Roles): void {
  near.storageWrite(ROLES_KEY, JSON.stringify(roles));
}
