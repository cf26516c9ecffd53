import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/dump-worker.ts', import.meta.url));

let directory: string | undefined;
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

function startFixture(dumpDirectory: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, '--api-token=hunter2-do-not-leak'], {
    cwd: root,
    env: {
      ...process.env,
      FIXTURE_DUMP_DIR: dumpDirectory,
      JOBLENS_TEST_DB_PASSWORD: 'hunter2-do-not-leak',
      JOBLENS_TEST_PLAIN_SETTING: 'visible-value',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('a dump on SIGUSR2', () => {
  it('writes a file with the running job and lets the worker carry on and exit 0', async () => {
    directory = await mkdtemp(join(tmpdir(), 'joblens-dump-signal-'));
    const dumps = join(directory, 'dumps');
    const worker = startFixture(dumps);
    await expect.poll(() => worker.stdout(), { timeout: 20_000 }).toMatch(/job running [0-9a-f]{32}/);
    const traceId = /job running ([0-9a-f]{32})/.exec(worker.stdout())![1];

    worker.child.kill('SIGUSR2');
    const prefix = `joblens-dump-${worker.child.pid}-`;
    await expect
      .poll(async () => (await readdir(dumps).catch(() => [])).filter((f) => f.startsWith(prefix)), {
        timeout: 10_000,
      })
      .toHaveLength(1);
    const [file] = (await readdir(dumps)).filter((f) => f.startsWith(prefix));
    const path = join(dumps, file);
    await expect.poll(() => worker.stderr()).toContain(`joblens: dump written to ${path}`);

    const text = await readFile(path, 'utf8');
    const dump = JSON.parse(text);
    expect(dump.trigger).toBe('SIGUSR2');
    expect(dump.pid).toBe(worker.child.pid);
    expect(dump.activeJobs).toHaveLength(1);
    expect(dump.activeJobs[0]).toMatchObject({
      jobId: 'job-7',
      jobName: 'long-job',
      queue: 'fixture-queue',
      step: 'wait-for-finish',
      traceId,
    });
    expect(dump.activeJobs[0].elapsedSeconds).toBeGreaterThan(0);
    expect(dump.heap.used_heap_size).toBeGreaterThan(0);
    expect(dump.activeResources.total).toBeGreaterThan(0);
    expect(dump.report.header.processId).toBe(worker.child.pid);
    expect(dump.report.environmentVariables.JOBLENS_TEST_DB_PASSWORD).toBe('[redacted]');
    expect(dump.report.environmentVariables.JOBLENS_TEST_PLAIN_SETTING).toBe('visible-value');
    expect(text).not.toContain('hunter2-do-not-leak');
    expect((await stat(dumps)).mode & 0o777).toBe(0o700);

    // Still alive and working: the job finishes when told to, then the process exits cleanly.
    expect(worker.child.exitCode).toBeNull();
    worker.child.stdin.write('finish\n');
    expect(await worker.exited).toBe(0);
    expect(worker.stdout()).toContain('job done');
  });
});
