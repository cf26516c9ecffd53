import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTR_DUMP_PATH, LOG_WORKER_DUMP } from '@joblens/semconv';
import { type OtlpJsonReceiver, startOtlpJsonReceiver } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runJoblens, runJoblensInProcess } from './run-joblens.js';

const FIXTURE = fileURLToPath(new URL('./dump-worker-fixture.ts', import.meta.url));

interface Started {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns `node <args>` and resolves once its stdout has a line matching `ready`. */
function startProcess(args: string[], ready: RegExp, timeoutMillis = 60_000): Promise<Started> {
  const child = spawn(process.execPath, args, { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} was not ready in time; stderr:\n${stderr}`));
    }, timeoutMillis);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (ready.test(stdout)) {
        clearTimeout(timer);
        resolve({ child, pid: child.pid as number, stdout: () => stdout, stderr: () => stderr, exited });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node ${args.join(' ')} exited with ${code} before it was ready; stderr:\n${stderr}`));
    });
  });
}

/** A process that ignores SIGUSR2, as any Node process not instrumented with the SDK's dump handler. */
function startUninstrumented(): Promise<Started> {
  return startProcess(
    ['-e', "process.on('SIGUSR2', () => {}); console.log('ready'); setTimeout(() => {}, 30000)"],
    /ready/,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function expectOneLineError(result: CliResult, line: string | RegExp, code: number): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  if (typeof line === 'string') expect(result.stderr).toBe(`${line}\n`);
  else expect(result.stderr).toMatch(line);
}

let dir: string;
let receiver: OtlpJsonReceiver;
const started: Started[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'joblens-dump-test-'));
  receiver = await startOtlpJsonReceiver();
});

afterAll(async () => {
  for (const s of started) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('joblens dump', () => {
  it('has a running worker write a dump listing its active job, prints the path, and leaves it running', async () => {
    const worker = await startProcess(['--import', 'tsx', FIXTURE, dir, receiver.url], /ready \d+/);
    started.push(worker);
    const result = await runJoblens(['dump', String(worker.pid), '--dir', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const match = /^dump of pid (\d+) written to (.+)\n$/.exec(result.stdout);
    expect(match?.[1]).toBe(String(worker.pid));
    const path = match?.[2] as string;
    expect(path.startsWith(join(dir, `joblens-dump-${worker.pid}-`))).toBe(true);
    expect(await readdir(dir)).toContain(path.slice(dir.length + 1));

    const dump = JSON.parse(await readFile(path, 'utf8'));
    expect(dump).toMatchObject({ schema: 'joblens.dump/1', trigger: 'SIGUSR2', pid: worker.pid });
    expect(dump.activeJobs).toEqual([
      expect.objectContaining({
        queue: 'imports',
        jobName: 'long-import',
        jobId: 'job-7',
        step: 'parse-rows',
      }),
    ]);

    // The worker also reported the dump to its OTLP endpoint, naming the same file.
    const record = await receiver.waitFor(
      () => receiver.logs.find((log) => log.attributes[ATTR_DUMP_PATH] === path),
      20_000,
    );
    expect(record.eventName ?? record.attributes['event.name']).toBe(LOG_WORKER_DUMP);

    expect(isAlive(worker.pid)).toBe(true);
    worker.child.stdin.write('finish\n');
    expect(await worker.exited).toBe(0);
    expect(worker.stdout()).toContain('done');
  });

  it('says in one line that no process has the pid', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    const pid = gone.pid as number;
    await new Promise((resolve) => gone.once('exit', resolve));
    const result = await runJoblensInProcess(['dump', String(pid), '--dir', dir]);
    expectOneLineError(result, `joblens dump: no process with pid ${pid}`, 1);
  });

  it('explains in one line, after the timeout, that a process without the SDK wrote no dump', async () => {
    const plain = await startUninstrumented();
    started.push(plain);
    const result = await runJoblensInProcess([
      'dump',
      String(plain.pid),
      '--dir',
      dir,
      '--timeout-seconds',
      '1',
    ]);
    expectOneLineError(
      result,
      `joblens dump: sent SIGUSR2 to pid ${plain.pid}, but no dump appeared in ${dir} within 1 s: is it a worker instrumented with @joblens/sdk, with dumpSignal SIGUSR2 and this dumpDirectory?`,
      1,
    );
    expect(isAlive(plain.pid)).toBe(true);
    plain.child.kill('SIGKILL');
  });

  it("refuses SIGUSR1, which would open Node's inspector in the worker, without signalling it", async () => {
    const plain = await startUninstrumented();
    started.push(plain);
    const result = await runJoblensInProcess([
      'dump',
      String(plain.pid),
      '--signal',
      'SIGUSR1',
      '--dir',
      dir,
    ]);
    expectOneLineError(
      result,
      "joblens dump: SIGUSR1 starts Node's inspector in the worker; joblens dumps use SIGUSR2",
      2,
    );
    // Had the signal gone out, Node would have announced its debugger on stderr.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(plain.stderr()).not.toContain('Debugger listening');
    expect(isAlive(plain.pid)).toBe(true);
    plain.child.kill('SIGKILL');
  });

  it('asks for a process id when none or a bad one is given, with exit code 2', async () => {
    expectOneLineError(
      await runJoblensInProcess(['dump', '--dir', dir]),
      'joblens dump: expected one process id, got none',
      2,
    );
    expectOneLineError(
      await runJoblensInProcess(['dump', 'worker-3']),
      'joblens dump: expected one process id, got worker-3',
      2,
    );
    expectOneLineError(
      await runJoblensInProcess(['dump', '123', '--timeout-seconds', '0']),
      'joblens dump: --timeout-seconds must be a positive number, got 0',
      2,
    );
  });
});
