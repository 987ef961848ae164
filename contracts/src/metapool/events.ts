// NEP-297 events: NEP-141 token events and the protocol's own ("snear") events.
import { near } from 'near-sdk-js';
import { toJson } from './storage';

function emit(standard: string, version: string, event: string, data: unknown[]): void {
  near.log(`EVENT_JSON:${toJson({ standard, version, event, data })}`);
}

/** NEP-141 mint. */
export function emitMint(ownerId: string, amount: bigint, memo?: string): void {
  if (amount === 0n) return;
  emit('nep141', '1.0.0', 'ft_mint', [{ owner_id: ownerId, amount, ...(memo ? { memo } : {}) }]);
}

/** NEP-141 burn. */
export function emitBurn(ownerId: string, amount: bigint, memo?: string): void {
  if (amount === 0n) return;
  emit('nep141', '1.0.0', 'ft_burn', [{ owner_id: ownerId, amount, ...(memo ? { memo } : {}) }]);
}

/** NEP-141 transfer. */
export function emitTransfer(from: string, to: string, amount: bigint, memo?: string): void {
  emit('nep141', '1.0.0', 'ft_transfer', [
    { old_owner_id: from, new_owner_id: to, amount, ...(memo ? { memo } : {}) },
  ]);
}

/** A protocol action (deposit, unstake, liquid_unstake, ping step, governance change ...). */
export function emitProtocol(event: string, data: Record<string, unknown>): void {
  emit('snear', '1.0.0', event, [data]);
}
