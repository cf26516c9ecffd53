import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GapView, MarkView, StepView } from '../../src/model/analyzer-view.js';
import { computeGaps, longestGapLocation, longestGapSeconds } from '../../src/model/compute-gaps.js';

/** The straightforward version: every activity in one list, sorted, walked once. */
function referenceGaps(startMs: number, endMs: number, steps: StepView[], marks: MarkView[]): GapView[] {
  const activities = [
    ...steps.map((s) => ({ startMs: s.startMs, endMs: s.endMs, label: s.name })),
    ...marks.map((m) => ({ startMs: m.timeMs, endMs: m.timeMs, label: m.name })),
  ].sort((a, b) => a.startMs - b.startMs);
  const gaps: GapView[] = [];
  let cursor = startMs;
  let after = 'start';
  const push = (from: number, to: number, before: string) => {
    const clippedTo = Math.min(to, endMs);
    if (clippedTo > from)
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
  return gaps.sort((a, b) => b.seconds - a.seconds);
}

const time = fc.integer({ min: 0, max: 100 });

/** Steps from generated (start, duration, name) tuples, sorted by start as an attempt holds them. */
function sortedSteps(tuples: [number, number, string][]): StepView[] {
  return tuples
    .map(([startMs, duration, name], i) => ({
      spanId: `s${i}`,
      name,
      startMs,
      endMs: startMs + duration,
      statusCode: 0,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

/** Event marks from generated (time, name) tuples, sorted by time. */
function sortedMarks(tuples: [number, string][]): MarkView[] {
  return tuples
    .map(([timeMs, name]) => ({ kind: 'event' as const, name, timeMs, attributes: {} }))
    .sort((a, b) => a.timeMs - b.timeMs);
}

describe('computeGaps', () => {
  it('finds the same gaps as sorting all steps and marks into one list', () => {
    const step = fc.tuple(time, fc.integer({ min: 0, max: 30 }), fc.constantFrom('a', 'b', 'c'));
    const mark = fc.tuple(time, fc.constantFrom('x', 'y'));
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 8 }),
        fc.array(mark, { maxLength: 6 }),
        time,
        (s, m, length) => {
          const steps = sortedSteps(s);
          const marks = sortedMarks(m);
          expect(computeGaps(10, 10 + length, steps, marks)).toEqual(
            referenceGaps(10, 10 + length, steps, marks),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the longest gap without building the gaps, skipping marks that do not break a silence', () => {
    const step = fc.tuple(time, fc.integer({ min: 0, max: 30 }), fc.constantFrom('a', 'b'));
    const mark = fc.tuple(time, fc.constantFrom('x', 'lifecycle'));
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 8 }),
        fc.array(mark, { maxLength: 6 }),
        time,
        (s, m, length) => {
          const steps = sortedSteps(s);
          const marks = sortedMarks(m);
          const breaks = (mark: MarkView) => mark.name !== 'lifecycle';
          const expected = computeGaps(10, 10 + length, steps, marks.filter(breaks))[0]?.seconds ?? 0;
          expect(longestGapSeconds(10, 10 + length, steps, marks, breaks)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('tells where the longest gap is without building the gaps, the first of equal ones', () => {
    const step = fc.tuple(time, fc.integer({ min: 0, max: 30 }), fc.constantFrom('a', 'b'));
    const mark = fc.tuple(time, fc.constantFrom('x', 'lifecycle'));
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 8 }),
        fc.array(mark, { maxLength: 6 }),
        time,
        (s, m, length) => {
          const steps = sortedSteps(s);
          const marks = sortedMarks(m);
          const breaks = (mark: MarkView) => mark.name !== 'lifecycle';
          const expected = computeGaps(10, 10 + length, steps, marks.filter(breaks))[0]?.location;
          expect(longestGapLocation(10, 10 + length, steps, marks, breaks)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
