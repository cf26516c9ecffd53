import type { Finding } from '../findings/finding.js';
import { type IncidentState, incidentState } from '../findings/incident-state.js';
import { formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';

/** Snooze lengths the page offers; the API and the CLI take any time. */
const SNOOZE_HOURS = [1, 4, 8, 24] as const;

/** `acknowledged by alice`, `snoozed until 2026-03-02 12:00:00Z`, `open`, `resolved`: for the list and the page. */
export function describeIncidentState(finding: Finding, now: number): { state: IncidentState; text: string } {
  const state = incidentState(finding, now);
  if (state === 'acknowledged') return { state, text: `acknowledged by ${finding.acknowledgedBy}` };
  if (state === 'snoozed') return { state, text: `snoozed until ${formatTime(finding.snoozedUntil)}` };
  return { state, text: state };
}

/**
 * Who has the finding, and, while it is open, the forms that acknowledge or snooze it. The page's own
 * script (page-assets.ts) sends them as JSON to the API: the Content-Security-Policy allows no inline
 * script, and the API takes only JSON bodies for a change.
 */
export function renderIncidentSection(finding: Finding, now: number): SafeHtml {
  const { state, text } = describeIncidentState(finding, now);
  const id = encodeURIComponent(finding.id);
  const facts = [
    finding.acknowledgedBy !== undefined &&
      html`<li>acknowledged by <strong>${finding.acknowledgedBy}</strong> at ${formatTime(finding.acknowledgedAt)}</li>`,
    state === 'snoozed' &&
      html`<li>snoozed until ${formatTime(finding.snoozedUntil)}: no reminders until then</li>`,
  ].filter((fact): fact is SafeHtml => fact !== false);
  const forms =
    finding.status !== 'open'
      ? html``
      : html`<div class="incident-actions">
${
  finding.acknowledgedBy === undefined
    ? html`<form class="incident-action" id="acknowledge" data-action="/api/findings/${id}/acknowledge">
<label>your name <input name="by" required maxlength="100" autocomplete="name"></label>
<button type="submit">Acknowledge</button></form>`
    : ''
}
<form class="incident-action" id="snooze" data-action="/api/findings/${id}/snooze">
<label>snooze for <select name="hours">${SNOOZE_HOURS.map((h) => html`<option value="${h}">${h} h</option>`)}</select></label>
<button type="submit">Snooze</button></form>
<p class="incident-error" role="alert" hidden></p>
</div>`;
  return html`<section id="incident"><h2>Incident</h2>
<p>State: <span class="incident-${state}" id="incident-state">${text}</span></p>
${facts.length ? html`<ul>${facts}</ul>` : ''}${forms}</section>`;
}
