import type { HistoryAttempt } from '../../src/history/history-store.js';

let nextSpan = 1;

/**
 * A finished attempt of `send-email` job 42, one minute long, completed; every call gets a new span id.
 * Pass what the test is about.
 */
export function makeHistoryAttempt(overrides: Partial<HistoryAttempt> = {}): HistoryAttempt {
  const span = nextSpan++;
  const startMs = overrides.startMs ?? (overrides.endMs ?? 1_700_000_060_000) - 60_000;
  return {
    service: 'billing',
    queue: 'emails',
    jobName: 'send-email',
    jobId: '42',
    attempt: 1,
    worker: 'worker-1',
    host: 'host-a',
    startMs,
    endMs: startMs + 60_000,
    outcome: 'completed',
    steps: [
      { name: 'render', startMs, endMs: startMs + 1000 },
      { name: 'deliver', startMs: startMs + 1000, endMs: startMs + 59_000 },
    ],
    longestGapSeconds: 0,
    traceId: `${span.toString(16).padStart(32, '0')}`,
    spanId: `${span.toString(16).padStart(16, '0')}`,
    ...overrides,
  };
}

/** `count` attempts of `count` different jobs (ids `job-0`…), ending one second apart from `firstEndMs`. */
export function makeJobsEndingApart(
  count: number,
  firstEndMs: number,
  overrides: Partial<HistoryAttempt> = {},
) {
  return Array.from({ length: count }, (_, i) =>
    makeHistoryAttempt({ jobId: `job-${i}`, endMs: firstEndMs + i * 1000, ...overrides }),
  );
}
