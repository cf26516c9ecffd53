import { parseStackFrame } from '../detectors/blocking-frame.js';
import { evidenceStackOf } from '../findings/evidence-stack.js';
import type { Finding } from '../findings/finding.js';
import { html, type SafeHtml } from './html.js';

/** The blocked loop's stack, innermost frame first; frames of dependencies and of Node are greyed. */
export function renderBlockedStack(finding: Finding): SafeHtml {
  const stack = evidenceStackOf(finding.evidence);
  if (stack === undefined) return html``;
  return html`<h3>Stack of the blocked loop</h3><ol class="stack">${stack.map((frame) =>
    parseStackFrame(frame)?.library
      ? html`<li class="library muted"><code>${frame}</code></li>`
      : html`<li><code>${frame}</code></li>`,
  )}</ol>`;
}
