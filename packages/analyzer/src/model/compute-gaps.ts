import type { GapView, MarkView, StepView } from './analyzer-view.js';

/**
 * The silent intervals of a finished attempt, longest first: stretches inside [startMs, endMs] covered by
 * no step and holding no mark. Nested steps need no special care: an interval inside a covering step is
 * never silent. `steps` must be sorted by start and `marks` by time (as the model keeps them): they are
 * walked together, steps first among equal times, rather than copied into one sorted list, since this
 * runs once for every finished attempt.
 */
export function computeGaps(
  startMs: number,
  endMs: number,
  steps: readonly StepView[],
  marks: readonly MarkView[],
): GapView[] {
  const gaps: GapView[] = [];
  let cursor = startMs;
  let after = 'start';
  let s = 0;
  let m = 0;
  while (s < steps.length || m < marks.length) {
    let activityStart: number;
    let activityEnd: number;
    let label: string;
    if (m >= marks.length || (s < steps.length && steps[s].startMs <= marks[m].timeMs)) {
      const step = steps[s++];
      activityStart = step.startMs;
      activityEnd = step.endMs;
      label = step.name;
    } else {
      const mark = marks[m++];
      activityStart = mark.timeMs;
      activityEnd = mark.timeMs;
      label = mark.name;
    }
    if (activityStart > cursor) pushGap(gaps, cursor, activityStart, endMs, after, label);
    if (activityEnd >= cursor) {
      cursor = Math.max(cursor, activityEnd);
      after = label;
    }
  }
  pushGap(gaps, cursor, endMs, endMs, after, 'end');
  if (gaps.length > 1) gaps.sort((a, b) => b.seconds - a.seconds);
  return gaps;
}

function pushGap(
  gaps: GapView[],
  from: number,
  to: number,
  endMs: number,
  after: string,
  before: string,
): void {
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
}

/**
 * `computeGaps(...)[0]?.seconds ?? 0` without building the gaps: the per-attempt metrics and mystery_gap's
 * first look need only the longest, for every finished attempt, and holding each attempt's gap objects
 * cost memory and collector time. Marks for which `isActivity` is false are skipped (lifecycle events).
 */
export function longestGapSeconds(
  startMs: number,
  endMs: number,
  steps: readonly StepView[],
  marks: readonly MarkView[],
  isActivity: (mark: MarkView) => boolean,
): number {
  let longest = 0;
  let cursor = startMs;
  let s = 0;
  let m = 0;
  while (m < marks.length && !isActivity(marks[m])) m++;
  while (s < steps.length || m < marks.length) {
    let activityStart: number;
    let activityEnd: number;
    if (m >= marks.length || (s < steps.length && steps[s].startMs <= marks[m].timeMs)) {
      activityStart = steps[s].startMs;
      activityEnd = steps[s].endMs;
      s++;
    } else {
      activityStart = marks[m].timeMs;
      activityEnd = activityStart;
      m++;
      while (m < marks.length && !isActivity(marks[m])) m++;
    }
    if (activityStart > cursor) {
      const clippedTo = Math.min(activityStart, endMs);
      if (clippedTo > cursor) longest = Math.max(longest, (clippedTo - cursor) / 1000);
    }
    if (activityEnd >= cursor) cursor = Math.max(cursor, activityEnd);
  }
  if (endMs > cursor) longest = Math.max(longest, (endMs - cursor) / 1000);
  return longest;
}

/**
 * Where the longest gap is (`after->before`, as `computeGaps(...)[0].location`), undefined when there is
 * none; without building the gaps, as the job history asks it of every finished attempt.
 */
export function longestGapLocation(
  startMs: number,
  endMs: number,
  steps: readonly StepView[],
  marks: readonly MarkView[],
  isActivity: (mark: MarkView) => boolean,
): string | undefined {
  let longest = 0;
  let longestAfter = '';
  let longestBefore = '';
  let cursor = startMs;
  let after = 'start';
  let s = 0;
  let m = 0;
  while (m < marks.length && !isActivity(marks[m])) m++;
  while (s < steps.length || m < marks.length) {
    let activityStart: number;
    let activityEnd: number;
    let label: string;
    if (m >= marks.length || (s < steps.length && steps[s].startMs <= marks[m].timeMs)) {
      activityStart = steps[s].startMs;
      activityEnd = steps[s].endMs;
      label = steps[s].name;
      s++;
    } else {
      activityStart = marks[m].timeMs;
      activityEnd = activityStart;
      label = marks[m].name;
      m++;
      while (m < marks.length && !isActivity(marks[m])) m++;
    }
    if (activityStart > cursor) {
      const seconds = (Math.min(activityStart, endMs) - cursor) / 1000;
      // Strictly longer: among equal gaps the first wins, as computeGaps' stable sort has it.
      if (seconds > longest) {
        longest = seconds;
        longestAfter = after;
        longestBefore = label;
      }
    }
    if (activityEnd >= cursor) {
      cursor = Math.max(cursor, activityEnd);
      after = label;
    }
  }
  if ((endMs - cursor) / 1000 > longest) {
    longest = (endMs - cursor) / 1000;
    longestAfter = after;
    longestBefore = 'end';
  }
  return longest > 0 ? `${longestAfter}->${longestBefore}` : undefined;
}
