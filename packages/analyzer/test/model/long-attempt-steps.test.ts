import { makeAttemptSpan, makeStepSpan } from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { mysteryGapDetector } from '../../src/detectors/mystery-gap.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const T0 = 1_700_000_000_000;

describe('a job running longer than children wait for their parent', () => {
  it('keeps the steps exported while it ran, so its finished attempt shows no gap', () => {
    const clock = { now: T0 };
    const model = new TelemetryModel({ clock: () => clock.now, pendingChildRetentionSeconds: 120 });
    const running = makeAttemptSpan({ jobId: 'report-1', startMs: T0 });
    // Five minutes of 3 s steps, each exported (as the batch processor does) 2 s after it ends.
    let cursor = T0 + 100;
    for (; cursor < T0 + 300_000; cursor += 3_000) {
      clock.now = cursor + 5_000;
      model.ingestSpans([
        makeStepSpan({ parent: running, name: 'aggregate-chunk', startMs: cursor, endMs: cursor + 3_000 }),
      ]);
      model.prune(clock.now);
    }
    clock.now = cursor + 2_000;
    model.ingestSpans([
      makeAttemptSpan({
        traceId: running.traceId,
        spanId: running.spanId,
        jobId: 'report-1',
        startMs: T0,
        durationMs: cursor - T0,
        outcome: 'completed',
      }),
    ]);
    const [attempt] = [...model.finishedAttempts(0)];
    expect(attempt.steps).toHaveLength(100);
    expect(mysteryGapDetector.evaluate(model, clock.now + 10_000, mysteryGapDetector.defaults)).toEqual([]);
  });
});
