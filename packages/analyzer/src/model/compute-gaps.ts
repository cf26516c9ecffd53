import type { GapView, MarkView, StepView } from './analyzer-view.js';

interface Activity {
  startMs: number;
  endMs: number;
  label: string;
}

/**
 * The silent intervals of a finished attempt, longest first: stretches inside [startMs, endMs] covered by
 * no step and holding no mark. Nested steps need no special care: an interval inside a covering step is
 * never silent.
 */
export function computeGaps(
  startMs: number,
  endMs: number,
  steps: readonly StepView[],
  marks: readonly MarkView[],
): GapView[] {
  const activities: Activity[] = [];
  for (const step of steps) activities.push({ startMs: step.startMs, endMs: step.endMs, label: step.name });
  for (const mark of marks) activities.push({ startMs: mark.timeMs, endMs: mark.timeMs, label: mark.name });
  activities.sort((a, b) => a.startMs - b.startMs);
  const gaps: GapView[] = [];
  let cursor = startMs;
  let after = 'start';
  const push = (from: number, to: number, before: string) => {
    const clippedTo = Math.min(to, endMs);
    if (clippedTo <= from) return;
    gaps.push({
      startMs: from,
      endMs: clippedTo,
      seconds: (clippedTo - from) / 1000,
      after,
      before,
      location: `${after}->${before}`,
    });
  };
  for (const activity of activities) {
    if (activity.startMs > cursor) push(cursor, activity.startMs, activity.label);
    if (activity.endMs >= cursor) {
      cursor = Math.max(cursor, activity.endMs);
      after = activity.label;
    }
  }
  push(cursor, endMs, 'end');
  gaps.sort((a, b) => b.seconds - a.seconds);
  return gaps;
}
