// The app's activity lines (api/app/src/activity-line.ts): what a person reads of their own history.
import { activityLine } from '../app/src/activity-line';

const NEAR = 10n ** 24n;
const item = (kind: string, amount: bigint | null, fee: bigint | null = null) => ({
  kind,
  block_height: 843,
  timestamp_ms: 1_700_000_843_000,
  tx_hash: 'h',
  amount: amount === null ? null : amount.toString(),
  fee_near: fee === null ? null : fee.toString(),
});

test('amounts in the unit of each event, the fee of a sale, the block', () => {
  expect(activityLine(item('liquid_unstake', (1994n * NEAR) / 1000n, (6n * NEAR) / 1000n))).toBe(
    'Sold now, received 1.994 NEAR (fee 0.006 NEAR) · block 843',
  );
  expect(activityLine(item('deposit_and_stake', 10n * NEAR))).toBe('Staked 10 NEAR · block 843');
  expect(activityLine(item('ft_transfer', 5n * NEAR))).toBe('Transferred 5 sNEAR · block 843');
  expect(activityLine(item('gov_claim', 12n * NEAR))).toBe('Claimed 12 GOV · block 843');
  expect(activityLine(item('pool_self_unstake', null))).toBe('pool self unstake · block 843');
});
