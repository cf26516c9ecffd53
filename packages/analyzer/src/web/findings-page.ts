import { FINDING_TYPES } from '@joblens/semconv';
import type { Finding, FindingFilter } from '../findings/finding.js';
import type { FindingSources } from '../findings/finding-sources.js';
import { compareFindingsForReading } from './finding-order.js';
import { formatAge } from './format.js';
import { html, type SafeHtml } from './html.js';
import { describeIncidentState } from './incident-section.js';
import { renderLayout } from './layout.js';

const FILTER_KEYS = ['type', 'status', 'service', 'queue', 'worker'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** Reads the list's filters from the query string; unknown values simply match nothing. */
export function readFilters(query: Record<string, unknown>): Partial<Record<FilterKey, string>> {
  const filters: Partial<Record<FilterKey, string>> = {};
  for (const key of FILTER_KEYS) {
    const value = query[key];
    if (typeof value === 'string' && value !== '') filters[key] = value.slice(0, 200);
  }
  return filters;
}

export async function renderFindingsPage(
  sources: FindingSources,
  filters: Partial<Record<FilterKey, string>>,
): Promise<string> {
  const now = sources.now();
  const all = await sources.store.list({ limit: 2000 });
  const filter: FindingFilter = { ...filters, status: filters.status as FindingFilter['status'], limit: 500 };
  const shown = (await sources.store.list(filter)).sort(compareFindingsForReading);
  const choices = {
    type: [...FINDING_TYPES],
    status: ['open', 'resolved'],
    service: distinct(all, (f) => f.subject.service),
    queue: distinct(all, (f) => f.subject.queue),
    worker: distinct(all, (f) => f.subject.worker),
  };
  const open = all.filter((f) => f.status === 'open').length;
  const body = html`
<h1>Findings</h1>
<p class="muted">${open} open, ${all.length - open} resolved. Most severe first, then most recently seen.</p>
<form class="filters" method="get" action="/">
${FILTER_KEYS.map((key) => renderSelect(key, choices[key], filters[key]))}
<button type="submit">Apply</button> <a href="/">Clear</a>
</form>
${shown.length === 0 ? html`<p id="no-findings">No findings match.</p>` : renderTable(shown, now)}`;
  return renderLayout('Findings', 'findings', body);
}

function renderSelect(name: string, values: string[], selected: string | undefined): SafeHtml {
  const options = [...new Set([...(selected ? [selected] : []), ...values])];
  return html`<label>${name}<select name="${name}">
<option value="">all</option>
${options.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${v}</option>`)}
</select></label>`;
}

function renderTable(findings: Finding[], now: number): SafeHtml {
  return html`<table id="findings">
<thead><tr><th>type</th><th>severity</th><th>status</th><th>subject</th><th>summary</th><th>last seen</th></tr></thead>
<tbody>
${findings.map((f) => renderRow(f, now))}
</tbody></table>`;
}

function renderRow(f: Finding, now: number): SafeHtml {
  const incident = describeIncidentState(f, now);
  return html`<tr data-type="${f.type}" data-status="${f.status}" data-state="${incident.state}">
<td><a href="/findings/${encodeURIComponent(f.id)}">${f.type}</a></td>
<td class="sev-${f.severity}">${f.severity}</td>
<td class="incident-${incident.state}">${incident.text}</td>
<td>${describeSubject(f)}</td>
<td>${f.summary}</td>
<td>${formatAge(f.lastSeen, now)}</td>
</tr>`;
}

export function describeSubject(finding: Finding): string {
  const s = finding.subject;
  return [
    s.service,
    s.queue && `queue ${s.queue}`,
    s.jobName && `job ${s.jobName}`,
    s.jobId && `#${s.jobId}`,
    s.worker && `worker ${s.worker}`,
    s.host && `host ${s.host}`,
    s.pid !== undefined && `pid ${s.pid}`,
    s.monitor && `monitor ${s.monitor}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

function distinct(findings: Finding[], pick: (f: Finding) => string | undefined): string[] {
  const values = new Set<string>();
  for (const f of findings) {
    const v = pick(f);
    if (v) values.add(v);
  }
  return [...values].sort();
}
