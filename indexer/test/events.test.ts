// NEP-297 parsing: one row per data entry, the headline amount and fee per event kind, and
// everything that is not an EVENT_JSON line ignored.
import { eventsOfLogs } from '../src/events';

const ctx = {
  receiptId: 'R1',
  txHash: 'T1',
  contractId: 'metapool.near',
  blockHeight: 7,
  blockHash: 'B7',
  blockTimestampNs: 7n,
  epochId: 'E',
};
const line = (o: unknown) => `EVENT_JSON:${JSON.stringify(o)}`;

test('a liquid unstake stores NEAR out as its amount and its fee', () => {
  const rows = eventsOfLogs(
    [
      'plain log line',
      line({
        standard: 'snear',
        version: '1.0.0',
        event: 'liquid_unstake',
        data: [{ account_id: 'a.near', snear_in: '10', near_out: '9', fee_near: '1' }],
      }),
    ],
    ctx,
  );
  expect(rows).toEqual([
    expect.objectContaining({
      logIndex: 1,
      dataIndex: 0,
      event: 'liquid_unstake',
      accountId: 'a.near',
      amount: 9n,
      feeNear: 1n,
    }),
  ]);
});

test('every entry of a data array is its own row, keyed by its index', () => {
  const rows = eventsOfLogs(
    [
      line({
        standard: 'nep141',
        version: '1.0.0',
        event: 'ft_transfer',
        data: [
          { old_owner_id: 'a.near', new_owner_id: 'b.near', amount: '5' },
          { old_owner_id: 'c.near', new_owner_id: 'd.near', amount: '6' },
        ],
      }),
    ],
    ctx,
  );
  expect(rows.map((r) => [r.dataIndex, r.accountId, r.amount])).toEqual([
    [0, 'a.near', 5n],
    [1, 'c.near', 6n],
  ]);
});

test('malformed EVENT_JSON lines and events without a standard are skipped', () => {
  expect(
    eventsOfLogs(['EVENT_JSON:{not json', line({ event: 'x', data: [] }), line(null)], ctx),
  ).toEqual([]);
});

test('an amount that is not a decimal integer is stored as none, not guessed', () => {
  const [row] = eventsOfLogs(
    [line({ standard: 'snear', version: '1', event: 'deposit', data: [{ amount: '1e3' }] })],
    ctx,
  );
  expect(row.amount).toBeNull();
});
