import { JOB_OUTCOMES } from '@joblens/semconv';
import { jobSearchQuery } from '../api/read-job-search.js';
import type { JobPage, JobSearch, JobSummary } from '../history/history-store.js';
import { formatAge, formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { jobHref } from './job-href.js';
import { renderLayout } from './layout.js';

const TEXT_FILTERS = [
  ['queue', 'queue'],
  ['name', 'job name'],
  ['id', 'job id'],
  ['worker', 'worker'],
  ['error', 'error contains'],
  ['from', 'ended from'],
  ['to', 'ended before'],
] as const;
/** Longest error text a row quotes; the job page has the rest. */
const ERROR_CHARS = 120;
/** A list a person is reading, maybe filling in the form: reloading it every 10 s would be a nuisance. */
const REFRESH_SECONDS = 60;

export type JobsResult = { search: JobSearch; page: JobPage } | { error: string };

/**
 * `/jobs`: the filters of `GET /api/jobs` as a form, the matching jobs newest first, and a link to the
 * next page. `query` is the request's, shown back in the form as typed.
 */
export function renderJobsPage(query: Record<string, unknown>, result: JobsResult, now: number): string {
  const typed = (name: string) =>
    typeof query[name] === 'string' ? (query[name] as string).slice(0, 500) : '';
  const body = html`
<h1>Jobs</h1>
<p class="muted">Every stored job, by the end of its latest attempt, newest first. Filters match the latest attempt; times are ISO-8601 (UTC) or Unix ms.</p>
<form class="filters" method="get" action="/jobs">
${TEXT_FILTERS.map(([name, label]) => html`<label>${label}<input type="text" name="${name}" value="${typed(name)}"></label>`)}
<label>outcome<select name="outcome"><option value="">all</option>${JOB_OUTCOMES.map(
    (o) => html`<option value="${o}"${typed('outcome') === o ? html` selected` : ''}>${o}</option>`,
  )}</select></label>
<button type="submit">Search</button> <a href="/jobs">Clear</a>
</form>
${'error' in result ? html`<p id="search-error" class="incident-error">${result.error}</p>` : renderResult(result.search, result.page, now)}`;
  return renderLayout('Jobs', 'jobs', body, REFRESH_SECONDS);
}

function renderResult(search: JobSearch, page: JobPage, now: number): SafeHtml {
  if (page.jobs.length === 0) return html`<p id="no-jobs">No stored job matches.</p>`;
  return html`<table id="jobs">
<thead><tr><th>job</th><th>id</th><th>service</th><th>queue</th><th>attempts</th><th>outcome</th><th>worker</th><th>ended</th><th>error</th></tr></thead>
<tbody>${page.jobs.map((job) => renderRow(job, now))}</tbody></table>
${page.nextCursor ? html`<p><a id="next-page" href="/jobs?${jobSearchQuery(search, page.nextCursor)}">Next page →</a></p>` : ''}`;
}

function renderRow(job: JobSummary, now: number): SafeHtml {
  const error = [job.lastErrorType, job.lastErrorMessage].filter(Boolean).join(': ');
  return html`<tr data-outcome="${job.lastOutcome}">
<td><a href="${jobHref(job)}">${job.jobName}</a></td>
<td><code>${job.jobId}</code></td>
<td>${job.service}</td>
<td>${job.queue}</td>
<td>${job.attempts}</td>
<td class="outcome-${job.lastOutcome}">${job.lastOutcome}</td>
<td>${job.lastWorker}</td>
<td title="${formatTime(job.lastEndMs)}">${formatAge(job.lastEndMs, now)}</td>
<td>${error.length > ERROR_CHARS ? `${error.slice(0, ERROR_CHARS)}…` : error}</td>
</tr>`;
}
