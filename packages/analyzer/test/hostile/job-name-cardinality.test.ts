import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../../src/analyzer.js';
import { maxJobLabelSets } from '../../src/metrics/analyzer-metrics.js';
import { attemptRequest, attemptSpan, postTraces } from './fixtures/attempt-requests.js';

const CAP = 2000;
const LABEL_SETS = maxJobLabelSets(CAP);
const NAMES = 20_000;
const BATCH = 2000;
const MINUTE = 60_000;

/** Every distinct `service,queue,job_name` label set of the job metrics in a /metrics text. */
function jobLabelSets(text: string): Set<string> {
  const sets = new Set<string>();
  for (const match of text.matchAll(/^joblens_job_\w+\{([^}]*)\}/gm)) {
    const labels = match[1]
      .split(',')
      .filter((pair) => /^(service|queue|job_name)=/.test(pair))
      .join(',');
    sets.add(labels);
  }
  return sets;
}

function attemptCount(text: string, jobName: string): number {
  let total = 0;
  const pattern = new RegExp(`^joblens_job_attempts_total\\{[^}]*job_name="${jobName}"[^}]*\\} (\\d+)`, 'gm');
  for (const match of text.matchAll(pattern)) total += Number(match[1]);
  return total;
}

describe(`${NAMES} distinct job names against a cap of ${CAP} series`, () => {
  let now = Date.now();
  let analyzer: AnalyzerHandle;
  let urls: AnalyzerUrls;
  beforeAll(async () => {
    analyzer = createAnalyzer(
      { port: 0, otlpPort: 0, dataDir: ':memory:', maxSeriesPerMetric: CAP },
      { clock: () => now },
    );
    urls = await analyzer.start();
    for (let first = 0; first < NAMES; first += BATCH) {
      const spans = Array.from({ length: BATCH }, (_, i) =>
        attemptSpan({ jobName: `report-${first + i}`, startMs: now - 2000, endMs: now - 1000 }),
      );
      expect(await postTraces(urls.otlpUrl, attemptRequest(spans))).toBe(200);
      // The metrics count the attempts the model holds at each evaluation.
      await analyzer.evaluateNow();
    }
  });
  afterAll(() => analyzer.stop());

  it('shows at most the cap of series in each job metric, the rest counted under __other__', async () => {
    const response = await fetch(`${urls.apiUrl}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const sets = jobLabelSets(text);
    expect(sets.size).toBe(LABEL_SETS + 1);
    for (const metric of ['joblens_job_duration_seconds_bucket', 'joblens_job_attempts_total']) {
      const series = text.split('\n').filter((line) => line.startsWith(`${metric}{`));
      expect(series.length, metric).toBeLessThanOrEqual(CAP + 20);
    }
    expect(sets).toContain('service="billing",queue="invoices",job_name="__other__"');
    expect(attemptCount(text, '__other__')).toBe(NAMES - LABEL_SETS);
    expect(attemptCount(text, 'report-0')).toBe(1);
  });

  it('still accepts a small export', async () => {
    const span = attemptSpan({ jobName: 'render', startMs: now - 20, endMs: now - 10 });
    expect(await postTraces(urls.otlpUrl, attemptRequest([span]))).toBe(200);
  });

  it('drops the series of job names idle for fifteen minutes', async () => {
    now += 16 * MINUTE;
    await analyzer.evaluateNow();
    const text = await (await fetch(`${urls.apiUrl}/metrics`)).text();
    expect(jobLabelSets(text).size).toBe(0);
    const health = (await (await fetch(`${urls.apiUrl}/healthz`)).json()) as {
      counts: { jobSeries: number };
    };
    expect(health.counts.jobSeries).toBe(0);
  });
});
