// The connected account's own activity, newest first, from the indexer's /v1/history/account.

import { type ActivityItem, activityLine } from './activity-line';
import { optionalApi } from './api';
import { $, setText } from './dom';

let shownFor = '';
let lastAt = 0;

/** Renders the account's last 10 events; at most every 3 s (balances refresh every block). */
export async function renderActivity(accountId: string | null, force = false): Promise<void> {
  if (!accountId) return;
  if (!force && shownFor === accountId && Date.now() - lastAt < 3_000) return;
  shownFor = accountId;
  lastAt = Date.now();
  const page = await optionalApi<{ items: ActivityItem[]; indexer: { lag_blocks: number } }>(
    `/v1/history/account?account_id=${encodeURIComponent(accountId)}&limit=10`,
  );
  const list = $('activity');
  if (page === null) {
    list.replaceChildren();
    setText('activity-note', 'Your activity needs the history indexer, which is not running here.');
    return;
  }
  list.replaceChildren(
    ...page.items.map((item) => {
      const li = document.createElement('li');
      li.textContent = activityLine(item);
      li.title = new Date(item.timestamp_ms).toLocaleString();
      return li;
    }),
  );
  setText(
    'activity-note',
    page.items.length === 0
      ? `Nothing yet (the indexer is ${page.indexer.lag_blocks} blocks behind the chain).`
      : `Indexed to ${page.indexer.lag_blocks} blocks behind the chain.`,
  );
}
