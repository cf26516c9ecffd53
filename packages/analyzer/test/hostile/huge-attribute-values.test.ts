import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../../src/analyzer.js';
import {
  attemptRequest,
  attemptSpan,
  jobLogRequest,
  postLogs,
  postTraces,
} from './fixtures/attempt-requests.js';

const MIB = 1024 * 1024;
const ATTEMPTS = 60;
/** The bound for this scenario; before the limits, RSS grew about 7 MB per attempt. */
const RSS_BOUND_BYTES = 1.5 * 1024 * MIB;

describe('failed attempts that each carry a 4 MiB attribute value', () => {
  let analyzer: AnalyzerHandle;
  let urls: AnalyzerUrls;
  beforeAll(async () => {
    analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: ':memory:' });
    urls = await analyzer.start();
  });
  afterAll(() => analyzer.stop());

  it('keeps each value cut to 4096 characters, so what the model holds stays small', async () => {
    const now = Date.now();
    for (let i = 0; i < ATTEMPTS; i++) {
      const span = attemptSpan({
        outcome: 'failed',
        startMs: now - 2000,
        endMs: now - 1000,
        extra: { 'job.payload': String.fromCharCode(97 + (i % 26)).repeat(4 * MIB) },
      });
      expect(await postTraces(urls.otlpUrl, attemptRequest([span]))).toBe(200);
    }
    await analyzer.evaluateNow();
    expect(analyzer.model.windowSizes().finishedAttempts).toBe(ATTEMPTS);
    // Each attempt keeps its attributes (failed ones do), the large one cut: about 8 KiB each.
    expect(analyzer.model.retainedAttributeBytes).toBeLessThan(ATTEMPTS * 16 * 1024);
    expect(analyzer.receiverStats.limitedValues.traces).toBe(ATTEMPTS);
    expect(process.memoryUsage().rss).toBeLessThan(RSS_BOUND_BYTES);
  });

  it('still accepts a small export afterwards', async () => {
    const now = Date.now();
    const span = attemptSpan({ startMs: now - 20, endMs: now - 10 });
    expect(await postTraces(urls.otlpUrl, attemptRequest([span]))).toBe(200);
  });
});

describe('the budget for retained attributes', () => {
  it('drops the oldest attempts’ attributes once the attributes held pass the budget', async () => {
    const budget = 256 * 1024;
    const analyzer = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      maxRetainedAttributeBytes: budget,
    });
    const { otlpUrl } = await analyzer.start();
    try {
      const now = Date.now();
      for (let i = 0; i < 100; i++) {
        const extra: Record<string, string> = {};
        for (let k = 0; k < 10; k++) extra[`field.${k}`] = 'v'.repeat(4000);
        const span = attemptSpan({ outcome: 'failed', startMs: now - 2000, endMs: now - 1000, extra });
        expect(await postTraces(otlpUrl, attemptRequest([span]))).toBe(200);
      }
      // 100 attempts of about 80 KB of attributes each would be 8 MB.
      expect(analyzer.model.retainedAttributeBytes).toBeLessThanOrEqual(budget);
      expect(analyzer.model.retainedAttributeBytes).toBeGreaterThan(0);
      const held = [...analyzer.model.finishedAttempts(0)];
      expect(held).toHaveLength(100);
      expect(Object.keys(held[0].facts.attributes)).toHaveLength(0);
      expect(Object.keys(held[99].facts.attributes).length).toBeGreaterThan(10);
    } finally {
      await analyzer.stop();
    }
  });
});

describe.each([
  ['failure snapshots', 'failure snapshot', 'snapshots'],
  ['silent running jobs', 'still running', 'liveJobs'],
] as const)('%s with large attributes', (_title, kind, window) => {
  it('keep their attributes within a quarter of the attribute budget', async () => {
    const budget = 1024 * 1024;
    const analyzer = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      maxRetainedAttributeBytes: budget,
    });
    const { otlpUrl } = await analyzer.start();
    try {
      const attributes: Record<string, string> = {};
      for (let k = 0; k < 20; k++) attributes[`job.data.${k}`] = 'd'.repeat(4000);
      // 100 records of about 160 KB of attributes each would hold 16 MB.
      for (let i = 0; i < 10; i++)
        expect(await postLogs(otlpUrl, jobLogRequest(kind, 10, Date.now(), attributes))).toBe(200);
      expect(analyzer.model.windowSizes()[window]).toBeGreaterThan(0);
      expect(analyzer.model.retainedAttributeBytes).toBeGreaterThan(0);
      expect(analyzer.model.retainedAttributeBytes).toBeLessThanOrEqual(budget / 4);
    } finally {
      await analyzer.stop();
    }
  });
});
