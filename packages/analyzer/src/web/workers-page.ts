import type { FindingSources } from '../findings/finding-sources.js';
import { formatAge, formatSeconds } from './format.js';
import { html, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';
import { type WorkerStatus, workerStatus } from './worker-status.js';

export async function renderWorkersPage(sources: FindingSources): Promise<string> {
  const now = sources.now();
  const workers = sources.workers();
  const openFindings = workers.length === 0 ? [] : await sources.store.list({ status: 'open', limit: 1000 });
  const body = html`
<h1>Workers</h1>
${
  workers.length === 0
    ? html`<p>No worker has sent telemetry yet.</p>`
    : html`<table id="workers"><thead><tr><th>worker</th><th>status</th><th>service</th><th>host</th><th>pid</th><th>last heartbeat</th><th>active jobs</th><th>share of work</th><th>completed (window)</th><th>oldest active job</th></tr></thead>
<tbody>${workers.map(
        (w) => html`<tr data-worker="${w.worker}">
<td><code>${w.worker}</code></td>${renderStatus(workerStatus(w, openFindings))}<td>${w.service}</td><td>${w.host}</td><td>${w.pid ?? '–'}</td>
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

function renderStatus(status: WorkerStatus): SafeHtml {
  if (status.tone !== 'problem')
    return html`<td class="worker-status worker-${status.tone}">${status.label}</td>`;
  const href = `/findings/${encodeURIComponent(status.findingId ?? '')}`;
  return html`<td class="worker-status worker-problem"><a href="${href}">${status.label}</a></td>`;
}
