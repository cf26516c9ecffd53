import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  ATTR_HOST_NAME,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ID,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_SILENCE,
  ATTR_LINK_TYPE,
  ATTR_MONITOR_SLUG,
  ATTR_PROCESS_PID,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_WORKER_STOP_REASON,
  attemptSpanName,
  LINK_TYPE_PREVIOUS_ATTEMPT,
  LOG_JOB_STARTED,
  LOG_JOB_STILL_RUNNING,
  LOG_WORKER_STOPPED,
  METRIC_JOB_OUTCOMES,
  METRIC_WORKER_HEARTBEATS,
} from '@joblens/semconv';
import { type OtlpJsonReceiver, type ReceivedLog, startOtlpJsonReceiver } from '@joblens/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Joblens, JoblensOptions } from '../src/interfaces.js';
import { startJoblens } from '../src/start-joblens.js';
import { sleep } from './support/in-memory-joblens.js';

/** The `worker stopped` records received: the stop reason of each. */
function stopReasons(logs: readonly ReceivedLog[]): unknown[] {
  return logs
    .filter((log) => log.eventName === LOG_WORKER_STOPPED)
    .map((log) => log.attributes[ATTR_WORKER_STOP_REASON]);
}

const PRODUCER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const producerCarrier = { traceparent: `00-${PRODUCER_TRACE}-b7ad6b7169203331-01` };

function startAgainst(url: string, options: JoblensOptions = {}): Joblens {
  return startJoblens({
    serviceName: 'integration-worker',
    endpoint: url,
    protocol: 'http/json',
    flushOnSignals: false,
    dumpSignal: false,
    watchdog: { enabled: false },
    onError: () => {},
    ...options,
  });
}

describe('exporting to a real OTLP/HTTP receiver', () => {
  let receiver: OtlpJsonReceiver;
  let joblens: Joblens | undefined;
  beforeEach(async () => {
    receiver = await startOtlpJsonReceiver();
  });
  afterEach(async () => {
    await joblens?.shutdown();
    joblens = undefined;
    await receiver.close();
  });

  it('shows a job that fails twice and then succeeds as three linked attempts in one trace', async () => {
    // Every attempt's records at once: this test follows the records of quick retries.
    joblens = startAgainst(receiver.url, { startedRecordDelayMillis: 0 });
    let previous: { traceId: string; spanId: string } | undefined;
    let result: string | undefined;
    for (let attempt = 1; attempt <= 3 && result === undefined; attempt++) {
      result = await joblens
        .runAttempt(
          {
            queue: 'payments',
            jobName: 'charge',
            jobId: 'pay-9',
            attempt,
            maxAttempts: 5,
            producerCarrier,
            previousAttempt: previous,
          },
          (job) => {
            previous = { traceId: job.traceId, spanId: job.spanId };
            if (attempt < 3) throw new Error(`card declined ${attempt}`);
            return 'charged';
          },
        )
        .catch(() => undefined);
    }
    expect(result).toBe('charged');
    await joblens.forceFlush();

    const attempts = await receiver.waitFor(() => {
      const found = receiver.spans.filter((s) => s.name === attemptSpanName('payments'));
      return found.length === 3 && found;
    });
    attempts.sort((a, b) => Number(a.attributes[ATTR_JOB_ATTEMPT]) - Number(b.attributes[ATTR_JOB_ATTEMPT]));
    expect(attempts.map((s) => s.attributes[ATTR_JOB_OUTCOME])).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'completed',
    ]);
    expect(new Set(attempts.map((s) => s.traceId))).toEqual(new Set([PRODUCER_TRACE]));
    expect(attempts.map((s) => s.attributes[ATTR_JOB_ID])).toEqual(['pay-9', 'pay-9', 'pay-9']);
    for (let i = 1; i < 3; i++) {
      const link = attempts[i].links.find((l) => l.attributes[ATTR_LINK_TYPE] === LINK_TYPE_PREVIOUS_ATTEMPT);
      expect(link?.spanId).toBe(attempts[i - 1].spanId);
    }
    expect(attempts[0].resource).toMatchObject({
      [ATTR_SERVICE_NAME]: 'integration-worker',
      [ATTR_SERVICE_INSTANCE_ID]: joblens.serviceInstanceId,
      [ATTR_PROCESS_PID]: process.pid,
    });
    expect(attempts[0].resource[ATTR_HOST_NAME]).toEqual(expect.any(String));
    const started = await receiver.waitFor(
      () => receiver.logs.filter((l) => l.eventName === LOG_JOB_STARTED).length === 3,
    );
    expect(started).toBe(true);
  });

  it('delivers still-running records for a hanging step before its attempt span ends', async () => {
    joblens = startAgainst(receiver.url, { stillRunningIntervalMillis: 100 });
    let release: () => void = () => {};
    const running = joblens.runAttempt(
      { queue: 'imports', jobName: 'import-csv', jobId: 'imp-1' },
      async (job) => {
        await job.step('download', () => sleep(5));
        await job.step('parse', () => new Promise<void>((resolve) => (release = resolve)));
      },
    );

    const records = await receiver.waitFor(() => {
      const found = receiver.logs.filter((l) => l.eventName === LOG_JOB_STILL_RUNNING);
      return found.length >= 3 && found;
    });
    // The finished step is exported on the next batch; the attempt span is still open.
    const download = await receiver.waitFor(() => receiver.spans.find((s) => s.name === 'download'));
    expect(receiver.spans.some((s) => s.name === attemptSpanName('imports'))).toBe(false);
    for (const record of records) {
      expect(record.attributes[ATTR_JOB_CURRENT_STEP]).toBe('parse');
      expect(record.body).toBe('still running');
      expect(record.traceId).toBe(download.traceId);
    }
    const silences = records.map((r) => Number(r.attributes[ATTR_JOB_SILENCE]));
    expect(silences[silences.length - 1]).toBeGreaterThan(silences[0]);

    release();
    await running;
    await joblens.forceFlush();
    await receiver.waitFor(() => receiver.spans.some((s) => s.name === attemptSpanName('imports')));
  });

  it('exports heartbeats and outcomes as metrics', async () => {
    joblens = startAgainst(receiver.url, { metricExportIntervalMillis: 200 });
    await joblens.runAttempt({ queue: 'q', jobName: 'n', jobId: '1' }, () => 1);
    const outcomes = await receiver.waitFor(() =>
      receiver.metrics.find((m) => m.name === METRIC_JOB_OUTCOMES),
    );
    expect(outcomes.points[0].value).toBe(1);
    const beats = await receiver.waitFor(() => {
      const values = receiver.metrics
        .filter((m) => m.name === METRIC_WORKER_HEARTBEATS)
        .map((m) => m.points[0]?.value ?? 0);
      return values.length >= 3 && values;
    });
    expect(beats[beats.length - 1]).toBeGreaterThanOrEqual(beats[0] + 2);
  });

  it('sends protobuf unless told otherwise', async () => {
    joblens = startJoblens({
      endpoint: receiver.url,
      flushOnSignals: false,
      dumpSignal: false,
      watchdog: { enabled: false },
      onError: () => {},
    });
    await joblens.runAttempt({ queue: 'q', jobName: 'n', jobId: '1' }, () => 1);
    await joblens.forceFlush();
    const request = await receiver.waitFor(() => receiver.requests.find((r) => r.path === '/v1/traces'));
    expect(request.contentType).toBe('application/x-protobuf');
  });
});

