import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnalyzerHandle, type AnalyzerUrls, createAnalyzer } from '@joblens/analyzer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBLENS_COMMAND, runJoblensInProcess } from './run-joblens.js';

let dataDir: string;
let analyzer: AnalyzerHandle;
let urls: AnalyzerUrls;

interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function joblensRun(
  args: string[],
  options: { onStart?: (pid: number) => void; url?: string; urlFlag?: '--url' | '--endpoint' } = {},
): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        ...JOBLENS_COMMAND,
        'run',
        options.urlFlag ?? '--url',
        options.url ?? urls.apiUrl,
        '--otlp-endpoint',
        urls.otlpUrl,
        '--service',
        'cron-host',
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (stderr.includes('READY')) options.onStart?.(child.pid as number);
    });
    child.on('close', (code) => done({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

interface Ping {
  type: string;
  runId?: string;
  source: string;
  body: string | null;
}

interface MonitorDetail {
  monitor: { state: string; down: { reason: string; exitCode?: number } | null };
  pings: Ping[];
}

async function monitor(slug: string): Promise<MonitorDetail> {
  return (await (await fetch(`${urls.apiUrl}/api/monitors/${slug}`)).json()) as MonitorDetail;
}

/** Waits until the attempt span `joblens run` recorded has reached the analyzer (it checks in as telemetry). */
async function telemetryPing(slug: string): Promise<Ping | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    // The `job started` log record arrives as telemetry too; the span is the one that ends the run.
    const ping = (await monitor(slug)).pings.find((p) => p.source === 'telemetry' && p.type !== 'start');
    if (ping || Date.now() > deadline) return ping;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'joblens-run-'));
  const monitors = ['ok-job', 'failing-job', 'killed-job', 'stopped-job', 'alias-job'].map((slug) => ({
    slug,
    periodSeconds: 3600,
    graceSeconds: 60,
  }));
  analyzer = createAnalyzer({ port: 0, otlpPort: 0, dataDir, monitors });
  urls = await analyzer.start();
});

afterAll(async () => {
  await analyzer?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// Byte-exact passthrough: invalid UTF-8, a NUL and no trailing newline must arrive unchanged.
const RAW_OUTPUT = 'process.stdout.write(Buffer.from([0x68, 0x69, 0x00, 0xff, 0xfe, 0x0a, 0x21]))';

describe('joblens run against a live analyzer', () => {
  it('passes output and exit codes through and checks in: success, failure, killed by a signal', async () => {
    const [ok, failing, killed] = await Promise.all([
      joblensRun(['--monitor', 'ok-job', '--', process.execPath, '-e', RAW_OUTPUT]),
      joblensRun([
        '--monitor',
        'failing-job',
        '--',
        process.execPath,
        '-e',
        'console.log("step 1 done"); console.error("disk full"); process.exit(3)',
      ]),
      joblensRun([
        '--monitor',
        'killed-job',
        '--',
        process.execPath,
        '-e',
        'process.kill(process.pid, "SIGKILL")',
      ]),
    ]);

    expect(ok.code).toBe(0);
    expect(ok.stdout.equals(Buffer.from([0x68, 0x69, 0x00, 0xff, 0xfe, 0x0a, 0x21]))).toBe(true);
    expect(ok.stderr).toBe('');
    const okMonitor = await monitor('ok-job');
    expect(okMonitor.monitor.state).toBe('up');
    const [start, success] = okMonitor.pings.filter((p) => p.source === 'http');
    expect([start.type, success.type]).toEqual(['start', 'success']);
    expect(start.runId).toMatch(/^[0-9a-f]{16}$/);
    expect(success.runId).toBe(start.runId);
    // The span's id is the run id, so the span ends the same run rather than counting a second check-in.
    expect((await telemetryPing('ok-job'))?.runId).toBe(start.runId);

    expect(failing.code).toBe(3);
    expect(failing.stdout.toString()).toBe('step 1 done\n');
    expect(failing.stderr).toBe('disk full\n');
    const failed = await monitor('failing-job');
    expect(failed.monitor.state).toBe('down');
    expect(failed.monitor.down).toMatchObject({ reason: 'failed', exitCode: 3 });
    const failure = failed.pings.find((p) => p.type === 'failure') as Ping;
    expect(failure.body).toContain('step 1 done\n');
    expect(failure.body).toContain('disk full\n');
    const failedSpan = await telemetryPing('failing-job');
    expect(failedSpan).toMatchObject({ type: 'failure', runId: failure.runId });

    expect(killed.code).toBe(128 + 9);
    expect((await monitor('killed-job')).monitor.down).toMatchObject({ reason: 'failed', exitCode: 137 });
  });

  it('forwards SIGTERM to the command and exits as it did', async () => {
    const result = await joblensRun(
      [
        '--monitor',
        'stopped-job',
        '--',
        process.execPath,
        '-e',
        'console.error("READY"); setTimeout(() => {}, 60000)',
      ],
      { onStart: (pid) => process.kill(pid, 'SIGTERM') },
    );
    expect(result.code).toBe(128 + 15);
    expect((await monitor('stopped-job')).monitor.down).toMatchObject({ exitCode: 143 });
  });

  it('still runs the command and returns its exit code when the analyzer is away, with one warning line', async () => {
    const result = await joblensRun(
      ['--monitor', 'ok-job', '--', process.execPath, '-e', 'console.log("ran"); process.exit(5)'],
      { url: 'http://127.0.0.1:9' },
    );
    expect(result.code).toBe(5);
    expect(result.stdout.toString()).toBe('ran\n');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot reach the analyzer');
  });

  it('checks in through --endpoint, the former name of --url', async () => {
    const result = await joblensRun(['--monitor', 'alias-job', '--', process.execPath, '-e', ''], {
      urlFlag: '--endpoint',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const pings = (await monitor('alias-job')).pings.filter((p) => p.source === 'http');
    expect(pings.map((p) => p.type)).toEqual(['start', 'success']);
  });

  it('refuses --url and --endpoint with different URLs in one line, with exit code 2', async () => {
    const result = await runJoblensInProcess([
      'run',
      '--url',
      urls.apiUrl,
      '--endpoint',
      'http://127.0.0.1:9',
      '--monitor',
      'ok-job',
      '--',
      'true',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('joblens run: --endpoint is the old name of --url; give one of them\n');
  });

  it('says in one line that a command does not exist and exits 127', async () => {
    const result = await joblensRun(['--monitor', 'ok-job', '--', 'no-such-command-joblens']);
    expect(result.code).toBe(127);
    expect(result.stderr).toBe('joblens run: command not found: no-such-command-joblens\n');
  });
});
