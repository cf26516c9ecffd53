import { makeAttemptSpan, makeResource, otlpTraceRequestJson } from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analyzer.js';
import { SqliteHistoryStore } from '../../src/history/sqlite-history-store.js';
import { IN_MEMORY, openDatabase } from '../../src/store/open-database.js';
import { FlakyHistoryStore } from './flaky-history-store.js';

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const resource = makeResource({ service: 'mail', worker: 'w-1', host: 'h-1' });
const sendJob = (jobId: string) =>
  otlpTraceRequestJson([makeAttemptSpan({ resource, jobName: 'send', jobId, startMs: Date.now() - 2000 })]);

describe('the analyzer while its job history cannot write', () => {
  it('refuses telemetry with 503 and Retry-After, says why on /healthz, and writes every attempt it took once the store works', async () => {
    const history = new FlakyHistoryStore(
      new SqliteHistoryStore(openDatabase(IN_MEMORY), { ownsDatabase: true }),
    );
    const analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir: IN_MEMORY }, { history });
    try {
      const { otlpUrl, apiUrl } = await analyzer.start();
      const post = (body: string) =>
        fetch(`${otlpUrl}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      history.failing = true;
      const accepted = ['held'];
      expect((await post(sendJob('held'))).status).toBe(200);

      // Taken until the writer's first append fails, a few seconds later; refused from then on.
      let probe = 0;
      const refused = await eventually(async () => {
        const jobId = `probe-${++probe}`;
        const response = await post(sendJob(jobId));
        if (response.status === 200) accepted.push(jobId);
        return response.status === 503 ? response : undefined;
      }, 'a 503');
      expect(refused.headers.get('retry-after')).toBe('5');
      const health = await fetch(`${apiUrl}/healthz`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { reasons: string[] }).reasons).toContain(
        'the job history store fails: database or disk is full',
      );

      history.failing = false;
      const jobs = await eventually(async () => {
        const page = await analyzer.history.searchJobs({ name: 'send', limit: 500 });
        return page.jobs.length >= accepted.length ? page.jobs : undefined;
      }, 'the held attempts written');
      expect(jobs.map((job) => job.jobId).sort()).toEqual(accepted.sort());
      expect((await post(sendJob('accepted'))).status).toBe(200);
    } finally {
      await analyzer.stop();
    }
  });
});
