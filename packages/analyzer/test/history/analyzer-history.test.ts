import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mysteryGapScenario, otlpTraceRequestJson } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '../../src/analyzer.js';
import type { JobSummary } from '../../src/history/history-store.js';

const dataDir = mkdtempSync(join(tmpdir(), 'joblens-history-'));
let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;

beforeAll(async () => {
  analyzer = createAnalyzer({ host: '127.0.0.1', port: 0, otlpPort: 0, dataDir });
  urls = await analyzer.start();
});

afterAll(async () => {
  await analyzer?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitForJobs(name: string, count: number): Promise<JobSummary[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { jobs } = await analyzer.history.searchJobs({ name });
    if (jobs.length >= count || Date.now() > deadline) return jobs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the analyzer with its job history', () => {
  it('writes the jobs of the spans it receives over OTLP, with their steps, gap and trace id', async () => {
    const scenario = mysteryGapScenario({ nowMs: Date.now(), service: 'reports-svc' });
    const response = await fetch(`${urls.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: otlpTraceRequestJson(scenario.spans),
    });
    expect(response.status).toBe(200);

    const jobs = await waitForJobs('export', 2);
    expect(jobs.map((job) => job.jobId).sort()).toEqual(['export-0', 'export-1']);
    const last = scenario.attempt;
    const lastJob = jobs.find((job) => job.jobId === 'export-1');
    expect(lastJob).toMatchObject({ service: 'reports-svc', queue: 'reports', latestTraceId: last?.traceId });

    const [attempt] = await analyzer.history.jobAttempts({
      service: 'reports-svc',
      queue: 'reports',
      jobId: 'export-1',
    });
    expect(attempt.steps.map((step) => step.name)).toEqual(['fetch', 'upload']);
    expect(attempt).toMatchObject({ longestGapSeconds: 12, longestGapLocation: 'fetch->upload' });
  });

  it('counts what it wrote in /metrics', async () => {
    const metrics = await (await fetch(`${urls.apiUrl}/metrics`)).text();
    expect(metrics).toMatch(/joblens_analyzer_history_attempts_written_total [1-9]/);
    expect(metrics).toMatch(/joblens_analyzer_history_queued_attempts 0/);
  });
});
