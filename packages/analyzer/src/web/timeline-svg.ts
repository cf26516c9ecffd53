import { redactText } from '@joblens/otlp-receiver';
import type { TimelineAttempt, TimelineData } from '../findings/timeline-data.js';
import { formatSeconds } from './format.js';
import { escapeHtml, html, type SafeHtml, trusted } from './html.js';
import { chooseTimelineRows } from './timeline-rows.js';

const WIDTH = 960;
// Wide enough for `attempt 100 · retry_scheduled` at the label's 11 px; longer labels are cut to fit.
const LABEL_WIDTH = 220;
const LABEL_CHARS = 32;
const LANE_HEADER = 22;
const ROW = 18;
const AXIS = 28;
const SUMMARY_HEIGHT = 36;
/** A step narrower than this keeps its name in its tooltip: written on it, the name ran over its neighbours. */
const MIN_LABELLED_STEP_WIDTH = 24;
/** Longest error message the tooltip quotes. */
const MAX_MESSAGE_CHARS = 300;

/**
 * Draws a job's attempts as SVG: attempts stacked top to bottom, steps as bars, events as ticks, gaps
 * hatched red, a live hang in orange up to `now`. A job with many attempts shows its first and last ones
 * and a line summarizing those between (`chooseTimelineRows`). Every label is escaped: they come from
 * telemetry.
 */
