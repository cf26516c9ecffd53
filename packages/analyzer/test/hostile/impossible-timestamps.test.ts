import { afterEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import {
  attemptRequest,
  attemptSpan,
  heartbeatRequest,
  postMetrics,
  postTraces,
} from './fixtures/attempt-requests.js';

const YEAR_2500_MS = Date.UTC(2500, 0, 1);
const MINUTE = 60_000;

describe('timestamps a worker with a broken clock sends', () => {
  let analyzer: AnalyzerHandle | undefined;
  afterEach(() => analyzer?.stop());

  it('clamps a worker "last seen in the year 2500" to the time it was received, so it can be reported gone', async () => {
    let now = Date.now();
    analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:' }, { clock: () => now });
    const { otlpUrl } = await analyzer.start();
    const beats = heartbeatRequest([now - 20_000, now - 10_000, YEAR_2500_MS], 'time-traveller');
    expect(await postMetrics(otlpUrl, beats)).toBe(200);
    expect(analyzer.receiverStats.clampedTimestamps.metrics).toBe(1);
    const [worker] = [...analyzer.model.workerStates()];
    expect(worker.lastSeenMs).toBe(now);

    now += 10 * MINUTE;
    await analyzer.evaluateNow();
    const gone = (await analyzer.store.open()).filter((finding) => finding.type === 'silent_worker');
    expect(gone.map((finding) => finding.subject.worker)).toEqual(['time-traveller']);
  });

  it('clamps both ends of a span from the year 2500 to the time it was received', async () => {
    const now = Date.now();
    analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:' }, { clock: () => now });
    const { otlpUrl } = await analyzer.start();
    const span = attemptSpan({ startMs: YEAR_2500_MS, endMs: YEAR_2500_MS + 1000 });
    expect(await postTraces(otlpUrl, attemptRequest([span]))).toBe(200);
    expect(analyzer.receiverStats.clampedTimestamps.traces).toBe(2);
    const [attempt] = [...analyzer.model.finishedAttempts(0)];
    expect([attempt.facts.startMs, attempt.facts.endMs]).toEqual([now, now]);
  });

  it('keeps times up to ten minutes ahead as they are', async () => {
    const now = Date.now();
    analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:' }, { clock: () => now });
    const { otlpUrl } = await analyzer.start();
    const span = attemptSpan({ startMs: now + 5 * MINUTE, endMs: now + 6 * MINUTE });
    expect(await postTraces(otlpUrl, attemptRequest([span]))).toBe(200);
    expect(analyzer.receiverStats.clampedTimestamps.traces).toBe(0);
    // Nanoseconds to milliseconds as doubles: equal to a fraction of a millisecond.
    expect([...analyzer.model.workerStates()][0].lastSeenMs).toBeCloseTo(now + 6 * MINUTE, 0);
  });

  it('rejects spans that ended before the oldest time kept, counting them in partial success', async () => {
    const now = Date.now();
    analyzer = createAnalyzer(
      { port: 0, otlpPort: 0, dataDir: ':memory:', maxTimestampAgeSeconds: 1800 },
      { clock: () => now },
    );
    const { otlpUrl } = await analyzer.start();
    const old = attemptSpan({ startMs: now - 31 * MINUTE, endMs: now - 31 * MINUTE + 100 });
    const fresh = attemptSpan({ startMs: now - 1000, endMs: now - 500 });
    expect(await postTraces(otlpUrl, attemptRequest([old, fresh]))).toBe(200);
    expect(analyzer.receiverStats.itemsRejected.traces).toBe(1);
    expect(analyzer.model.windowSizes().finishedAttempts).toBe(1);
  });

  it('refuses a bound that is not a positive integer, naming the option', () => {
    expect(() => createAnalyzer({ maxFutureSkewSeconds: 0 })).toThrow(
      'maxFutureSkewSeconds must be a positive integer, got 0',
    );
  });
});
