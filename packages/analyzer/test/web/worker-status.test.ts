import { describe, expect, it } from 'vitest';
import type { WorkerRow } from '../../src/findings/finding-sources.js';
import { workerStatus } from '../../src/web/worker-status.js';
import { makeFinding } from '../store/make-finding.js';

const worker: WorkerRow = { worker: 'w-1', service: 'billing', host: 'host-a', pid: 4242, activeJobs: 0 };

describe('the status of a worker on the workers page', () => {
  it('calls stuck a worker a silent_worker finding calls stuck, although it holds no job', () => {
    const stuck = makeFinding({ type: 'silent_worker', key: 'stuck|w-1', severity: 'critical' });
    expect(workerStatus(worker, [stuck])).toEqual({ label: 'stuck', tone: 'problem', findingId: stuck.id });
  });

  it('names the most severe of several open findings about it', () => {
    const gap = makeFinding({ severity: 'warning' });
    const blocked = makeFinding({ type: 'event_loop_blocked', key: 'w-1', severity: 'critical' });
    expect(workerStatus(worker, [gap, blocked]).label).toBe('loop blocked');
  });

  it('ignores resolved findings and findings about other workers', () => {
    const resolved = makeFinding({ type: 'silent_worker', key: 'gone|w-1', status: 'resolved' });
    const other = makeFinding({
      type: 'silent_worker',
      key: 'gone|w-2',
      subject: { service: 'billing', worker: 'w-2' },
    });
    expect(workerStatus({ ...worker, activeJobs: 2 }, [resolved, other])).toEqual({
      label: 'running',
      tone: 'ok',
    });
  });

  it('says stopped for a worker that announced its stop, and idle for one that holds no job', () => {
    expect(workerStatus({ ...worker, stoppedMs: 1_700_000_000_000 }, []).label).toBe('stopped');
    expect(workerStatus(worker, []).label).toBe('idle');
  });
});
