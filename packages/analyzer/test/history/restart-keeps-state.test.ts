import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { otlpTraceRequestJson, retryStormScenario } from '@joblens/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServe } from '../../../cli/test/run-joblens.js';
import type { Finding, FindingTransition } from '../../src/findings/finding.js';
import type { JobSummary } from '../../src/history/history-store.js';
import { type HttpReceiver, startHttpReceiver } from '../alerts/http-receiver.js';

const SERVICE = 'notify-svc';
const dataDir = mkdtempSync(join(tmpdir(), 'joblens-restart-'));
const running: ServeProcess[] = [];
let receiver: HttpReceiver | undefined;

afterAll(async () => {
  for (const serve of running) {
    serve.child.kill('SIGKILL');
    await serve.exited;
  }
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function serve(configPath: string): Promise<ServeProcess> {
  const started = await startServe([
    '--config',
    configPath,
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--otlp-port',
    '0',
  ]);
  running.push(started);
  return started;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function sendRetryStorm(otlpUrl: string): Promise<ReturnType<typeof retryStormScenario>> {
  const scenario = retryStormScenario({ nowMs: Date.now(), service: SERVICE });
  const response = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: otlpTraceRequestJson(scenario.spans),
  });
  expect(response.status).toBe(200);
  return scenario;
}

const openStorm = (apiUrl: string) => async () => {
  const { findings } = await getJson<{ findings: Finding[] }>(`${apiUrl}/api/findings?status=open`);
  return findings.find((finding) => finding.type === 'retry_storm' && finding.subject.service === SERVICE);
};

const notifyJobs = (apiUrl: string, traceIds: ReadonlySet<string>) => async () => {
  const { jobs } = await getJson<{ jobs: JobSummary[] }>(`${apiUrl}/api/jobs?name=notify&limit=100`);
  return jobs.length === traceIds.size && jobs.every((job) => traceIds.has(job.latestTraceId))
    ? jobs
    : undefined;
};

const openedAlerts = () =>
  (receiver?.requests ?? []).filter((request) => {
    const body = JSON.parse(request.body) as { kind: string; finding: Finding };
    return body.kind === 'opened' && body.finding.type === 'retry_storm';
  });

describe('an analyzer killed with -9 and started again on its data dir', () => {
  it('keeps the open finding and the history of the jobs that raised it, and alerts once', async () => {
    receiver = await startHttpReceiver();
    const configPath = join(dataDir, 'joblens.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        alerts: {
          channels: [{ name: 'ops', type: 'webhook', url: receiver.url, secret: 'restart-test-secret' }],
        },
      }),
    );

    const first = await serve(configPath);
    const before = await sendRetryStorm(first.otlpUrl);
    const finding = await waitFor(openStorm(first.apiUrl), 'the retry storm to open');
    const sentTraceIds = new Set(before.spans.filter((s) => s.parentSpanId === '').map((s) => s.traceId));
    await waitFor(notifyJobs(first.apiUrl, sentTraceIds), 'the history to hold the notify jobs');
    await waitFor(async () => (openedAlerts().length > 0 ? true : undefined), 'the opened alert');

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);

    const second = await serve(configPath);
    expect(await openStorm(second.apiUrl)()).toMatchObject({ id: finding.id, status: 'open' });
    const jobs = await getJson<{ jobs: JobSummary[] }>(`${second.apiUrl}/api/jobs?name=notify&limit=100`);
    expect(jobs.jobs.map((job) => job.latestTraceId).sort()).toEqual([...sentTraceIds].sort());

    // The storm goes on after the restart: the detector finds it again, and must take it for the same one.
    const after = await sendRetryStorm(second.otlpUrl);
    const resentTraceIds = new Set(after.spans.filter((s) => s.parentSpanId === '').map((s) => s.traceId));
    // Written a few seconds after they came: by then the analyzer evaluated several times.
    await waitFor(notifyJobs(second.apiUrl, resentTraceIds), 'the history to hold the resent jobs');
    expect(await openStorm(second.apiUrl)()).toMatchObject({ id: finding.id, status: 'open' });
    const { transitions } = await getJson<{ transitions: FindingTransition[] }>(
      `${second.apiUrl}/api/findings/${finding.id}`,
    );
    expect(transitions.filter((t) => t.from === null && t.to === 'open')).toHaveLength(1);
    expect(openedAlerts()).toHaveLength(1);
  }, 90_000);
});
