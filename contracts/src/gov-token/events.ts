// NEP-297 events of the NEP-141 standard (`nep141` 1.0.0): ft_mint, ft_transfer, ft_burn.
import { near } from 'near-sdk-js';

function emit(event: string, data: Record<string, string>): void {
  near.log(
    `EVENT_JSON:${JSON.stringify({ standard: 'nep141', version: '1.0.0', event, data: [data] })}`,
  );
}

function withMemo(data: Record<string, string>, memo?: string): Record<string, string> {
  if (memo !== undefined) data.memo = memo;
  return data;
}

/** ft_mint of `amount` to `ownerId`. */
export function emitMint(ownerId: string, amount: bigint, memo?: string): void {
  emit('ft_mint', withMemo({ owner_id: ownerId, amount: amount.toString() }, memo));
}

/** ft_burn of `amount` held by `ownerId`. */
export function emitBurn(ownerId: string, amount: bigint, memo?: string): void {
  emit('ft_burn', withMemo({ owner_id: ownerId, amount: amount.toString() }, memo));
}

/** ft_transfer of `amount` from `oldOwnerId` to `newOwnerId`. */
export function emitTransfer(
  oldOwnerId: string,
  newOwnerId: string,
  amount: bigint,
  memo?: string,
): void {
  emit(
    'ft_transfer',
    withMemo(
      { old_owner_id: oldOwnerId, new_owner_id: newOwnerId, amount: amount.toString() },
      memo,
    ),
  );
}
