import { describe, expect, it } from 'vitest';
import {
  decodeAttempt,
  decodeAttempts,
  encodeAttempts,
  oneAttemptColumns,
  WIRE_STRIDE,
} from '../../src/history/sqlite-attempt-wire.js';
import { makeHistoryAttempt } from './make-history-attempt.js';

describe('attempts encoded for the history writer thread', () => {
  it('come back as they were, whatever characters their text holds', () => {
    const odd = makeHistoryAttempt({
      jobId: '12:34;-',
      jobName: '-',
      worker: '',
      outcome: 'failed',
      errorType: 'Error: 3;',
      errorMessage: 'ünïcødé 🚀 "quoted" \\ back\nslash 10:x',
      longestGapSeconds: 1.25,
      longestGapLocation: 'render->deliver',
    });
    const plain = makeHistoryAttempt({ steps: [] });
    // Times are sent as differences from the batch's first start: an earlier one is negative.
    const earlier = makeHistoryAttempt({
      startMs: odd.startMs - 86_400_000,
      endMs: odd.startMs - 86_000_000,
      steps: [{ name: 'fetch "rows"', startMs: odd.startMs - 86_300_000, endMs: odd.startMs - 86_200_000 }],
    });
    const values = decodeAttempts(encodeAttempts([odd, plain, earlier]));
    expect(values).toHaveLength(3 * WIRE_STRIDE);
    expect(decodeAttempt(values, 0)).toEqual(odd);
    expect(decodeAttempt(values, WIRE_STRIDE)).toEqual(plain);
    expect(decodeAttempt(values, 2 * WIRE_STRIDE)).toEqual(earlier);
  });

  it('carry times in whole milliseconds', () => {
    const attempt = makeHistoryAttempt({ startMs: 1_700_000_000_000.4, endMs: 1_700_000_001_000.6 });
    const back = decodeAttempt(decodeAttempts(encodeAttempts([attempt])), 0);
    expect([back.startMs, back.endMs]).toEqual([1_700_000_000_000, 1_700_000_001_001]);
  });

  it("give a job's columns from its one attempt", () => {
    const attempt = makeHistoryAttempt({ attempt: 3, outcome: 'failed', errorType: 'TimeoutError' });
    const columns = oneAttemptColumns(decodeAttempts(encodeAttempts([attempt])), 0);
    expect(columns).toMatchObject({
      jobName: 'send-email',
      attempts: 1,
      lastAttempt: 3,
      lastOutcome: 'failed',
      firstStartMs: attempt.startMs,
      lastEndMs: attempt.endMs,
      lastErrorType: 'TimeoutError',
      lastErrorMessage: null,
      latestTraceId: attempt.traceId,
    });
    expect(JSON.parse(columns.attemptsJson)).toHaveLength(1);
  });

  it('refuse text they did not write', () => {
    expect(() => decodeAttempts('7:billing9999:x')).toThrow(/malformed/);
  });
});
