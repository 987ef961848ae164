// One line of the account's activity as a person reads it (no DOM: unit-tested).
import { formatYocto } from './format';

export interface ActivityItem {
  kind: string;
  block_height: number;
  timestamp_ms: number;
  tx_hash: string;
  amount: string | null;
  fee_near: string | null;
}

/** What each event's headline amount is counted in (the metapool's events; NEAR otherwise). */
const UNIT: Record<string, string> = {
  ft_transfer: 'sNEAR',
  ft_mint: 'sNEAR',
  ft_burn: 'sNEAR',
  lp_transfer: 'LP shares',
  gov_claim: 'GOV',
};

const LABEL: Record<string, string> = {
  deposit_and_stake: 'Staked',
  deposit: 'Deposited',
  stake: 'Staked',
  unstake: 'Delayed unstake',
  withdraw: 'Withdrew',
  liquid_unstake: 'Sold now, received',
  add_liquidity: 'Added liquidity',
  remove_liquidity: 'Removed liquidity, received',
  gov_claim: 'Claimed',
  ft_transfer: 'Transferred',
  ft_mint: 'Received',
  ft_burn: 'Burnt',
};

/** One line a person reads: "Sold now, received 1.9940 NEAR (fee 0.0060 NEAR) · block 843". */
export function activityLine(item: ActivityItem): string {
  const label = LABEL[item.kind] ?? item.kind.replace(/_/g, ' ');
  const amount =
    item.amount === null ? '' : ` ${formatYocto(item.amount)} ${UNIT[item.kind] ?? 'NEAR'}`;
  const fee = item.fee_near === null ? '' : ` (fee ${formatYocto(item.fee_near, 6)} NEAR)`;
  return `${label}${amount}${fee} · block ${item.block_height}`;
}
