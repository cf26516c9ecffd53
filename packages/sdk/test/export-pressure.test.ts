import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_WORKER_HEARTBEATS } from '@joblens/semconv';
import { describe, expect, it } from 'vitest';
import { startJoblens } from '../src/start-joblens.js';
import { sleep } from './support/in-memory-joblens.js';

async function freePort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('under export pressure', () => {
  it('drops spans beyond maxQueueSize, reports the drops, and never slows the jobs', async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const errors: Error[] = [];
    const joblens = startJoblens({
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      maxQueueSize: 8,
      exportTimeoutMillis: 300,
      flushOnSignals: false,
      dumpSignal: false,
      watchdog: { enabled: false },
      onError: (error) => errors.push(error),
    });
    try {
      for (let i = 0; i < 40; i++) {
        expect(
          await joblens.runAttempt({ queue: 'q', jobName: 'n', jobId: String(i) }, (job) =>
            job.step('s', () => i),
          ),
        ).toBe(i);
      }
      await sleep(1500); // the stuck export times out and the buffer drains
      await joblens.runAttempt({ queue: 'q', jobName: 'n', jobId: 'after' }, () => 1);
      expect(errors.some((e) => /Dropped \d+ spans because maxQueueSize reached/.test(e.message))).toBe(true);
    } finally {
      await joblens.shutdown();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('the optional Prometheus endpoint', () => {
  it('serves the worker metrics for scraping, each series labelled with the worker it came from', async () => {
    const port = await freePort();
    const joblens = startJoblens({
      endpoint: 'http://127.0.0.1:9', // nothing listens: OTLP export fails quietly
      exportTimeoutMillis: 300,
      prometheusPort: port,
      flushOnSignals: false,
      dumpSignal: false,
      watchdog: { enabled: false },
      onError: () => {},
    });
    try {
      await joblens.runAttempt({ queue: 'q', jobName: 'n', jobId: '1' }, () => 1);
      const text = await (async () => {
        for (let i = 0; i < 50; i++) {
          try {
            return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          } catch {
            await sleep(50);
          }
        }
        throw new Error('the Prometheus endpoint never answered');
      })();
      expect(text).toContain(`${METRIC_WORKER_HEARTBEATS.replaceAll('.', '_')}_total`);
      expect(text).toContain('joblens_job_outcomes_total');
      const outcomes = text.split('\n').find((line) => line.startsWith('joblens_job_outcomes_total{'));
      expect(outcomes).toContain(`service_instance_id="${joblens.serviceInstanceId}"`);
      expect(outcomes).toMatch(/host_name="[^"]+"/);
      expect(outcomes).toMatch(/service_name="[^"]+"/);
    } finally {
      await joblens.shutdown();
    }
  });
});

describe('dump()', () => {
  it('delegates to the dump writer and resolves with the file it wrote', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'joblens-core-dump-'));
    const joblens = startJoblens({
      endpoint: 'http://127.0.0.1:9',
      exportTimeoutMillis: 300,
      dumpDirectory: directory,
      flushOnSignals: false,
      dumpSignal: false,
      watchdog: { enabled: false },
      onError: () => {},
    });
    const stderrWrite = process.stderr.write;
    try {
      process.stderr.write = (() => true) as typeof process.stderr.write;
      const path = await joblens.dump('test');
      process.stderr.write = stderrWrite;
      expect(path?.startsWith(directory)).toBe(true);
      expect(JSON.parse(await readFile(String(path), 'utf8'))).toBeTypeOf('object');
    } finally {
      process.stderr.write = stderrWrite;
      await joblens.shutdown();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
