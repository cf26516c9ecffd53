import { describe, expect, it } from 'vitest';
import { type JobSighting, JobTable } from '../../src/model/job-table.js';

function sighting(jobId: string, timeMs: number, attempt = 1): JobSighting {
  return {
    service: 'svc',
    queue: 'emails',
    jobId,
    jobName: 'send',
    attempt,
    traceId: `trace-${jobId}-${attempt}`,
    spanId: `span-${jobId}-${attempt}`,
    timeMs,
    attemptKey: `key-${jobId}-${attempt}`,
    newAttempt: true,
  };
}

describe('JobTable', () => {
  it('keeps a job still retrying while many more jobs than it holds come and are pruned around it', () => {
    const table = new JobTable(100);
    table.record(sighting('poison', 0));
    for (let n = 1; n <= 1_000; n++) {
      table.record(sighting(`job-${n}`, n));
      if (n % 10 === 0) {
        table.record(sighting('poison', n, n / 10 + 1));
        table.prune(n - 5);
      }
    }
    // Never more than a dozen held, far below the bound of 100: nothing may be evicted.
    expect(table.size).toBeLessThan(20);
    expect(table.attemptsSeenOf('svc', 'emails', 'poison')).toBe(101);
  });

  it('makes room for a new job by forgetting the one seen first, once full', () => {
    const table = new JobTable(3);
    for (const [n, id] of ['a', 'b', 'c', 'd'].entries()) table.record(sighting(id, n));
    expect([...table.seenSince(0)].map((job) => job.jobId)).toEqual(['b', 'c', 'd']);
    expect(table.get('svc', 'emails', 'a')).toBeUndefined();
  });
});
