import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  makeAttemptSpan,
  makeJobLog,
  makeResource,
  makeStepSpan,
  TERMINAL_AND_HTML_JOB_NAME,
} from '@joblens/test-utils';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiJobDetail } from '../../src/api/job-detail.js';
import { createJobsRouter } from '../../src/api/jobs-router.js';
import { errorsAsJson, notFoundJson } from '../../src/api/json-errors.js';
import { securityHeaders } from '../../src/api/security-headers.js';
import { type JobPage, MAX_JOB_ATTEMPTS } from '../../src/history/history-store.js';
import { SqliteHistoryStore } from '../../src/history/sqlite-history-store.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SqliteFindingStore } from '../../src/store/sqlite-finding-store.js';
import { createJobsPageRouter } from '../../src/web/jobs-page-router.js';
import { makeHistoryAttempt, makeJobsEndingApart } from '../history/make-history-attempt.js';
import { makeFinding, makeOpening } from '../store/make-finding.js';

const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);
const MINUTE = 60_000;
const JAEGER = 'http://jaeger.example:16686';

const db = openDatabase(':memory:');
const history = new SqliteHistoryStore(db);
const store = new SqliteFindingStore(db);
const model = new TelemetryModel({ clock: () => NOW });

// Job 42 of billing/emails: two retries on worker-1, then it completed on worker-2.
const first = makeHistoryAttempt({
  attempt: 1,
  endMs: NOW - 30 * MINUTE,
  outcome: 'retry_scheduled',
  errorType: 'SmtpError',
  errorMessage: 'connection timed out',
  longestGapSeconds: 12,
  longestGapLocation: 'render->deliver',
});
const second = makeHistoryAttempt({
  attempt: 2,
  endMs: NOW - 20 * MINUTE,
  outcome: 'retry_scheduled',
  errorType: 'SmtpError',
  errorMessage: 'connection refused',
});
const third = makeHistoryAttempt({ attempt: 3, endMs: NOW - 10 * MINUTE, worker: 'worker-2' });
const hostile = makeHistoryAttempt({
  service: 'payments',
  queue: 'payments',
  jobName: TERMINAL_AND_HTML_JOB_NAME,
  jobId: '<img src=x onerror=alert(2)>',
  endMs: NOW - 5 * MINUTE,
  outcome: 'exhausted',
  errorType: 'AuthError',
  errorMessage: '<b>denied</b>\x1b[2J',
});
// Sixty cleanup jobs of another queue, one a second from two hours ago: enough for three pages of 25.
const cleanups = makeJobsEndingApart(60, NOW - 120 * MINUTE, { queue: 'maintenance', jobName: 'cleanup' });

const aboutTheJob = makeFinding({
  type: 'runaway_retries',
  subject: { service: 'billing', queue: 'emails', jobName: 'send-email', jobId: '42' },
  summary: 'send-email 42 retried twice',
  evidence: { figures: {}, traces: [] },
});
const aboutItsTrace = makeFinding({
  evidence: { figures: {}, traces: [{ traceId: second.traceId, label: 'slow' }] },
});
const aboutAnotherJob = makeFinding({
  type: 'runaway_retries',
  subject: { service: 'billing', queue: 'invoices', jobId: '42' },
});

let server: Server;
let base: string;

beforeAll(async () => {
  await history.append([first, second, third, hostile, ...cleanups]);
  const found = [aboutTheJob, aboutItsTrace, aboutAnotherJob];
  await store.save(found, found.map(makeOpening));
  const app = express();
  app.use(securityHeaders);
  const sources = { history, store, view: model, now: () => NOW, jaegerUrl: JAEGER };
  app.use(createJobsRouter(sources), createJobsPageRouter(sources));
  app.use(notFoundJson);
  app.use(errorsAsJson());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await history.close();
  db.close();
});

