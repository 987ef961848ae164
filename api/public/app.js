// sNEAR page: every number comes from the quote API over HTTP; the page only formats them.
(() => {
  const params = new URLSearchParams(location.search);
  const API = (params.get('api') || '').replace(/\/$/, ''); // default: same origin
  const YOCTO = 10n ** 24n;
  const $ = (id) => document.getElementById(id);
  let lastState = null;

  /** Decimal text of a yocto string, truncated to `decimals` places. */
  function formatYocto(yocto, decimals = 4) {
    const value = BigInt(yocto);
    const whole = value / YOCTO;
    const fraction = (value % YOCTO)
      .toString()
      .padStart(24, '0')
      .slice(0, decimals)
      .replace(/0+$/, '');
    const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return fraction ? `${wholeText}.${fraction}` : wholeText;
  }

  async function api(path) {
    const res = await fetch(API + path, { headers: { accept: 'application/json' } });
    const body = await res
      .json()
      .catch(() => ({ code: 'BAD_RESPONSE', message: `HTTP ${res.status}` }));
    if (!res.ok) throw Object.assign(new Error(body.message || `HTTP ${res.status}`), body);
    return body;
  }

  function setText(id, text) {
    $(id).textContent = text;
  }

  function showError(message) {
    const el = $('quote-error');
    el.textContent = message;
    el.hidden = !message;
  }

  async function quote() {
    const amount = $('amount').value.trim().replace(/,/g, '');
    if (!amount) return;
    try {
      const q = await api(`/v1/quote/liquid-unstake?amount=${encodeURIComponent(amount)}`);
      showError('');
      setText('sell-now-near', formatYocto(q.near_out));
      setText('sell-now-fee', formatYocto(q.fee_near, 6));
      setText('sell-now-fee-bps', q.fee_bps);
      setText('sell-now-min', formatYocto(q.min_near_out));
      setText('slippage', String(q.slippage_bps / 100));
      setText('wait-near', formatYocto(q.value_near));
      setText('wait-gain', formatYocto(q.fee_near, 6));
      setText('quote-block', String(q.block_height));
      document.body.dataset.quoted = String(q.block_height);
    } catch (error) {
      const extra = error.max_snear_in
        ? ` (at most ${formatYocto(error.max_snear_in)} sNEAR now)`
        : '';
      showError(`${error.message}${extra}`);
      for (const id of ['sell-now-near', 'sell-now-fee', 'sell-now-fee-bps', 'sell-now-min'])
        setText(id, '–');
    }
  }

  function renderState(state) {
    lastState = state;
    const p = state.pool;
    const m = state.metapool || {};
    const rows = [
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
      ['Reserve', `${formatYocto(m.reserve_near || '0', 2)} NEAR`],
      [
        'Pending deposits / unstakes',
        `${formatYocto(m.pending_deposit_near || '0', 2)} / ${formatYocto(m.pending_unstake_near || '0', 2)} NEAR`,
      ],
    ];
    const list = $('state-list');
    list.replaceChildren(
      ...rows.flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        return [dt, dd];
      }),
    );
    const tbody = document.querySelector('#validators tbody');
    tbody.replaceChildren(
      ...(m.validators || []).map((v) => {
        const tr = document.createElement('tr');
        for (const cell of [
          v.account_id,
          v.weight,
          formatYocto(v.staked, 2),
          formatYocto(v.unstaked, 2),
          // A pool with nothing unstaked has no timer running.
          BigInt(v.unstaked || '0') === 0n ? '–' : v.unstake_unlock_epoch,
        ]) {
          const td = document.createElement('td');
          td.textContent = String(cell);
          tr.append(td);
        }
        return tr;
      }),
    );
    renderGovernance(state);
    const wait = state.delayed_unstake;
    setText('wait-epochs', String(wait.epochs));
    const date = new Date(wait.estimated_ready_at_ms);
    $('wait-date').dateTime = date.toISOString();
    setText('wait-date', date.toLocaleString());
    setText('max-sellable', formatYocto(p.max_sellable_snear));
    const status = $('status');
    status.textContent = `Block ${state.block_height} · state ${Math.round(state.state_age_ms / 1000)} s old${state.rpc_ok ? '' : ' · RPC unreachable, showing last state'}`;
    document.body.dataset.block = String(state.block_height);
  }

  /** Who governs (the DAO account) and the changes queued in the timelock, with their apply epoch. */
  function renderGovernance(state) {
    const g = state.governance;
    const section = $('governance');
    section.hidden = !g;
    if (!g) return;
    $('governance-list').replaceChildren(
      ...[
        ['Governed by', g.governance_id],
        ['Owner', g.handed_over ? `${g.owner_id} (handed over)` : g.owner_id],
        ['Guardian', g.guardian_id || 'none'],
        ['Timelock', `${g.timelock_epochs} epochs (floor ${g.timelock_floor_epochs})`],
        ['Deposits', g.deposits_paused ? 'paused by the guardian (exits stay open)' : 'open'],
      ].flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        return [dt, dd];
      }),
    );
    const rows = g.queued.map((c) => {
      const tr = document.createElement('tr');
      for (const cell of [
        `#${c.id}`,
        c.kind,
        JSON.stringify(c.args),
        c.epochs_left > 0 ? `${c.apply_epoch} (in ${c.epochs_left})` : `${c.apply_epoch} (due)`,
      ]) {
        const td = document.createElement('td');
        td.textContent = String(cell);
        tr.append(td);
      }
      return tr;
    });
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 4;
      td.textContent = 'No change queued';
      tr.append(td);
      rows.push(tr);
    }
    document.querySelector('#queued tbody').replaceChildren(...rows);
  }

  async function renderCurve() {
    const curve = await api('/v1/fee-curve?points=60');
    const W = 640;
    const H = 240;
    const pad = 40;
    const maxL = Number(BigInt(curve.points[curve.points.length - 1].liquidity) / YOCTO) || 1;
    const maxF = curve.max_fee_bps || 1;
    const x = (liq) => pad + (Number(BigInt(liq) / YOCTO) / maxL) * (W - 2 * pad);
    const y = (bps) => H - pad - (bps / maxF) * (H - 2 * pad);
    const line = curve.points
      .map((pt) => `${x(pt.liquidity).toFixed(1)},${y(pt.fee_bps).toFixed(1)}`)
      .join(' ');
    const cx = x(curve.current.liquidity);
    const cy = y(curve.current.fee_bps);
    const tx = x(curve.target_liquidity);
    $('fee-curve').innerHTML = `
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="fee rate against pool liquidity">
  <line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#888"/>
  <line x1="${pad}" y1="${pad / 2}" x2="${pad}" y2="${H - pad}" stroke="#888"/>
  <text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="12">pool liquidity (NEAR), up to ${maxL.toLocaleString()}</text>
  <text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle" font-size="12">fee (bps)</text>
  <text x="${pad - 4}" y="${y(maxF) + 4}" text-anchor="end" font-size="10">${maxF}</text>
  <text x="${pad - 4}" y="${y(curve.min_fee_bps) + 4}" text-anchor="end" font-size="10">${curve.min_fee_bps}</text>
  <line x1="${tx}" y1="${pad / 2}" x2="${tx}" y2="${H - pad}" stroke="#bbb" stroke-dasharray="4 4"/>
  <text x="${tx + 4}" y="${pad}" font-size="10">target</text>
  <polyline id="curve-line" fill="none" stroke="#0b7a5a" stroke-width="2" points="${line}"/>
  <line id="current-marker" x1="${cx}" y1="${pad / 2}" x2="${cx}" y2="${H - pad}" stroke="#b3261e"/>
  <circle cx="${cx}" cy="${cy}" r="5" fill="#b3261e"/>
  <text x="${cx + 6}" y="${cy - 8}" font-size="12" fill="#b3261e">now: ${formatYocto(curve.current.liquidity, 0)} NEAR, ${Number(curve.current.fee_bps).toFixed(2)} bps</text>
</svg>`;
  }

  async function refreshAll(state) {
    if (state) renderState(state);
    else renderState(await api('/v1/state'));
    await renderCurve();
    await quote();
  }

  function connect() {
    if (!window.EventSource) return;
    const stream = new EventSource(`${API}/v1/stream`);
    stream.addEventListener('state', (event) => {
      $('status').dataset.live = 'true';
      refreshAll(JSON.parse(event.data)).catch((error) => showError(error.message));
    });
    stream.addEventListener('unavailable', (event) => {
      $('status').dataset.live = 'false';
      $('status').textContent = JSON.parse(event.data).message;
    });
    stream.onerror = () => {
      $('status').dataset.live = 'false';
    };
  }

  $('quote-form').addEventListener('submit', (event) => {
    event.preventDefault();
    quote();
  });
  let typing;
  $('amount').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(quote, 300);
  });

  refreshAll().catch((error) => {
    $('status').textContent = `API unavailable: ${error.message}`;
  });
  connect();
  window.snearPage = {
    get state() {
      return lastState;
    },
  };
})();