export function renderTimelineSvg(data: TimelineData, now: number): SafeHtml {
  const attempts = data.attempts;
  if (attempts.length === 0) return html`<p class="muted">No spans of this job have arrived (yet).</p>`;
  const start = Math.min(...attempts.map((a) => a.startMs));
  const end = Math.max(...attempts.map((a) => a.endMs ?? now), start + 1);
  const scale = (WIDTH - LABEL_WIDTH - 20) / (end - start);
  const x = (ms: number) => LABEL_WIDTH + (ms - start) * scale;

  let y = AXIS;
  const lanes: string[] = [];
  for (const row of chooseTimelineRows(attempts)) {
    if (row.kind === 'summary') {
      lanes.push(renderSummary(row.attempts, row.text, y, x, now).value);
      y += SUMMARY_HEIGHT;
      continue;
    }
    const laneHeight = LANE_HEADER + Math.max(1, maxDepthRows(row.attempt)) * ROW + 8;
    lanes.push(renderLane(row.attempt, y, laneHeight, x, now).value);
    y += laneHeight;
  }
  const height = y + 4;
  const ticks = axisTicks(start, end)
    .map(
      (t) =>
        `<line x1="${x(t).toFixed(1)}" y1="${AXIS - 6}" x2="${x(t).toFixed(1)}" y2="${height}" class="tick"/>` +
        `<text x="${x(t).toFixed(1)}" y="${AXIS - 10}" class="axis">+${escapeHtml(formatSeconds((t - start) / 1000))}</text>`,
    )
    .join('');
  return trusted(
    `<svg class="timeline" role="img" aria-label="${escapeHtml(`Timeline of ${data.title}`)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
      `<title>${escapeHtml(`Timeline of ${data.title}`)}</title>${ticks}${lanes.join('')}</svg>`,
  );
}

function renderLane(
  attempt: TimelineAttempt,
  top: number,
  height: number,
  x: (ms: number) => number,
  now: number,
): SafeHtml {
  const end = attempt.endMs ?? now;
  const failed = attempt.outcome !== undefined && attempt.outcome !== 'completed';
  const parts: string[] = [];
  parts.push(`<rect x="0" y="${top}" width="${WIDTH}" height="${height - 4}" class="lane"/>`);
  const label = `attempt ${attempt.attempt}${attempt.outcome ? ` · ${attempt.outcome}` : ' · running'}`;
  parts.push(
    `<text x="6" y="${top + 15}" class="lane-label">${escapeHtml(truncate(label, LABEL_CHARS))}</text>`,
  );
  if (attempt.errorType) {
    parts.push(
      `<text x="6" y="${top + 30}" class="lane-error">${escapeHtml(truncate(attempt.errorType, LABEL_CHARS))}</text>`,
    );
  }
  const barClass = failed ? 'attempt failed' : attempt.endMs === undefined ? 'attempt live' : 'attempt';
  parts.push(
    `<rect x="${x(attempt.startMs).toFixed(1)}" y="${top + 4}" width="${Math.max(2, x(end) - x(attempt.startMs)).toFixed(1)}" height="12" class="${barClass}"><title>${escapeHtml(`${label}: ${formatSeconds((end - attempt.startMs) / 1000)}${attempt.errorMessage ? ` — ${truncate(redactText(attempt.errorMessage), MAX_MESSAGE_CHARS)}` : ''}`)}</title></rect>`,
  );
  for (const gap of attempt.gaps) {
    const w = Math.max(2, x(gap.endMs) - x(gap.startMs));
    const where = `${gap.after ?? 'start'} → ${gap.before ?? 'end'}`;
    parts.push(
      `<rect x="${x(gap.startMs).toFixed(1)}" y="${top + LANE_HEADER - 2}" width="${w.toFixed(1)}" height="${height - LANE_HEADER - 4}" class="gap"><title>${escapeHtml(`silent for ${formatSeconds((gap.endMs - gap.startMs) / 1000)} between ${where}`)}</title></rect>`,
    );
  }
  if (attempt.hang) {
    const w = Math.max(2, x(end) - x(attempt.hang.sinceMs));
    parts.push(
      `<rect x="${x(attempt.hang.sinceMs).toFixed(1)}" y="${top + LANE_HEADER - 2}" width="${w.toFixed(1)}" height="${height - LANE_HEADER - 4}" class="hang"><title>${escapeHtml(`no activity for ${formatSeconds((end - attempt.hang.sinceMs) / 1000)}${attempt.hang.step ? ` in step ${attempt.hang.step}` : ''}`)}</title></rect>`,
    );
  }
  for (const step of attempt.steps) {
    const rowY = top + LANE_HEADER + (step.depth ?? 0) * ROW;
    const stepEnd = step.endMs ?? end;
    const w = Math.max(2, x(stepEnd) - x(step.startMs));
    const cls = step.failed ? 'step failed' : step.endMs === undefined ? 'step live' : 'step';
    const name =
      w < MIN_LABELLED_STEP_WIDTH
        ? ''
        : `<text x="${(x(step.startMs) + 3).toFixed(1)}" y="${rowY + 11}" class="step-label">${escapeHtml(truncate(step.name, Math.floor((w - 4) / 6.5)))}</text>`;
    parts.push(
      `<g class="${cls}"><rect x="${x(step.startMs).toFixed(1)}" y="${rowY}" width="${w.toFixed(1)}" height="${ROW - 4}"><title>${escapeHtml(`${step.name}: ${formatSeconds((stepEnd - step.startMs) / 1000)}`)}</title></rect>${name}</g>`,
    );
  }
  for (const mark of attempt.events) {
    parts.push(
      `<g class="event"><line x1="${x(mark.timeMs).toFixed(1)}" y1="${top + 2}" x2="${x(mark.timeMs).toFixed(1)}" y2="${top + height - 6}"/><title>${escapeHtml(mark.name)}</title></g>`,
    );
  }
  return trusted(parts.join(''));
}

/** The line standing for the attempts not drawn: what they came to, and a bar over the time they took. */
function renderSummary(
  attempts: readonly TimelineAttempt[],
  text: string,
  top: number,
  x: (ms: number) => number,
  now: number,
): SafeHtml {
  const from = Math.min(...attempts.map((a) => a.startMs));
  const to = Math.max(...attempts.map((a) => a.endMs ?? now));
  const w = Math.max(2, x(to) - x(from));
  return trusted(
    `<g class="attempts-summary"><rect x="0" y="${top}" width="${WIDTH}" height="${SUMMARY_HEIGHT - 4}" class="lane"/>` +
      `<text x="6" y="${top + 13}" class="lane-label">${escapeHtml(text)}</text>` +
      `<rect x="${x(from).toFixed(1)}" y="${top + 19}" width="${w.toFixed(1)}" height="8" class="attempt summarized"><title>${escapeHtml(text)}</title></rect></g>`,
  );
}

function maxDepthRows(attempt: TimelineAttempt): number {
  return attempt.steps.reduce((max, s) => Math.max(max, (s.depth ?? 0) + 1), 0);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function axisTicks(start: number, end: number): number[] {
  const span = end - start;
  const steps = [
    100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000,
    3_600_000,
  ];
  const step = steps.find((s) => span / s <= 8) ?? span / 8;
  const ticks: number[] = [];
  for (let t = start; t <= end + 1; t += step) ticks.push(t);
  return ticks;
}
