// The API's /v1/state body (the fields the app reads) and who needs it.

export interface StateBody {
  block_height: number;
  epoch_height: number;
  state_age_ms: number;
  rpc_ok: boolean;
  pool: {
    snear_price_yocto: string;
    total_staked_near: string;
    total_snear: string;
    liquidity: string;
    target_liquidity: string;
    pool_snear: string;
    marginal_fee_bps: number | string;
    min_fee_bps: number;
    max_fee_bps: number;
    treasury_cut_bps: number;
    max_sellable_snear: string;
  };
  metapool?: {
    reserve_near?: string;
    pending_deposit_near?: string;
    pending_unstake_near?: string;
    validators?: {
      account_id: string;
      weight: number;
      staked: string;
      unstaked: string;
      unstake_unlock_epoch: number;
    }[];
  };
  delayed_unstake: { epochs: number; estimated_ready_at_ms: number };
  /** Who governs and the changes waiting in the timelock (null from a metapool without them). */
  governance?: Governance | null;
}

/** `/v1/state`'s `governance`. */
export interface Governance {
  governance_id: string;
  owner_id: string;
  guardian_id: string | null;
  handed_over: boolean;
  timelock_epochs: number;
  timelock_floor_epochs: number;
  deposits_paused: boolean;
  queued: {
    id: number;
    kind: string;
    args: Record<string, unknown>;
    apply_epoch: number;
    epochs_left: number;
    estimated_apply_at_ms: number;
  }[];
}

let last: StateBody | null = null;
const listeners: ((s: StateBody) => void)[] = [];

export const latestState = (): StateBody | null => last;

export function onState(listener: (s: StateBody) => void): void {
  listeners.push(listener);
}

export function publishState(state: StateBody): void {
  last = state;
  for (const listener of listeners) listener(state);
}
