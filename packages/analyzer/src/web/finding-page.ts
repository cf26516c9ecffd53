import { redactText } from '@joblens/otlp-receiver';
import type { Finding, FindingTransition } from '../findings/finding.js';
import type { FindingSources } from '../findings/finding-sources.js';
import type { TimelineAttempt, TimelineData } from '../findings/timeline-data.js';
import { renderBlockedStack } from './blocked-stack.js';
import { describeSubject } from './findings-page.js';
import { formatAge, formatTime } from './format.js';
import { html, type SafeHtml, safeHref } from './html.js';
import { describeIncidentState, renderIncidentSection } from './incident-section.js';
import { renderLayout } from './layout.js';
import { renderTimelineSvg } from './timeline-svg.js';
import { renderWaitingSection } from './waiting-section.js';

export async function renderFindingPage(sources: FindingSources, finding: Finding): Promise<string> {
  const now = sources.now();
  const transitions = await sources.store.transitions(finding.id);
  const timeline = sources.timelineFor(finding);
  const incident = describeIncidentState(finding, now);
  const body = html`
<p><a href="/">← all findings</a></p>
<h1><code>${finding.type}</code> <span class="sev-${finding.severity}">${finding.severity}</span> <span class="incident-${incident.state}">${incident.text}</span></h1>
<p id="summary">${finding.summary}</p>
<p id="next-step"><strong>Next step:</strong> ${renderNextStep(finding.nextStep, sources.jaegerUrl, timeline !== undefined)}</p>
${renderIncidentSection(finding, now)}
${renderFailingAttempt(timeline)}
<section><h2>Subject</h2><p>${describeSubject(finding)}</p>
<p class="muted">first seen ${formatTime(finding.firstSeen)} · last seen ${formatAge(finding.lastSeen, now)}${finding.resolvedAt ? html` · resolved ${formatTime(finding.resolvedAt)}` : ''} · id <code>${finding.id}</code> · <a href="/api/findings/${encodeURIComponent(finding.id)}/context">explain (Markdown)</a></p></section>
<section><h2>Evidence</h2>${renderFigures(finding)}${renderBlockedStack(finding)}${renderTraces(finding, sources.jaegerUrl)}</section>
${renderWaitingSection(finding)}
<section id="timeline"><h2>Job timeline</h2>${timeline ? renderTimelineSvg(timeline, now) : html`<p class="muted">No job timeline for this finding.</p>`}</section>
<section><h2>Transitions</h2>${renderTransitions(transitions)}</section>`;
  return renderLayout(`${finding.type} ${finding.id}`, 'findings', body);
}

/** Longest error message the page quotes; the rest is in the trace. */
const MAX_MESSAGE_CHARS = 2000;
const TRACE_ID = /\b[0-9a-f]{32}\b/g;

/**
 * The next step, its trace ids made links: to Jaeger when configured, else to the job timeline on this
 * page, which draws the same attempts (a bare trace id is no use without a viewer to open it in).
 */
function renderNextStep(text: string, jaegerUrl: string | undefined, hasTimeline: boolean): SafeHtml {
  if (!jaegerUrl && !hasTimeline) return html`${text}`;
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(TRACE_ID)) {
    const traceId = match[0];
    const href = jaegerUrl
      ? safeHref(`${jaegerUrl.replace(/\/$/, '')}/trace/${encodeURIComponent(traceId)}`)
      : '#timeline';
    const title = jaegerUrl ? 'open in Jaeger' : 'drawn in the job timeline below';
    parts.push(
      html`${text.slice(last, match.index)}<a href="${href}" title="${title}"><code>${traceId}</code></a>`,
    );
    last = match.index + traceId.length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

/** The newest attempt that failed, with its error type and (redacted) message: the type alone rarely says why. */
function renderFailingAttempt(timeline: TimelineData | undefined): SafeHtml {
  const failed = timeline?.attempts.findLast(
    (a: TimelineAttempt) =>
      a.outcome !== undefined && a.outcome !== 'completed' && (a.errorType || a.errorMessage),
  );
  if (!failed) return html``;
  const message = failed.errorMessage ? redactText(failed.errorMessage) : undefined;
  return html`<section id="failing-attempt"><h2>Failing attempt</h2>
<p>Attempt ${failed.attempt} (${failed.outcome}${failed.host ? ` on ${failed.host}` : ''}): <code>${failed.errorType ?? 'error'}</code></p>
${message ? html`<pre class="error-message">${message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message}</pre>` : html`<p class="muted">No error message was recorded.</p>`}</section>`;
}

function renderFigures(finding: Finding): SafeHtml {
  const entries = Object.entries(finding.evidence.figures);
  if (entries.length === 0) return html``;
  return html`<table class="figures"><tbody>${entries.map(
    ([k, v]) =>
      html`<tr><th>${k}</th><td>${typeof v === 'number' ? Number(v.toFixed(3)) : String(v)}</td></tr>`,
  )}</tbody></table>`;
}

function renderTraces(finding: Finding, jaegerUrl: string | undefined): SafeHtml {
  const traces = finding.evidence.traces;
  if (traces.length === 0) return html``;
  return html`<h3>Traces</h3><ul class="traces">${traces.map((t) => {
    const ids = html`<code>${t.traceId}</code>${t.spanId ? html` span <code>${t.spanId}</code>` : ''}`;
    if (!jaegerUrl) return html`<li>${t.label}: ${ids}</li>`;
    const href = safeHref(
      `${jaegerUrl.replace(/\/$/, '')}/trace/${encodeURIComponent(t.traceId)}${t.spanId ? `?uiFind=${encodeURIComponent(t.spanId)}` : ''}`,
    );
    return html`<li>${t.label}: <a href="${href}" target="_blank" rel="noopener">${ids} in Jaeger</a></li>`;
  })}</ul>`;
}

function renderTransitions(transitions: FindingTransition[]): SafeHtml {
  if (transitions.length === 0) return html`<p class="muted">None recorded.</p>`;
  return html`<table><thead><tr><th>at</th><th>from</th><th>to</th><th>summary</th></tr></thead><tbody>${transitions.map(
    (t) =>
      html`<tr><td>${formatTime(t.at)}</td><td>${t.from ?? '–'}</td><td class="status-${t.to}">${t.event ?? t.to}</td><td>${t.summary}</td></tr>`,
  )}</tbody></table>`;
}
