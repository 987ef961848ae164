// What a connected person can do: stake, sell now, sell max, delayed unstake, withdraw, add and
// remove liquidity, claim the governance token. Sales and LP moves use the quote API's exact call
// arguments (with `min_*_out` from the slippage setting); the rest are plain contract calls.

import { currentAccount } from './account';
import { api, type CallArgs } from './api';
import { slippageBps } from './calculator';
import { view } from './chain';
import { $, setText, showMessage } from './dom';
import { describeError, type ErrorContext } from './errors';
import { formatYocto, parseAmount } from './format';
import { latestState } from './state';
import { sendCalls } from './wallet';

const GAS = (100n * 10n ** 12n).toString();

interface Quote extends Record<string, unknown> {
  call: CallArgs;
}

type Step = { calls: CallArgs[]; done: string };

let contractId = '';
let afterSend: () => Promise<void> = async () => {};

function context(action: string, amount?: bigint): ErrorContext {
  const acc = currentAccount();
  const pool = latestState()?.pool;
  return {
    action,
    amount,
    maxSellableSnear: pool?.max_sellable_snear,
    liquidityNear: pool?.liquidity,
    snearBalance: acc?.snear,
    nearBalance: acc?.near,
    lpShares: acc?.lpShares,
  };
}

const input = (id: string) => $<HTMLInputElement>(id).value;
const slip = () => `slippage_bps=${slippageBps()}`;

/** Runs one action: builds its calls, signs them, reports in words, refreshes balances. */
async function run(
  action: string,
  build: () => Promise<Step>,
  amount?: () => bigint,
): Promise<void> {
  const status = $('action-status');
  document.body.dataset.busy = 'true';
  showMessage('action-error', '');
  status.textContent = 'Waiting for the wallet…';
  try {
    const step = await build();
    await sendCalls(step.calls);
    status.textContent = step.done;
    await afterSend();
    document.body.dataset.done = `${action}:${Number(document.body.dataset.done?.split(':')[1] ?? 0) + 1}`;
  } catch (error) {
    console.error(error); // the raw error for whoever opens the console; the page shows words
    status.textContent = '';
    let value: bigint | undefined;
    try {
      value = amount?.();
    } catch {
      value = undefined;
    }
    showMessage('action-error', describeError(error, context(action, value)));
    document.body.dataset.failed = action;
  } finally {
    document.body.dataset.busy = 'false';
  }
}

/** Previews a quote under the form as the person types. */
function preview(
  inputId: string,
  outId: string,
  text: (yocto: bigint) => Promise<string>,
  action: string,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  $(inputId).addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const raw = input(inputId);
      if (!raw.trim()) return setText(outId, '');
      try {
        setText(outId, await text(parseAmount(raw)));
      } catch (error) {
        setText(outId, describeError(error, context(action)));
      }
    }, 250);
  });
}

const sellQuote = (snear: bigint) =>
  api<Quote>(`/v1/quote/liquid-unstake?snear=${snear}&${slip()}`);

function form(id: string, handler: () => void): void {
  $(id).addEventListener('submit', (event) => {
    event.preventDefault();
    handler();
  });
}

