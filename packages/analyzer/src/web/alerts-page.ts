import type { OutboxEntry, OutboxStatus } from '../alerts/alert-outbox.js';
import { formatTime } from './format.js';
import { html } from './html.js';
import { renderLayout } from './layout.js';

/** What the page reads from the alert outbox. */
export interface AlertDeliveries {
  list(status: OutboxStatus, limit?: number): Promise<OutboxEntry[]>;
  count(status: OutboxStatus): Promise<number>;
}

/** Rows shown per table; the counts above them say how many there are in all. */
const SHOWN = 100;

function table(
  entries: OutboxEntry[],
  id: string,
  timeLabel: string,
  timeOf: (e: OutboxEntry) => number | undefined,
) {
  return html`<table id="${id}"><thead><tr><th>channel</th><th>event</th><th>finding</th><th>tries</th><th>${timeLabel}</th><th>last error</th></tr></thead>
<tbody>${entries.map(
    (e) => html`<tr>
<td><code>${e.channel}</code></td>
<td>${e.event.kind} at ${formatTime(e.event.at)}</td>
<td><a href="/findings/${encodeURIComponent(e.event.finding.id)}">${e.event.finding.type}</a> ${e.event.finding.summary}</td>
<td>${e.attempts}</td>
<td>${formatTime(timeOf(e))}</td>
<td>${e.lastError ?? ''}</td>
</tr>`,
  )}</tbody></table>`;
}

/** `/alerts`: deliveries given up on (dead letters) and those still being retried. */
export async function renderAlertsPage(deliveries: AlertDeliveries): Promise<string> {
  const [dead, pending, deadCount, pendingCount] = await Promise.all([
    deliveries.list('dead', SHOWN),
    deliveries.list('pending', SHOWN),
    deliveries.count('dead'),
    deliveries.count('pending'),
  ]);
  const retrying = pending.filter((e) => e.attempts > 0);
  const body = html`
<h1>Alert deliveries</h1>
<p><span id="dead-letter-count">${deadCount}</span> dead letters, ${pendingCount} waiting to be sent.</p>
<h2>Dead letters</h2>
${
  dead.length === 0
    ? html`<p>None: every alert reached its channel or is still being retried.</p>`
    : table(dead, 'dead-letters', 'given up', (e) => e.finishedAt)
}
<h2>Being retried</h2>
${
  retrying.length === 0 ? html`<p>None.</p>` : table(retrying, 'retrying', 'next try', (e) => e.nextAttemptAt)
}`;
  return renderLayout('Alerts', 'alerts', body);
}