describe('an unreachable or unresponsive collector', () => {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  async function closedPortUrl(): Promise<string> {
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return `http://127.0.0.1:${port}`;
  }

  async function silentServerUrl(): Promise<string> {
    // Accepts connections and never answers: the worst case for a worker's shutdown.
    const server = createTcpServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it.each([
    ['refuses connections', closedPortUrl],
    ['never answers', silentServerUrl],
  ])(
    'never gets in the way of jobs when the collector %s, and shutdown stays bounded',
    async (_what, makeUrl) => {
      const errors: Error[] = [];
      const exportTimeoutMillis = 500;
      const joblens = startJoblens({
        endpoint: await makeUrl(),
        exportTimeoutMillis,
        metricExportIntervalMillis: 200,
        flushOnSignals: false,
        dumpSignal: false,
        watchdog: { enabled: false },
        onError: (error) => errors.push(error),
      });
      const results: string[] = [];
      for (let i = 0; i < 20; i++) {
        results.push(
          await joblens.runAttempt({ queue: 'q', jobName: 'n', jobId: String(i) }, (job) =>
            job.step('work', () => `result-${i}`),
          ),
        );
      }
      await expect(
        joblens.runAttempt({ queue: 'q', jobName: 'n', jobId: 'bad' }, () =>
          Promise.reject(new Error('job error')),
        ),
      ).rejects.toThrow('job error');
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `result-${i}`));

      const startedAt = Date.now();
      await joblens.forceFlush();
      await joblens.shutdown();
      // Bounded by the export timeout plus a grace second, whatever the collector does.
      expect(Date.now() - startedAt).toBeLessThan(2 * (exportTimeoutMillis + 1000) + 1000);
      expect(errors.length).toBeGreaterThan(0);
      await joblens.shutdown(); // idempotent
    },
  );
});

describe('flushing on SIGTERM', () => {
  async function runSignalWorker(receiverUrl: string, mode: string): Promise<number | null> {
    const worker = fileURLToPath(new URL('./support/signal-worker.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', worker, receiverUrl, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  }

  it('exports what the worker has and exits with 128 + the signal number', async () => {
    const receiver = await startOtlpJsonReceiver();
    try {
      expect(await runSignalWorker(receiver.url, 'alone')).toBe(143);
      expect(receiver.spans.map((s) => s.attributes[ATTR_JOB_ID])).toContain('sig-1');
      expect(stopReasons(receiver.logs)).toEqual(['signal']);
    } finally {
      await receiver.close();
    }
  });

  it('only flushes when the worker handles the signal itself, so jobs during its close are exported too', async () => {
    const receiver = await startOtlpJsonReceiver();
    try {
      expect(await runSignalWorker(receiver.url, 'own-handler')).toBe(0);
      const ids = receiver.spans.map((s) => s.attributes[ATTR_JOB_ID]);
      expect(ids).toContain('sig-1');
      expect(ids).toContain('sig-2');
      // The worker's own handler called shutdown() after its close.
      expect(stopReasons(receiver.logs)).toEqual(['shutdown']);
    } finally {
      await receiver.close();
    }
  });
});

describe('a cron script', () => {
  it('exports its run and then lets the process end by itself, even without shutdown()', async () => {
    const receiver = await startOtlpJsonReceiver();
    try {
      const script = fileURLToPath(new URL('./support/cron-script.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', script, receiver.url], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) =>
        child.once('exit', (exitCode) => resolve(exitCode)),
      );
      expect(code).toBe(0);
      expect(stdout).toContain('deleted 17');
      const run = receiver.spans.find((s) => s.attributes[ATTR_JOB_NAME] === 'nightly-cleanup');
      expect(run?.attributes[ATTR_MONITOR_SLUG]).toBe('nightly-cleanup');
      expect(receiver.spans.some((s) => s.name === 'delete-old-rows')).toBe(true);
      // Ending by itself is a deliberate stop too: the analyzer must not wait for its heartbeats.
      expect(stopReasons(receiver.logs)).toEqual(['exit']);
    } finally {
      await receiver.close();
    }
  });
});
