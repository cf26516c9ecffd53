/**
 * The page's style and its one script, served as files: the Content-Security-Policy
 * (`api/security-headers.ts`) allows no inline script or style, so that markup a job name smuggles
 * past the escaping still cannot run.
 */

export const PAGE_STYLE_PATH = '/assets/joblens.css';
export const PAGE_SCRIPT_PATH = '/assets/joblens.js';

export const PAGE_STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
body { margin: 0; }
header { background: #1d2330; color: #fff; padding: 10px 20px; display: flex; gap: 24px; align-items: baseline; }
header a { color: #cfd6e4; text-decoration: none; } header a.current { color: #fff; font-weight: 600; }
header .brand { font-weight: 700; color: #fff; }
main { padding: 16px 20px; max-width: 1200px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6eb; vertical-align: top; font-size: 14px; }
th { background: #eef0f4; font-weight: 600; }
.muted { color: #6b7280; }
.sev-critical { color: #b91c1c; font-weight: 600; } .sev-warning { color: #b45309; font-weight: 600; } .sev-info { color: #1d4ed8; }
.status-open { color: #b91c1c; } .status-resolved { color: #15803d; }
.state-down, .state-grace { color: #b91c1c; font-weight: 600; } .state-up { color: #15803d; } .state-running { color: #1d4ed8; }
form.filters { display: flex; gap: 10px; flex-wrap: wrap; margin-bottom: 12px; align-items: end; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: #4b5563; }
code { background: #eef0f4; padding: 1px 4px; border-radius: 3px; }
section { margin-bottom: 20px; }
svg.timeline { background: #fff; border: 1px solid #e3e6eb; }
svg .lane { fill: #fafbfc; stroke: #e3e6eb; } svg .lane-label { font-size: 11px; font-weight: 600; fill: #1d2330; }
svg .lane-error { font-size: 11px; fill: #b91c1c; } svg .axis { font-size: 10px; fill: #6b7280; text-anchor: middle; }
svg .tick { stroke: #eef0f4; } svg .attempt { fill: #93c5fd; } svg .attempt.failed { fill: #fca5a5; } svg .attempt.live { fill: #fde68a; }
svg .attempt.summarized { fill: #d1d5db; }
.worker-ok { color: #15803d; } .worker-stopped { color: #6b7280; } .worker-problem { color: #b91c1c; font-weight: 600; }
ol.stack { font-size: 13px; padding-left: 28px; } ol.stack li { margin: 2px 0; }
pre.error-message { white-space: pre-wrap; background: #fff; border: 1px solid #e3e6eb; padding: 8px; font-size: 13px; }
svg .step rect { fill: #3b82f6; } svg .step.failed rect { fill: #dc2626; } svg .step.live rect { fill: #f59e0b; }
svg .step-label { font-size: 10px; fill: #fff; pointer-events: none; }
svg .gap { fill: rgba(220, 38, 38, 0.18); stroke: #dc2626; stroke-dasharray: 4 2; }
svg .hang { fill: rgba(245, 158, 11, 0.22); stroke: #d97706; stroke-dasharray: 4 2; }
svg .event line { stroke: #111827; stroke-width: 1.5; }
.incident-open { color: #b91c1c; font-weight: 600; } .incident-acknowledged { color: #1d4ed8; font-weight: 600; }
.incident-snoozed { color: #6b7280; font-weight: 600; } .incident-resolved { color: #15803d; }
.incident-actions { display: flex; gap: 16px; flex-wrap: wrap; align-items: end; }
form.incident-action label { display: flex; flex-direction: column; font-size: 12px; color: #4b5563; }
.incident-error { color: #b91c1c; flex-basis: 100%; }
.outcome-completed { color: #15803d; } .outcome-retry_scheduled { color: #b45309; }
.outcome-failed, .outcome-exhausted, .outcome-stalled { color: #b91c1c; font-weight: 600; }
`;

/**
 * Submits the findings filters as soon as a select changes (the Apply button does it without script).
 * Sends the finding page's acknowledge and snooze forms to the API as JSON (the API takes no form
 * encoding for a change), remembering the name typed in this browser, and reloads to show the new state.
 */
export const PAGE_SCRIPT = `document.querySelectorAll('form.filters select').forEach((select) => {
  select.addEventListener('change', () => select.form.submit());
});
function joblensName(value) {
  try {
    if (value !== undefined) localStorage.setItem('joblens.by', value);
    return localStorage.getItem('joblens.by') || '';
  } catch (error) {
    return value || '';
  }
}
document.querySelectorAll('form.incident-action').forEach((form) => {
  const by = form.querySelector('input[name="by"]');
  if (by && !by.value) by.value = joblensName();
  // The page reloads itself every few seconds: keep the name as it is typed, so a reload restores it.
  if (by) by.addEventListener('input', () => joblensName(by.value.trim()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {};
    // A snooze is recorded with the name typed in the acknowledge form, else the one remembered.
    const typed = document.querySelector('form.incident-action input[name="by"]');
    const name = (typed && typed.value.trim()) || joblensName();
    if (name) body.by = joblensName(name);
    const hours = form.querySelector('select[name="hours"]');
    if (hours) body.until = new Date(Date.now() + Number(hours.value) * 3600000).toISOString();
    const shown = form.parentElement.querySelector('.incident-error');
    try {
      const response = await fetch(form.dataset.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      if (response.ok) {
        location.reload();
        return;
      }
      const answer = await response.json().catch(() => ({}));
      shown.textContent = answer.error || 'the analyzer answered ' + response.status;
    } catch (error) {
      shown.textContent = 'the analyzer could not be reached';
    }
    shown.hidden = false;
  });
});
`;
