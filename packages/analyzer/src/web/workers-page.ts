import type { FindingSources } from './finding-sources.js';
import { formatAge, formatSeconds } from './format.js';
import { html } from './html.js';
import { renderLayout } from './layout.js';

export function renderWorkersPage(sources: FindingSources): string {
  const now = sources.now();
  const workers = sources.workers();
  const body = html`
<h1>Workers</h1>
${
  workers.length === 0
    ? html`<p>No worker has sent telemetry yet.</p>`
    : html`<table id="workers"><thead><tr><th>worker</th><th>service</th><th>host</th><th>last heartbeat</th><th>active jobs</th><th>share of work</th><th>completed (window)</th><th>oldest active job</th></tr></thead>
<tbody>${workers.map(
        (w) => html`<tr>
<td><code>${w.worker}</code></td><td>${w.service}</td><td>${w.host}</td>
<td>${formatAge(w.lastHeartbeatMs, now)}</td>
<td>${w.activeJobs}</td>
<td>${w.shareOfWork === undefined ? '–' : `${Math.round(w.shareOfWork * 100)}%`}</td>
<td>${w.completedInWindow ?? '–'}</td>
<td>${w.oldestActiveJob ? `${w.oldestActiveJob.queue} / ${w.oldestActiveJob.jobName} #${w.oldestActiveJob.jobId} for ${formatSeconds(w.oldestActiveJob.ageSeconds)}${w.oldestActiveJob.currentStep ? ` in ${w.oldestActiveJob.currentStep}` : ''}` : '–'}</td>
</tr>`,
      )}</tbody></table>`
}`;
  return renderLayout('Workers', 'workers', body);
}
