// The governance section: who governs (the DAO), the guardian, and each change waiting in the
// metapool's timelock with the epoch it applies at, from /v1/state's `governance`.
import { $, fillDefinitions, textRow } from './dom';
import { onState, type StateBody } from './state';

function renderGovernance(state: StateBody): void {
  const g = state.governance;
  const section = $('governance');
  section.hidden = !g;
  if (!g) return;
  fillDefinitions('governance-list', [
    ['Governed by', g.governance_id],
    ['Owner', g.handed_over ? `${g.owner_id} (handed over)` : g.owner_id],
    ['Guardian', g.guardian_id ?? 'none'],
    ['Timelock', `${g.timelock_epochs} epochs (floor ${g.timelock_floor_epochs})`],
    ['Deposits', g.deposits_paused ? 'paused by the guardian (exits stay open)' : 'open'],
  ]);
  const rows = g.queued.map((c) =>
    textRow([
      `#${c.id}`,
      c.kind,
      JSON.stringify(c.args),
      c.epochs_left > 0
        ? `${c.apply_epoch} (in ${c.epochs_left} epochs, ~${new Date(c.estimated_apply_at_ms).toLocaleString()})`
        : `${c.apply_epoch} (due)`,
    ]),
  );
  if (rows.length === 0) {
    const empty = textRow(['No change queued']);
    (empty.firstChild as HTMLTableCellElement).colSpan = 4;
    rows.push(empty);
  }
  (document.querySelector('#queued tbody') as HTMLElement).replaceChildren(...rows);
}

/** Renders the section on every state the page receives. */
export function startGovernance(): void {
  onState(renderGovernance);
}