export function wireActions(metapoolId: string, refresh: () => Promise<void>): void {
  contractId = metapoolId;
  afterSend = refresh;
  const call = (method_name: string, args: Record<string, string>, deposit = '0'): CallArgs => ({
    contract_id: contractId,
    method_name,
    args,
    deposit,
    gas: GAS,
  });

  preview(
    'stake-amount',
    'stake-preview',
    async (near) => {
      const q = await api<Quote>(`/v1/quote/stake?near=${near}`);
      return `You get ${formatYocto(String(q.snear_out))} sNEAR.`;
    },
    'stake',
  );
  form('stake-form', () => {
    const amount = () => parseAmount(input('stake-amount'));
    void run(
      'stake',
      async () => {
        const near = amount();
        const acc = currentAccount();
        if (acc && near >= acc.near) {
          throw new Error(
            `Your wallet has ${formatYocto(acc.near, 2)} NEAR; stake less, keeping some for gas.`,
          );
        }
        const q = await api<Quote>(`/v1/quote/stake?near=${near}`);
        return {
          calls: [q.call],
          done: `Staked ${formatYocto(near)} NEAR for ${formatYocto(String(q.snear_out))} sNEAR.`,
        };
      },
      amount,
    );
  });

  preview(
    'sell-amount',
    'sell-preview',
    async (snear) => {
      const q = await sellQuote(snear);
      return `You get ${formatYocto(String(q.near_out))} NEAR now (at least ${formatYocto(String(q.min_near_out))} with your slippage), fee ${formatYocto(String(q.fee_near), 6)} NEAR.`;
    },
    'sell',
  );
  form('sell-form', () => {
    const amount = () => parseAmount(input('sell-amount'), 'sNEAR');
    void run(
      'sell',
      async () => {
        const snear = amount();
        const acc = currentAccount();
        if (acc && snear > acc.snear) {
          throw new Error(`You have ${formatYocto(acc.snear)} sNEAR; enter at most that.`);
        }
        const q = await sellQuote(snear);
        return {
          calls: [q.call],
          done: `Sold ${formatYocto(snear)} sNEAR for at least ${formatYocto(String(q.min_near_out))} NEAR.`,
        };
      },
      amount,
    );
  });
  $('sell-max').addEventListener('click', () => {
    void run('sell-max', async () => {
      const acc = currentAccount();
      const pool = latestState()?.pool;
      if (!acc || acc.snear === 0n) throw new Error('You have no sNEAR to sell.');
      const max = BigInt(pool?.max_sellable_snear ?? '0');
      const sell = acc.snear < max ? acc.snear : max;
      const calls: CallArgs[] = [];
      let done = '';
      if (sell > 0n) {
        const q = await sellQuote(sell);
        calls.push(q.call);
        done = `Sold ${formatYocto(sell)} sNEAR for at least ${formatYocto(String(q.min_near_out))} NEAR`;
      }
      if (acc.snear > sell) {
        // the rest cannot be sold now: a delayed unstake of everything left
        calls.push(call('unstake_all', {}));
        done += `${done ? '; ' : ''}unstaking the other ${formatYocto(acc.snear - sell)} sNEAR (delayed)`;
      }
      return { calls, done: `${done}.` };
    });
  });

  form('unstake-form', () => {
    const amount = () => parseAmount(input('unstake-amount'));
    void run(
      'unstake',
      async () => {
        const near = amount();
        const acc = currentAccount();
        if (acc && near > acc.stakedNear) {
          throw new Error(
            `You have ${formatYocto(acc.stakedNear)} NEAR staked; unstake at most that.`,
          );
        }
        const epochs = latestState()?.delayed_unstake.epochs;
        return {
          calls: [call('unstake', { amount: near.toString() })],
          done: `Unstaking ${formatYocto(near)} NEAR; withdraw it in about ${epochs ?? 'a few'} epochs.`,
        };
      },
      amount,
    );
  });
  $('withdraw').addEventListener('click', () => {
    void run('withdraw', async () => {
      const acc = currentAccount();
      if (!acc || acc.withdrawableNear === 0n) {
        throw new Error(
          'Nothing you unstaked has matured yet; withdraw once the unlock epoch shown is reached.',
        );
      }
      return {
        calls: [call('withdraw_all', {})],
        done: `Withdrew ${formatYocto(acc.withdrawableNear)} NEAR.`,
      };
    });
  });

  preview(
    'add-amount',
    'add-preview',
    async (near) => {
      const q = await api<Quote>(`/v1/quote/add-liquidity?near=${near}&${slip()}`);
      return `You get ${formatYocto(String(q.lp_shares))} LP shares.`;
    },
    'add-liquidity',
  );
  form('add-form', () => {
    const amount = () => parseAmount(input('add-amount'));
    void run(
      'add-liquidity',
      async () => {
        const near = amount();
        const acc = currentAccount();
        if (acc && near >= acc.near) {
          throw new Error(
            `Your wallet has ${formatYocto(acc.near, 2)} NEAR; add less, keeping some for gas.`,
          );
        }
        const q = await api<Quote>(`/v1/quote/add-liquidity?near=${near}&${slip()}`);
        return {
          calls: [q.call],
          done: `Added ${formatYocto(near)} NEAR for ${formatYocto(String(q.lp_shares))} LP shares.`,
        };
      },
      amount,
    );
  });

  const removeText = (q: Record<string, unknown>) => {
    const delayed = BigInt(String(q.unstaking_near));
    return `${formatYocto(String(q.near_out))} NEAR and ${formatYocto(String(q.snear_out))} sNEAR now${delayed > 0n ? `, plus ${formatYocto(delayed)} NEAR the pool is unstaking (delayed, paid when it unlocks)` : ''}`;
  };
  preview(
    'remove-amount',
    'remove-preview',
    async (shares) => {
      const q = await api<Quote>(`/v1/quote/remove-liquidity?shares=${shares}&${slip()}`);
      return `You get ${removeText(q)}.`;
    },
    'remove-liquidity',
  );
  form('remove-form', () => {
    const amount = () => parseAmount(input('remove-amount'), 'LP share');
    void run(
      'remove-liquidity',
      async () => {
        const shares = amount();
        const acc = currentAccount();
        if (acc && shares > acc.lpShares) {
          throw new Error(`You have ${formatYocto(acc.lpShares)} LP shares; remove at most that.`);
        }
        const q = await api<Quote>(`/v1/quote/remove-liquidity?shares=${shares}&${slip()}`);
        return {
          calls: [q.call],
          done: `Removed ${formatYocto(shares)} LP shares: ${removeText(q)}.`,
        };
      },
      amount,
    );
  });
  $('remove-all').addEventListener('click', () => {
    const acc = currentAccount();
    if (acc)
      $<HTMLInputElement>('remove-amount').value = formatYocto(acc.lpShares, 24).replace(/,/g, '');
    $('remove-amount').dispatchEvent(new Event('input'));
  });

  $('claim-gov').addEventListener('click', () => {
    void run('claim-gov', async () => {
      const gov = await api<{ enabled: boolean; token_id: string | null }>('/v1/gov');
      const acc = currentAccount();
      if (!gov.enabled || !gov.token_id)
        throw new Error('The governance token is not live on this metapool yet.');
      if (!acc?.govUnclaimed) {
        throw new Error(
          'There is no governance token to claim yet; it accrues every second you hold sNEAR or LP shares.',
        );
      }
      const calls: CallArgs[] = [];
      const registered = await view(gov.token_id, 'storage_balance_of', {
        account_id: acc.accountId,
      });
      if (registered === null) {
        const bounds = await view<{ min: string }>(gov.token_id, 'storage_balance_bounds');
        calls.push({
          contract_id: gov.token_id,
          method_name: 'storage_deposit',
          args: {},
          deposit: bounds.min,
          gas: GAS,
        });
      }
      calls.push(call('claim_gov', {}));
      return { calls, done: `Claimed ${formatYocto(acc.govUnclaimed)} governance tokens.` };
    });
  });
}
