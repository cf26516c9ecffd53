import type { WaitingEvidence } from '../detectors/waiting-evidence.js';
import type { Finding } from '../findings/finding.js';
import { html, type SafeHtml } from './html.js';

/** The waiting evidence a silent_job finding carries, if any (findings stored by older versions have none). */
function waitingEvidenceOf(finding: Finding): WaitingEvidence | undefined {
  const waiting = finding.evidence.detail?.waiting as WaitingEvidence | undefined;
  return waiting && typeof waiting === 'object' && Array.isArray(waiting.calls) ? waiting : undefined;
}

/** What the silent job waits on: its open calls, longest first, and the process's sockets and timers. */
export function renderWaitingSection(finding: Finding): SafeHtml {
  const waiting = waitingEvidenceOf(finding);
  if (!waiting) return html``;
  const calls =
    waiting.calls.length === 0
      ? html`<p class="muted">No open HTTP call: the job waits on something else (a lock, a timer, a client the SDK does not follow).</p>`
      : html`<table class="waiting-calls"><thead><tr><th>call</th><th>open (s)</th></tr></thead><tbody>${waiting.calls.map(
          (c) => html`<tr><td><code>${c.call}</code></td><td>${c.openSeconds ?? '–'}</td></tr>`,
        )}</tbody></table>${
          waiting.count > waiting.calls.length
            ? html`<p class="muted">and ${waiting.count - waiting.calls.length} more open call(s)</p>`
            : ''
        }`;
  const peers =
    waiting.socketPeers.length === 0
      ? ''
      : html`<p>Sockets to ${waiting.socketPeers.map(
          (p, i) =>
            html`${i > 0 ? ', ' : ''}<code>${p.address}</code>${p.sockets === undefined ? '' : ` (${p.sockets})`}`,
        )}${waiting.sockets === undefined ? '' : html` · ${waiting.sockets} socket(s) in all`}${
          waiting.timers === undefined ? '' : html` · ${waiting.timers} timer(s)`
        }</p>`;
  return html`<section id="waiting-on"><h2>Waiting on</h2>${calls}${peers}</section>`;
}
