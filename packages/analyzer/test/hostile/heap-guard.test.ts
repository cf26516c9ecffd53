import { afterEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import { attemptRequest, attemptSpan, postTraces } from './fixtures/attempt-requests.js';

async function health(apiUrl: string): Promise<{ status: number; reasons: string[] }> {
  const response = await fetch(`${apiUrl}/healthz`);
  const body = (await response.json()) as { reasons: string[] };
  return { status: response.status, reasons: body.reasons };
}

function failedAttempt() {
  const now = Date.now();
  return attemptRequest([
    attemptSpan({
      outcome: 'failed',
      startMs: now - 2000,
      endMs: now - 1000,
      extra: { big: 'x'.repeat(4000) },
    }),
  ]);
}

describe('the heap guard', () => {
  let analyzer: AnalyzerHandle | undefined;
  afterEach(() => analyzer?.stop());

  it('refuses telemetry with 503 and says why on /healthz while the heap is over its limit', async () => {
    let share = 0.5;
    analyzer = createAnalyzer(
      { port: 0, otlpPort: 0, dataDir: ':memory:' },
      { heapUsedShare: () => share, collectGarbage: () => {} },
    );
    const { otlpUrl, apiUrl } = await analyzer.start();
    expect(await postTraces(otlpUrl, failedAttempt())).toBe(200);
    expect((await health(apiUrl)).status).toBe(200);

    share = 0.95;
    await analyzer.evaluateNow();
    expect(await postTraces(otlpUrl, failedAttempt())).toBe(503);
    const overloaded = await health(apiUrl);
    expect(overloaded.status).toBe(503);
    expect(overloaded.reasons).toEqual(['heap at 95% of its limit: ingest refused until it falls']);
  });

  it('frees the attributes the model holds and collects garbage when the heap passes its limit', async () => {
    let share = 0.5;
    let collections = 0;
    analyzer = createAnalyzer(
      { port: 0, otlpPort: 0, dataDir: ':memory:' },
      { heapUsedShare: () => share, collectGarbage: () => collections++ },
    );
    const { otlpUrl } = await analyzer.start();
    for (let i = 0; i < 5; i++) expect(await postTraces(otlpUrl, failedAttempt())).toBe(200);
    expect(analyzer.model.retainedAttributeBytes).toBeGreaterThan(5 * 4000);

    share = 0.95;
    await analyzer.evaluateNow();
    expect(analyzer.model.retainedAttributeBytes).toBe(0);
    expect(collections).toBe(1);
  });

  it('recovers on the evaluation timer alone, with no telemetry accepted in between', async () => {
    let share = 0.95;
    analyzer = createAnalyzer(
      { port: 0, otlpPort: 0, dataDir: ':memory:', evaluationIntervalMillis: 20 },
      { heapUsedShare: () => share, collectGarbage: () => {} },
    );
    const { otlpUrl, apiUrl } = await analyzer.start();
    await expect.poll(() => postTraces(otlpUrl, failedAttempt())).toBe(503);

    // What pruning and the collection freed shows in the next reading; nothing but the timer reads it.
    share = 0.4;
    await expect.poll(() => health(apiUrl)).toEqual({ status: 200, reasons: [] });
    expect(await postTraces(otlpUrl, failedAttempt())).toBe(200);
  });
});
