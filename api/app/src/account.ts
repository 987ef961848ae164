// The connected account's balances, read from the chain (RPC views), shown in NEAR and sNEAR.
import { nearBalance, view } from './chain';
import { $, setText } from './dom';
import { formatYocto, snearToNear } from './format';
import { latestState } from './state';

export interface AccountInfo {
  accountId: string;
  near: bigint;
  snear: bigint;
  stakedNear: bigint;
  unstakedNear: bigint;
  withdrawableNear: bigint;
  lpShares: bigint;
  lpValueNear: bigint;
  lpUnstakingNear: bigint;
  govUnclaimed: bigint | null;
  schedule: { unlock_epoch: number; amount: string; matured: boolean }[];
  epoch: number;
}

let current: AccountInfo | null = null;
export const currentAccount = (): AccountInfo | null => current;

/** Reads everything the page shows for `accountId` from the metapool's views. */
export async function readAccount(contractId: string, accountId: string): Promise<AccountInfo> {
  const [near, info, lp, schedule, gov] = await Promise.all([
    nearBalance(accountId),
    view<Record<string, string>>(contractId, 'get_account_info', { account_id: accountId }),
    view<Record<string, string>>(contractId, 'get_lp_account', { account_id: accountId }),
    view<{ epoch_height: number; buckets: AccountInfo['schedule'] }>(
      contractId,
      'get_account_unstake_schedule',
      { account_id: accountId },
    ),
    view<string>(contractId, 'get_gov_unclaimed', { account_id: accountId }).catch(() => null),
  ]);
  return {
    accountId,
    near,
    snear: BigInt(info.snear),
    stakedNear: BigInt(info.staked_near),
    unstakedNear: BigInt(info.unstaked_near),
    withdrawableNear: BigInt(info.withdrawable_near),
    lpShares: BigInt(lp.shares),
    lpValueNear: BigInt(lp.value_near),
    lpUnstakingNear: BigInt(lp.unstaking_near),
    govUnclaimed: gov === null ? null : BigInt(gov),
    schedule: schedule.buckets,
    epoch: schedule.epoch_height,
  };
}

/** Shows `yocto` in `id` (4 decimals, truncated) and keeps the exact value in data-yocto. */
function amount(id: string, yocto: bigint, decimals = 4): void {
  const el = $(id);
  el.textContent = formatYocto(yocto, decimals);
  el.dataset.yocto = yocto.toString();
}

export function renderAccount(info: AccountInfo | null): void {
  current = info;
  $('account').hidden = info === null;
  $('connect').hidden = info !== null;
  $('disconnect').hidden = info === null;
  for (const form of document.querySelectorAll<HTMLFieldSetElement>('fieldset.needs-wallet')) {
    form.disabled = info === null;
  }
  if (!info) {
    setText('account-id', 'not connected');
    return;
  }
  setText('account-id', info.accountId);
  amount('bal-near', info.near);
  amount('bal-snear', info.snear);
  const price = latestState()?.pool.snear_price_yocto;
  amount('bal-snear-value', price ? snearToNear(info.snear, price) : info.stakedNear);
  amount('bal-unstaked', info.unstakedNear);
  amount('bal-withdrawable', info.withdrawableNear);
  amount('bal-lp-shares', info.lpShares);
  amount('bal-lp-value', info.lpValueNear);
  amount('bal-lp-unstaking', info.lpUnstakingNear);
  $('gov-row').hidden = info.govUnclaimed === null;
  if (info.govUnclaimed !== null) amount('bal-gov', info.govUnclaimed);
  $<HTMLButtonElement>('withdraw').disabled = info.withdrawableNear === 0n;
  const list = $('schedule');
  list.replaceChildren(
    ...info.schedule.map((b) => {
      const li = document.createElement('li');
      const left = b.unlock_epoch - info.epoch;
      li.textContent = `${formatYocto(b.amount, 4)} NEAR — ${b.matured ? 'ready to withdraw' : `unlocks at epoch ${b.unlock_epoch} (${left} epoch${left === 1 ? '' : 's'} from now)`}`;
      return li;
    }),
  );
  $('schedule-empty').hidden = info.schedule.length > 0;
}