const get = (path: string) => fetch(`${base}${path}`);
async function search(query: string): Promise<JobPage> {
  const response = await get(`/api/jobs?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as JobPage;
}
const ids = (page: JobPage) => page.jobs.map((j) => j.jobId);

describe('GET /api/jobs', () => {
  it('lists the jobs newest first, each with its latest attempt', async () => {
    const page = await search('limit=3');
    expect(ids(page)).toEqual([hostile.jobId, '42', 'job-59']);
    expect(page.jobs[1]).toMatchObject({
      service: 'billing',
      queue: 'emails',
      jobName: 'send-email',
      attempts: 3,
      lastAttempt: 3,
      lastOutcome: 'completed',
      lastWorker: 'worker-2',
      latestTraceId: third.traceId,
    });
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('narrows by queue, name, id, worker, outcome and error text', async () => {
    expect(ids(await search('name=send-email'))).toEqual(['42']);
    expect(ids(await search('id=job-7'))).toEqual(['job-7']);
    expect(ids(await search('queue=payments'))).toEqual([hostile.jobId]);
    expect(ids(await search('worker=worker-2'))).toEqual(['42']);
    expect(ids(await search('outcome=exhausted'))).toEqual([hostile.jobId]);
    expect(ids(await search('error=DENIED'))).toEqual([hostile.jobId]);
    expect(ids(await search('queue=maintenance&id=job-3&name=send-email'))).toEqual([]);
  });

  it('takes from and to as ISO-8601 or as Unix milliseconds', async () => {
    const iso = await search(`from=${new Date(NOW - 15 * MINUTE).toISOString()}&to=2026-03-02T11:56:00Z`);
    expect(ids(iso)).toEqual([hostile.jobId, '42']);
    expect(ids(await search(`from=${NOW - 15 * MINUTE}&to=${NOW - 9 * MINUTE}`))).toEqual(['42']);
    // Without an offset a time is UTC, whatever the analyzer's zone.
    expect(ids(await search('from=2026-03-02T11:52&to=2026-03-02 11:56'))).toEqual([hostile.jobId]);
  });

  it('pages through every match with the cursor, each job once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search(`queue=maintenance&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(cleanups.map((a) => a.jobId).reverse());
  });

  it.each([
    ['outcome=maybe', /^outcome must be one of completed, failed, .*got "maybe"$/],
    ['limit=0', /^limit must be an integer from 1 to 500, got "0"$/],
    ['limit=501', /^limit must be an integer from 1 to 500/],
    ['from=yesterday', /^from must be an ISO-8601 time .* or Unix milliseconds, got "yesterday"$/],
    ['to=2026-13-45', /^to must be an ISO-8601 time/],
    ['queue=a&queue=b', /^queue must be given once, as text$/],
    [`name=${'x'.repeat(501)}`, /^name must be at most 500 characters/],
    ['cursor=not-a-cursor', /^invalid cursor "not-a-cursor"/],
  ])('answers %s with a 400 naming the parameter', async (query, message) => {
    const response = await get(`/api/jobs?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });
});

describe('GET /api/jobs/:service/:queue/:jobId', () => {
  it('gives every attempt oldest first and the findings that name the job or its traces', async () => {
    const response = await get('/api/jobs/billing/emails/42');
    expect(response.status).toBe(200);
    const detail = (await response.json()) as ApiJobDetail;
    expect(detail.attempts).toEqual([first, second, third]);
    expect(detail.job).toMatchObject({ jobId: '42', attempts: 3, lastOutcome: 'completed' });
    expect(detail.findings.map((f) => f.id).sort()).toEqual([aboutTheJob.id, aboutItsTrace.id].sort());
    expect(detail.findings.find((f) => f.id === aboutTheJob.id)).toMatchObject({
      type: 'runaway_retries',
      state: 'open',
      summary: 'send-email 42 retried twice',
    });
    expect(detail.live).toBeUndefined();
  });

  it(`lists a long-retried job's newest ${MAX_JOB_ATTEMPTS} attempts and counts them all, on the API and the page`, async () => {
    const retried = Array.from({ length: MAX_JOB_ATTEMPTS + 5 }, (_, i) =>
      makeHistoryAttempt({ jobId: 'poison-1', attempt: i + 1, endMs: NOW - 200 * MINUTE + i * MINUTE }),
    );
    await history.append(retried);

    const detail = (await (await get('/api/jobs/billing/emails/poison-1')).json()) as ApiJobDetail;
    expect(detail.attempts).toHaveLength(MAX_JOB_ATTEMPTS);
    expect(detail.attempts[0].attempt).toBe(6);
    expect(detail.job).toMatchObject({
      attempts: MAX_JOB_ATTEMPTS + 5,
      lastAttempt: MAX_JOB_ATTEMPTS + 5,
      firstStartMs: retried[0].startMs,
    });
    const page = await (await get('/jobs/billing/emails/poison-1')).text();
    expect(page).toContain(`${MAX_JOB_ATTEMPTS + 5} finished attempts`);
    expect(page).toMatch(new RegExp(`The newest \\d+ of ${MAX_JOB_ATTEMPTS + 5} attempts`));
  });

  it('answers an unknown job with a 404 that names it', async () => {
    const response = await get('/api/jobs/billing/emails/43');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no job 43 on queue emails of service billing' });
  });

  it("adds the model's running attempt, and the finished one history has not stored yet", async () => {
    const resource = makeResource({ service: 'billing', worker: 'worker-3', host: 'host-c' });
    const stored = makeHistoryAttempt({
      jobId: 'live-1',
      attempt: 1,
      endMs: NOW - 3 * MINUTE,
      outcome: 'failed',
    });
    await history.append([stored]);
    const unstored = makeAttemptSpan({
      resource,
      queue: 'emails',
      jobName: 'send-email',
      jobId: 'live-1',
      attempt: 2,
      outcome: 'retry_scheduled',
      errorType: 'SmtpError',
      startMs: NOW - 2 * MINUTE,
      durationMs: 30_000,
    });
    const running = makeAttemptSpan({
      resource,
      queue: 'emails',
      jobName: 'send-email',
      jobId: 'live-1',
      attempt: 3,
      startMs: NOW - MINUTE,
    });
    model.ingestSpans([
      makeStepSpan({
        parent: unstored,
        name: 'render',
        startMs: NOW - 2 * MINUTE,
        endMs: NOW - 2 * MINUTE + 500,
      }),
      unstored,
    ]);
    model.ingestLogs([
      makeJobLog({ kind: 'started', attempt: running, timeMs: NOW - MINUTE }),
      makeJobLog({
        kind: 'still_running',
        attempt: running,
        timeMs: NOW - 10_000,
        elapsedSeconds: 50,
        silenceSeconds: 40,
        currentStep: 'deliver',
      }),
    ]);
    const detail = (await (await get('/api/jobs/billing/emails/live-1')).json()) as ApiJobDetail;
    expect(detail.attempts.map((a) => [a.attempt, a.outcome, a.worker])).toEqual([
      [1, 'failed', 'worker-1'],
      [2, 'retry_scheduled', 'worker-3'],
    ]);
    expect(detail.attempts[1]).toMatchObject({ traceId: unstored.traceId, steps: [{ name: 'render' }] });
    expect(detail.job).toMatchObject({ attempts: 2, lastOutcome: 'retry_scheduled' });
    expect(detail.live).toMatchObject({ attempt: 3, worker: 'worker-3', traceId: running.traceId });

    const page = await (await get('/jobs/billing/emails/live-1')).text();
    expect(page).toContain('Running now');
    expect(page).toContain('Attempt 3 on <code>worker-3</code>');
  });
});

