import type { FindingSources } from '../findings/finding-sources.js';
import { formatAge, formatTime } from './format.js';
import { html } from './html.js';
import { renderLayout } from './layout.js';

export function renderMonitorsPage(sources: FindingSources): string {
  const now = sources.now();
  const monitors = sources.monitors();
  const body = html`
<h1>Monitors</h1>
${
  monitors.length === 0
    ? html`<p>No heartbeat monitors are configured.</p>`
    : html`<table id="monitors"><thead><tr><th>monitor</th><th>state</th><th>schedule</th><th>last check-in</th><th>next deadline</th><th>history</th></tr></thead>
<tbody>${monitors.map(
        (m) => html`<tr>
<td><code>${m.slug}</code></td>
<td class="state-${m.state}">${m.state}</td>
<td>${m.schedule}</td>
<td>${formatAge(m.lastCheckInMs, now)}</td>
<td>${formatTime(m.nextDeadlineMs)}</td>
<td>${m.history
          .slice(-5)
          .reverse()
          .map(
            (h) =>
              html`<div>${formatTime(h.at)}: ${h.from ?? 'new'} → <span class="state-${h.to}">${h.to}</span>${h.reason ? ` (${h.reason})` : ''}</div>`,
          )}</td>
</tr>`,
      )}</tbody></table>`
}`;
  return renderLayout('Monitors', 'monitors', body);
}
