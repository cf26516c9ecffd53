import { describe, expect, it } from 'vitest';
import type { TimelineAttempt, TimelineData } from '../../src/findings/timeline-data.js';
import { html } from '../../src/web/html.js';
import { renderTimelineSvg } from '../../src/web/timeline-svg.js';

const hostile = '<script>alert(1)</script>"onload="x';

function gapTimeline(stepName = 'fetch'): TimelineData {
  const t0 = 1_700_000_000_000;
  return {
    title: 'emails #1',
    attempts: [
      {
        attempt: 1,
        traceId: 'a'.repeat(32),
        spanId: 'b'.repeat(16),
        startMs: t0,
        endMs: t0 + 10_000,
        outcome: 'completed',
        steps: [
          { name: stepName, startMs: t0, endMs: t0 + 1000 },
          { name: 'upload', startMs: t0 + 9000, endMs: t0 + 10_000 },
        ],
        events: [{ name: 'joblens.checkpoint', timeMs: t0 + 500 }],
        gaps: [{ startMs: t0 + 1000, endMs: t0 + 9000, after: stepName, before: 'upload' }],
      },
    ],
  };
}

describe('the job timeline', () => {
  it('draws each step, the event and the gap between the fetch and the upload step', () => {
    const svg = renderTimelineSvg(gapTimeline(), Date.now()).value;
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/class="step"/g)).toHaveLength(2);
    expect(svg).toContain('class="gap"');
    expect(svg).toContain('silent for 8.0 s between fetch → upload');
    expect(svg).toContain('<g class="event">');
  });

  it('escapes step names that come from telemetry', () => {
    const svg = renderTimelineSvg(gapTimeline(hostile), Date.now()).value;
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('"onload="');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('marks a live attempt silent since the hang began', () => {
    const now = 1_700_000_060_000;
    const data: TimelineData = {
      title: 'x',
      attempts: [
        {
          attempt: 1,
          traceId: 'c'.repeat(32),
          spanId: 'd'.repeat(16),
          startMs: now - 60_000,
          steps: [{ name: 'call', startMs: now - 50_000 }],
          events: [],
          gaps: [],
          hang: { sinceMs: now - 50_000, step: 'call' },
        },
      ],
    };
    const svg = renderTimelineSvg(data, now).value;
    expect(svg).toContain('class="hang"');
    expect(svg).toContain('no activity for 50 s in step call');
  });
});

/** A poison job: `count` one-second attempts a second apart, each failing, the last `completed` ones not. */
function retriedJob(count: number, completedAtEnd = 0): TimelineData {
  const t0 = 1_700_000_000_000;
  const attempts: TimelineAttempt[] = Array.from({ length: count }, (_, index) => {
    const completed = index >= count - completedAtEnd;
    return {
      attempt: index + 1,
      traceId: 'e'.repeat(32),
      spanId: String(index).padStart(16, '0'),
      startMs: t0 + index * 2000,
      endMs: t0 + index * 2000 + 1000,
      outcome: completed ? 'completed' : 'retry_scheduled',
      errorType: completed ? undefined : index % 10 === 0 ? 'TimeoutError' : 'TypeError',
      errorMessage: completed ? undefined : 'password=hunter2 rejected',
      steps: [{ name: 'call-crm', startMs: t0 + index * 2000, endMs: t0 + index * 2000 + 900 }],
      events: [],
      gaps: [],
    };
  });
  return { title: 'sync-crm-contact 4711', attempts };
}

function svgHeight(svg: string): number {
  return Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)?.[1]);
}

describe('the job timeline of a job retried many times', () => {
  it('draws the first and last attempts and one line that summarizes the rest', () => {
    const svg = renderTimelineSvg(retriedJob(100, 1), Date.now()).value;
    const lanes = [...svg.matchAll(/class="lane-label">([^<]*)</g)].map((m) => m[1]);
    expect(lanes).toEqual([
      'attempt 1 · retry_scheduled',
      'attempt 2 · retry_scheduled',
      'attempts 3–97 (95) not drawn: 95 retry_scheduled · errors TypeError 86, TimeoutError 9',
      'attempt 98 · retry_scheduled',
      'attempt 99 · retry_scheduled',
      'attempt 100 · completed',
    ]);
  });

  it('stays as tall as a job of six attempts, however many there were', () => {
    const six = svgHeight(renderTimelineSvg(retriedJob(6), Date.now()).value);
    const hundred = svgHeight(renderTimelineSvg(retriedJob(100), Date.now()).value);
    const thousand = svgHeight(renderTimelineSvg(retriedJob(1000), Date.now()).value);
    expect(hundred).toBeLessThan(six * 1.2);
    expect(thousand).toBe(hundred);
  });

  it('draws every attempt of a job with six', () => {
    const svg = renderTimelineSvg(retriedJob(6), Date.now()).value;
    expect(svg.match(/class="lane-label"/g)).toHaveLength(6);
    expect(svg).not.toContain('not drawn');
  });

  it('writes no step name on a step too narrow to hold it', () => {
    const svg = renderTimelineSvg(retriedJob(100), Date.now()).value;
    expect(svg.match(/class="step-label"/g) ?? []).toHaveLength(0);
    expect(svg).toContain('<title>call-crm: 900 ms</title>');
  });

  it('quotes the error message in the attempt tooltip with secrets redacted', () => {
    const svg = renderTimelineSvg(retriedJob(3), Date.now()).value;
    expect(svg).toContain('password=[REDACTED] rejected');
    expect(svg).not.toContain('hunter2');
  });
});

describe('html', () => {
  it('escapes interpolated text but keeps nested fragments', () => {
    const inner = html`<b>${hostile}</b>`;
    expect(html`<p>${inner}</p>`.value).toBe(
      '<p><b>&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&quot;x</b></p>',
    );
  });
});