describe('the Jobs page', () => {
  it('shows the filter form, the matching jobs linked to their pages, and a next-page link that keeps the filters', async () => {
    const response = await get('/jobs?queue=maintenance&limit=25');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).toContain('<a href="/jobs" class="current">Jobs</a>');
    expect(page).toContain('<input type="text" name="queue" value="maintenance">');
    expect(page.match(/<tr data-outcome=/g)).toHaveLength(25);
    expect(page).toContain('<a href="/jobs/billing/maintenance/job-59">cleanup</a>');
    const next = /<a id="next-page" href="([^"]+)"/.exec(page)?.[1];
    expect(next).toMatch(/^\/jobs\?queue=maintenance&amp;limit=25&amp;cursor=/);
    const second = await (await get(next!.replaceAll('&amp;', '&'))).text();
    expect(second).toContain('job-34');
    expect(second).not.toContain('job-35<');
  });

  it('escapes a job name and error made of markup and terminal escapes', async () => {
    const page = await (await get('/jobs?queue=payments')).text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>denied');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain(`href="/jobs/payments/payments/${encodeURIComponent(hostile.jobId)}"`);
  });

  it('answers a bad filter with a 400 page that says what was wrong', async () => {
    const response = await get('/jobs?outcome=%3Cscript%3E');
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('outcome must be one of');
    expect(page).toContain('got &quot;&lt;script&gt;&quot;');
  });
});

describe('the job page', () => {
  it('shows each attempt, the timeline across retries, its findings and Jaeger links to its traces', async () => {
    const page = await (await get('/jobs/billing/emails/42')).text();
    expect(page.match(/<tr data-attempt=/g)).toHaveLength(3);
    expect(page).toContain('<tr data-attempt="1" data-outcome="retry_scheduled">');
    expect(page).toContain('connection timed out');
    expect(page).toContain('12 s <code>render-&gt;deliver</code>');
    expect(page).toContain('render 1.0 s · deliver 58 s');
    expect(page).toContain('<svg class="timeline"');
    expect(page).toContain(`<a href="/findings/${aboutTheJob.id}">`);
    expect(page).not.toContain(`/findings/${aboutAnotherJob.id}`);
    expect(page).toContain(`href="${JAEGER}/trace/${third.traceId}?uiFind=${third.spanId}"`);
  });

  it('escapes the hostile job everywhere it shows, the timeline included', async () => {
    const response = await get(`/jobs/payments/payments/${encodeURIComponent(hostile.jobId)}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>denied');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('answers an unknown job with a 404 page', async () => {
    const response = await get('/jobs/billing/emails/%3Cnope%3E');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('No job &lt;nope&gt;');
  });
});

describe('a job page without Jaeger', () => {
  it('shows the trace ids to paste', async () => {
    const app = express().use(createJobsPageRouter({ history, store, view: model, now: () => NOW }));
    const bare = app.listen(0, '127.0.0.1');
    await new Promise((r) => bare.once('listening', r));
    try {
      const page = await (
        await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/jobs/billing/emails/42`)
      ).text();
      expect(page).toContain(`<td><code>${first.traceId}</code></td>`);
      expect(page).not.toContain('Jaeger');
    } finally {
      await new Promise((r) => bare.close(r));
    }
  });
});
