// The calculator: price, pool state, validators, sell-now vs wait, the fee curve. Every number
// comes from the quote API; this only formats them.
import { api } from './api';
import { feeCurveSvg } from './charts';
import { $, fillDefinitions, setText, showMessage, textRow } from './dom';
import { describeError } from './errors';
import { formatYocto } from './format';
import { latestState, onState, publishState, type StateBody } from './state';

/** Slippage in basis points from the settings field (default 50 = 0.5%). */
export function slippageBps(): number {
  const pct = Number($<HTMLInputElement>('slippage-setting').value);
  return Number.isFinite(pct) && pct >= 0 && pct <= 100 ? Math.round(pct * 100) : 50;
}

async function quote(): Promise<void> {
  const amount = $<HTMLInputElement>('amount').value.trim().replace(/,/g, '');
  if (!amount) return;
  const ids = ['sell-now-near', 'sell-now-fee', 'sell-now-fee-bps', 'sell-now-min'];
  try {
    const q = await api<Record<string, string>>(
      `/v1/quote/liquid-unstake?amount=${encodeURIComponent(amount)}&slippage_bps=${slippageBps()}`,
    );
    showMessage('quote-error', '');
    setText('sell-now-near', formatYocto(q.near_out));
    setText('sell-now-fee', formatYocto(q.fee_near, 6));
    setText('sell-now-fee-bps', String(q.fee_bps));
    setText('sell-now-min', formatYocto(q.min_near_out));
    setText('slippage', String(Number(q.slippage_bps) / 100));
    setText('wait-near', formatYocto(q.value_near));
    setText('wait-gain', formatYocto(q.fee_near, 6));
    setText('quote-block', String(q.block_height));
    document.body.dataset.quoted = String(q.block_height);
  } catch (error) {
    const pool = latestState()?.pool;
    showMessage(
      'quote-error',
      describeError(error, {
        maxSellableSnear: pool?.max_sellable_snear,
        liquidityNear: pool?.liquidity,
      }),
    );
    for (const id of ids) setText(id, '–');
  }
}

function renderState(state: StateBody): void {
  const p = state.pool;
  const m = state.metapool ?? {};
  const rows: [string, string][] = [
    ['Block', `${state.block_height} (epoch ${state.epoch_height})`],
    ['sNEAR price', `${formatYocto(p.snear_price_yocto, 6)} NEAR`],
    ['Total staked', `${formatYocto(p.total_staked_near, 2)} NEAR`],
    ['sNEAR supply', `${formatYocto(p.total_snear, 2)} sNEAR`],
    [
      'Pool liquidity',
      `${formatYocto(p.liquidity, 2)} NEAR (target ${formatYocto(p.target_liquidity, 0)})`,
    ],
    ['Pool sNEAR', `${formatYocto(p.pool_snear, 2)} sNEAR`],
    [
      'Fee now',
      `${Number(p.marginal_fee_bps).toFixed(2)} bps (curve ${p.min_fee_bps}–${p.max_fee_bps} bps)`,
    ],
    ['Treasury cut', `${p.treasury_cut_bps / 100}% of fees`],
    ['Reserve', `${formatYocto(m.reserve_near ?? '0', 2)} NEAR`],
    [
      'Pending deposits / unstakes',
      `${formatYocto(m.pending_deposit_near ?? '0', 2)} / ${formatYocto(m.pending_unstake_near ?? '0', 2)} NEAR`,
    ],
  ];
  fillDefinitions('state-list', rows);
  const tbody = document.querySelector('#validators tbody') as HTMLElement;
  tbody.replaceChildren(
    ...(m.validators ?? []).map((v) =>
      textRow([
        v.account_id,
        v.weight,
        formatYocto(v.staked, 2),
        formatYocto(v.unstaked, 2),
        // a pool with nothing unstaked has no timer running
        BigInt(v.unstaked || '0') === 0n ? '–' : v.unstake_unlock_epoch,
      ]),
    ),
  );
  const wait = state.delayed_unstake;
  setText('wait-epochs', String(wait.epochs));
  const date = new Date(wait.estimated_ready_at_ms);
  $<HTMLTimeElement>('wait-date').dateTime = date.toISOString();
  setText('wait-date', date.toLocaleString());
  setText('max-sellable', formatYocto(p.max_sellable_snear));
  setText('price', formatYocto(p.snear_price_yocto, 6));
  $('status').textContent =
    `Block ${state.block_height} · state ${Math.round(state.state_age_ms / 1000)} s old${state.rpc_ok ? '' : ' · RPC unreachable, showing last state'}`;
  document.body.dataset.block = String(state.block_height);
}

async function renderCurve(): Promise<void> {
  $('fee-curve').innerHTML = feeCurveSvg(await api('/v1/fee-curve?points=60'));
}

async function refreshAll(state?: StateBody): Promise<void> {
  publishState(state ?? (await api<StateBody>('/v1/state')));
  await renderCurve();
  await quote();
}

/** Wires the calculator and the live stream; resolves after the first render. */
export async function startCalculator(apiBase: string): Promise<void> {
  onState(renderState);
  $('quote-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void quote();
  });
  let typing: ReturnType<typeof setTimeout> | undefined;
  $('amount').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(quote, 300);
  });
  $('slippage-setting').addEventListener('change', () => void quote());
  if (window.EventSource) {
    const stream = new EventSource(`${apiBase}/v1/stream`);
    stream.addEventListener('state', (event) => {
      $('status').dataset.live = 'true';
      refreshAll(JSON.parse((event as MessageEvent).data)).catch((e) =>
        showMessage('quote-error', describeError(e)),
      );
    });
    stream.addEventListener('unavailable', (event) => {
      $('status').dataset.live = 'false';
      $('status').textContent = describeError(JSON.parse((event as MessageEvent).data));
    });
    stream.onerror = () => {
      $('status').dataset.live = 'false';
    };
  }
  await refreshAll().catch((error) => {
    $('status').textContent = `API unavailable: ${describeError(error)}`;
  });
}
