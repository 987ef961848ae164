// NEP-297 events out of receipt logs: `EVENT_JSON:{standard, version, event, data}` lines the
// metapool writes (contracts/src/metapool/events.ts): nep141 token events and "snear" protocol
// events. One row per `data` entry, keyed by (receipt_id, log_index, data_index).

const PREFIX = 'EVENT_JSON:';

/** Where a receipt ran: what every event row of its logs shares. */
export interface ReceiptContext {
  receiptId: string;
  txHash: string;
  contractId: string;
  blockHeight: number;
  blockHash: string;
  blockTimestampNs: bigint;
  epochId: string;
}

/** One stored event. Amounts are yocto (NEAR or sNEAR as the event says). */
export interface EventRow extends ReceiptContext {
  logIndex: number;
  dataIndex: number;
  standard: string;
  version: string;
  event: string;
  accountId: string | null;
  amount: bigint | null;
  feeNear: bigint | null;
  data: Record<string, unknown>;
}

/** The field holding each event's headline amount (yocto). Default: `amount`. */
const AMOUNT_FIELD: Record<string, string> = {
  liquid_unstake: 'near_out',
  add_liquidity: 'near_in',
  remove_liquidity: 'near_out',
};

/** Events whose data carries a fee in NEAR (`fee_near`): liquid unstakes and reward fees. */
const FEE_FIELD = 'fee_near';

const ACCOUNT_FIELDS = ['account_id', 'owner_id', 'old_owner_id', 'sender_id'];

function yocto(value: unknown): bigint | null {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return null;
}

function accountOf(data: Record<string, unknown>): string | null {
  for (const field of ACCOUNT_FIELDS) {
    if (typeof data[field] === 'string') return data[field] as string;
  }
  return null;
}

/** The event rows of one receipt's logs; lines that are not NEP-297 JSON are skipped. */
export function eventsOfLogs(logs: string[], ctx: ReceiptContext): EventRow[] {
  const rows: EventRow[] = [];
  logs.forEach((line, logIndex) => {
    if (!line.startsWith(PREFIX)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.slice(PREFIX.length));
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { standard, version, event, data } = parsed as Record<string, unknown>;
    if (typeof standard !== 'string' || typeof event !== 'string') return;
    const entries = Array.isArray(data) ? data : [data ?? {}];
    entries.forEach((entry, dataIndex) => {
      const fields =
        typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
      rows.push({
        ...ctx,
        logIndex,
        dataIndex,
        standard,
        version: typeof version === 'string' ? version : '',
        event,
        accountId: accountOf(fields),
        amount: yocto(fields[AMOUNT_FIELD[event] ?? 'amount']),
        feeNear: yocto(fields[FEE_FIELD]),
        data: fields,
      });
    });
  });
  return rows;
}
