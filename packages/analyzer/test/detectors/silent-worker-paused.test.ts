import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ensureRedis, REDIS_URL } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { type AnalyzerHandle, createAnalyzer } from '../../src/index.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const fixture = fileURLToPath(new URL('../../../sdk/test/fixtures/paused-bullmq-worker.ts', import.meta.url));

describe('a BullMQ worker paused by its program while jobs wait in its queue', () => {
  let analyzer: AnalyzerHandle;
  let worker: ChildProcess;
  let output = '';
  let finding: Finding | undefined;
  const queue = `joblens-paused-${randomUUID()}`;

  beforeAll(async () => {
    await ensureRedis();
    analyzer = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      evaluationIntervalMillis: 100,
      // Low thresholds stand in for minutes of idling: the test waits for the finding, not for a set time.
      detectors: { silent_worker: { stuckAfterSeconds: 1 } },
    });
    const urls = await analyzer.start();
    worker = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: root,
      env: {
        ...process.env,
        FIXTURE_ENDPOINT: urls.otlpUrl,
        FIXTURE_REDIS_URL: REDIS_URL,
        FIXTURE_QUEUE: queue,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    worker.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    for (let i = 0; i < 300 && finding === undefined; i++) {
      const body = (await (await fetch(`${urls.apiUrl}/api/findings?type=silent_worker`)).json()) as {
        findings: Finding[];
      };
      finding = body.findings.find((f) => f.evidence.figures.consumerState !== undefined);
      if (finding === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (finding === undefined)
      throw new Error(`no silent_worker with consumer evidence; worker said:\n${output}`);
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      // SIGTERM: the fixture removes its queue from Redis before it exits; SIGKILL if it does not.
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      const kill = setTimeout(() => worker.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    }
    await analyzer?.stop();
  }, 20_000);

  it('is reported stuck, saying its consumer is paused while its connection is ready', () => {
    expect(finding?.key).toBe(`stuck|${finding?.subject.worker}`);
    expect(finding?.subject.queue).toBe(queue);
    expect(finding?.summary).toContain(`its consumer of ${queue} is paused`);
    expect(finding?.evidence.figures).toMatchObject({ consumerState: 'paused', connection: 'ready' });
    expect(finding?.nextStep).toContain('resume it');
  });
});
