import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '@joblens/analyzer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBLENS_COMMAND } from './run-joblens.js';

let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;
/** The analyzer's clock runs this far ahead of the wall clock: the test moves time without waiting. */
let aheadMs = 0;

interface FindingRow {
  type: string;
  status: string;
  key: string;
  subject: { service?: string; worker?: string };
}

async function findings(): Promise<FindingRow[]> {
  const body = (await (await fetch(`${urls.apiUrl}/api/findings`)).json()) as { findings: FindingRow[] };
  return body.findings;
}

function joblensRun(slug: string): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        ...JOBLENS_COMMAND,
        'run',
        '--monitor',
        slug,
        '--url',
        urls.apiUrl,
        '--otlp-endpoint',
        urls.otlpUrl,
        '--service',
        'cron-host',
        '--',
        process.execPath,
        '-e',
        'console.log("cleaned")',
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    child.on('close', (code) => done(code));
  });
}

async function until<T>(what: string, read: () => T | undefined, timeoutMillis = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function workersOf(service: string) {
  return [...analyzer.model.workerStates()].filter((worker) => worker.service === service);
}

beforeAll(async () => {
  analyzer = createAnalyzer(
    {
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      // Every minute, with a grace that outlasts the test's two minutes: the monitor is not what is tested.
      monitors: [{ slug: 'minutely-cleanup', periodSeconds: 60, graceSeconds: 600 }],
      evaluationIntervalMillis: 3_600_000,
    },
    { clock: () => Date.now() + aheadMs },
  );
  urls = await analyzer.start();
});

afterAll(async () => {
  await analyzer?.stop();
});

describe('cron runs through joblens run', () => {
  it('leave no finding two minutes later, while a worker killed with SIGKILL is reported gone', async () => {
    for (let run = 0; run < 3; run++) expect(await joblensRun('minutely-cleanup')).toBe(0);
    // Each run is its own short-lived worker, which beat once (its final flush) and announced its stop.
    const runs = await until('the three runs to be seen stopped', () => {
      const seen = workersOf('cron-host');
      return seen.length === 3 && seen.every((worker) => worker.stoppedMs !== undefined) ? seen : undefined;
    });
    expect(runs.every((worker) => worker.lastHeartbeatMs !== undefined)).toBe(true);

    const fixture = fileURLToPath(new URL('./heartbeat-worker-fixture.ts', import.meta.url));
    const worker = spawn(process.execPath, ['--import', 'tsx', fixture, urls.otlpUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    try {
      const killed = await until('the worker to beat twice', () =>
        workersOf('cron-host').find((w) => w.stoppedMs === undefined && w.heartbeatIntervalMs !== undefined),
      );
      worker.kill('SIGKILL');
      await exited;

      aheadMs += 120_000;
      await analyzer.evaluateNow();
      const open = (await findings()).filter((finding) => finding.status === 'open');
      expect(open.map((finding) => `${finding.type} ${finding.key}`)).toEqual([
        `silent_worker gone|${killed.worker}`,
      ]);

      // Prometheus sees the same: the stopped runs have no heartbeat age to alert on, only their stop.
      const metrics = await (await fetch(`${urls.apiUrl}/metrics`)).text();
      const ages = metrics
        .split('\n')
        .filter((line) => line.startsWith('joblens_worker_heartbeat_age_seconds{'));
      expect(ages).toEqual([expect.stringContaining(`worker="${killed.worker}"`)]);
      // The API says so too, for the workers page.
      const api = (await (await fetch(`${urls.apiUrl}/api/workers`)).json()) as {
        workers: { worker: string; stoppedMs?: number }[];
      };
      expect(api.workers.filter((w) => w.stoppedMs !== undefined)).toHaveLength(3);
      expect(api.workers.find((w) => w.worker === killed.worker)?.stoppedMs).toBeUndefined();
      const stops = metrics
        .split('\n')
        .filter((line) => line.startsWith('joblens_worker_stopped_timestamp_seconds{'));
      expect(stops).toHaveLength(3);
    } finally {
      worker.kill('SIGKILL');
    }
  }, 60_000);
});
