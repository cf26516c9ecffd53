import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mostSilent } from '../../src/detectors/most-silent.js';
import type { AnalyzerView, LiveJobView } from '../../src/model/analyzer-view.js';

const NOW = 1_000_000;

function liveJob(jobId: string, quietSinceMs: number): LiveJobView {
  return {
    traceId: `t${jobId}`,
    spanId: 's',
    service: 'svc',
    worker: 'w1',
    host: 'h1',
    queue: 'q',
    jobName: 'n',
    jobId,
    attempt: 1,
    startedMs: quietSinceMs,
    lastRecordMs: quietSinceMs,
    quietSinceMs,
  };
}

/** What silent_job did before the heap: the worst attempt per job, all sorted, the first few kept. */
function sortedReference(jobs: LiveJobView[], thresholdSeconds: number, maxFindings: number) {
  const worst = new Map<string, number>();
  for (const job of jobs) {
    const silence = (NOW - job.quietSinceMs) / 1000;
    if (silence < thresholdSeconds) continue;
    const key = `${job.service}|${job.queue}|${job.jobId}`;
    worst.set(key, Math.max(worst.get(key) ?? Number.NEGATIVE_INFINITY, silence));
  }
  return [...worst.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxFindings);
}

describe('mostSilent', () => {
  it('keeps the same most silent jobs, one per job, as sorting every silent job would', () => {
    const jobs = fc.array(
      fc.record({ id: fc.integer({ min: 0, max: 40 }), quietSeconds: fc.integer({ min: 0, max: 120 }) }),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(jobs, fc.integer({ min: 1, max: 30 }), (specs, maxFindings) => {
        const live = specs.map(({ id, quietSeconds }) => liveJob(String(id), NOW - quietSeconds * 1000));
        const view = { liveJobs: () => live } as unknown as AnalyzerView;
        const found = mostSilent(view, NOW, { silenceThresholdSeconds: 30, maxFindings });
        const expected = sortedReference(live, 30, maxFindings);
        expect(found.map((c) => c.silenceSeconds)).toEqual(expected.map(([, silence]) => silence));
        const worstByKey = new Map(sortedReference(live, 30, Number.MAX_SAFE_INTEGER));
        for (const candidate of found) expect(candidate.silenceSeconds).toBe(worstByKey.get(candidate.key));
        expect(new Set(found.map((c) => c.key)).size).toBe(found.length);
      }),
      { numRuns: 300 },
    );
  });
});
