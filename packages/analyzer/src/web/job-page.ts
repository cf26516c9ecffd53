import { redactText } from '@joblens/otlp-receiver';
import type { ApiJobDetail, JobFindingRef, LiveJobAttempt } from '../api/job-detail.js';
import type { TimelineAttempt, TimelineData } from '../findings/timeline-data.js';
import type { HistoryAttempt, JobKey } from '../history/history-store.js';
import { formatAge, formatSeconds, formatTime } from './format.js';
import { html, type SafeHtml, safeHref } from './html.js';
import { renderLayout } from './layout.js';
import { renderTimelineSvg } from './timeline-svg.js';

/** Attempts the table lists, the newest ones; the API has them all. */
const ATTEMPT_ROWS = 200;
/** Steps named in an attempt's row; the timeline draws them all. */
const STEPS_NAMED = 8;
const MESSAGE_CHARS = 500;

/**
 * `/jobs/:service/:queue/:jobId`: the job, its attempts across retries drawn on one time axis, each
 * attempt's worker, host, timing, outcome, error, steps and longest gap, its findings and its traces.
 */
export function renderJobPage(key: JobKey, detail: ApiJobDetail, now: number, jaegerUrl?: string): string {
  const job = detail.job;
  const name = job?.jobName ?? detail.attempts[0]?.jobName ?? '';
  // The history lists a job's newest attempts and counts them all.
  const finished = job?.attempts ?? detail.attempts.length;
  const body = html`
<p><a href="/jobs">← all jobs</a></p>
<h1>${name || 'job'} <code>${key.jobId}</code>${job ? html` <span class="outcome-${job.lastOutcome}">${job.lastOutcome}</span>` : html` <span class="state-running">running</span>`}</h1>
<p id="job-subject">${key.service} · queue ${key.queue} · ${finished} finished attempt${finished === 1 ? '' : 's'}${detail.live ? ' and one running' : ''}${job ? html` · first start ${formatTime(job.firstStartMs)} · last end ${formatAge(job.lastEndMs, now)}` : ''}</p>
${renderFindings(detail.findings)}
${detail.live ? renderLive(detail.live, jaegerUrl) : ''}
<section id="timeline"><h2>Timeline across retries</h2>${renderTimelineSvg(timelineOf(key, name, detail, now), now)}</section>
<section><h2>Attempts</h2>${renderAttempts(detail.attempts, finished, jaegerUrl)}</section>`;
  return renderLayout(`${name} ${key.jobId}`, 'jobs', body);
}

function renderFindings(findings: JobFindingRef[]): SafeHtml {
  if (findings.length === 0)
    return html`<section id="job-findings"><h2>Findings</h2><p class="muted">No finding names this job or its traces.</p></section>`;
  return html`<section id="job-findings"><h2>Findings</h2><ul>${findings.map(
    (f) =>
      html`<li><a href="/findings/${encodeURIComponent(f.id)}"><code>${f.type}</code></a> <span class="sev-${f.severity}">${f.severity}</span> <span class="incident-${f.state}">${f.state}</span>: ${f.summary}</li>`,
  )}</ul></section>`;
}

function renderLive(live: LiveJobAttempt, jaegerUrl: string | undefined): SafeHtml {
  return html`<section id="live-attempt"><h2>Running now</h2>
<p>Attempt ${live.attempt} on <code>${live.worker}</code> (${live.host}) for ${formatSeconds(live.elapsedSeconds)}${live.currentStep ? html`, in <code>${live.currentStep}</code>` : ''}, silent for ${formatSeconds(live.silenceSeconds)} · trace ${renderTrace(live.traceId, live.spanId, jaegerUrl)}</p></section>`;
}

