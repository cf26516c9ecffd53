import { describe, expect, it } from 'vitest';
import { html } from '../../src/web/html.js';
import type { TimelineData } from '../../src/web/timeline-data.js';
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

describe('html', () => {
  it('escapes interpolated text but keeps nested fragments', () => {
    const inner = html`<b>${hostile}</b>`;
    expect(html`<p>${inner}</p>`.value).toBe(
      '<p><b>&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&quot;x</b></p>',
    );
  });
});