function renderAttempts(
  attempts: HistoryAttempt[],
  finished: number,
  jaegerUrl: string | undefined,
): SafeHtml {
  if (attempts.length === 0) return html`<p class="muted">No attempt has finished yet.</p>`;
  const shown = attempts.slice(-ATTEMPT_ROWS);
  return html`${shown.length < finished ? html`<p class="muted">The newest ${shown.length} of ${finished} attempts.</p>` : ''}<table id="attempts">
<thead><tr><th>#</th><th>worker</th><th>host</th><th>started</th><th>duration</th><th>outcome</th><th>error</th><th>steps</th><th>longest gap</th><th>trace</th></tr></thead>
<tbody>${shown.map(
    (a) => html`<tr data-attempt="${a.attempt}" data-outcome="${a.outcome}">
<td>${a.attempt}</td><td><code>${a.worker}</code></td><td>${a.host}</td><td>${formatTime(a.startMs)}</td>
<td>${formatSeconds((a.endMs - a.startMs) / 1000)}</td><td class="outcome-${a.outcome}">${a.outcome}</td>
<td>${renderError(a)}</td><td>${renderSteps(a)}</td>
<td>${a.longestGapSeconds > 0 ? html`${formatSeconds(a.longestGapSeconds)}${a.longestGapLocation ? html` <code>${a.longestGapLocation}</code>` : ''}` : '–'}</td>
<td>${renderTrace(a.traceId, a.spanId, jaegerUrl)}</td></tr>`,
  )}</tbody></table>`;
}

function renderError(a: HistoryAttempt): SafeHtml {
  if (!a.errorType && !a.errorMessage) return html`–`;
  const message = a.errorMessage ? redactText(a.errorMessage) : '';
  return html`<code>${a.errorType ?? 'error'}</code>${message ? html` ${message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)}…` : message}` : ''}`;
}

function renderSteps(a: HistoryAttempt): SafeHtml {
  if (a.steps.length === 0) return html`–`;
  const named = a.steps
    .slice(0, STEPS_NAMED)
    .map((s) => `${s.name} ${formatSeconds((s.endMs - s.startMs) / 1000)}`)
    .join(' · ');
  const more = a.steps.length - STEPS_NAMED;
  return html`${named}${more > 0 ? ` · and ${more} more` : ''}`;
}

/** A Jaeger link when Jaeger is configured; else the id to paste into whatever viewer holds the traces. */
function renderTrace(traceId: string, spanId: string, jaegerUrl: string | undefined): SafeHtml {
  if (!jaegerUrl) return html`<code>${traceId}</code>`;
  const href = safeHref(
    `${jaegerUrl.replace(/\/$/, '')}/trace/${encodeURIComponent(traceId)}?uiFind=${encodeURIComponent(spanId)}`,
  );
  return html`<a href="${href}" target="_blank" rel="noopener"><code>${traceId}</code> in Jaeger</a>`;
}

/** What the shared timeline draws: every finished attempt, then the running one. */
function timelineOf(key: JobKey, name: string, detail: ApiJobDetail, now: number): TimelineData {
  const attempts: TimelineAttempt[] = detail.attempts.map((a) => ({
    attempt: a.attempt,
    traceId: a.traceId,
    spanId: a.spanId,
    worker: a.worker,
    host: a.host,
    startMs: a.startMs,
    endMs: a.endMs,
    outcome: a.outcome,
    errorType: a.errorType,
    errorMessage: a.errorMessage,
    steps: a.steps.map((s) => ({ name: s.name, startMs: s.startMs, endMs: s.endMs })),
    events: [],
    gaps: [],
  }));
  const live = detail.live;
  if (live)
    attempts.push({
      attempt: live.attempt,
      traceId: live.traceId,
      spanId: live.spanId,
      worker: live.worker,
      host: live.host,
      startMs: live.startedMs,
      steps: live.steps.map((s) => ({ name: s.name, startMs: s.startMs, endMs: s.endMs })),
      events: [],
      gaps: [],
      hang: { sinceMs: now - live.silenceSeconds * 1000, step: live.currentStep },
    });
  return { title: `${name} ${key.jobId} on ${key.queue} (${key.service})`, attempts };
}
