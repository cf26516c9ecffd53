import { type OtlpJsonReceiver, startOtlpJsonReceiver } from '@joblens/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentHandler } from '../src/adapters/generic/index.js';
import { checkpoint, step } from '../src/attempt/attempt-storage.js';
import type { Joblens, JoblensOptions } from '../src/interfaces.js';
import { startJoblens } from '../src/start-joblens.js';

let receiver: OtlpJsonReceiver;
const started: Joblens[] = [];

/** A real SDK exporting OTLP/JSON to a real local receiver, with the process-wide parts off. */
function start(options: JoblensOptions = {}): Joblens {
  const joblens = startJoblens({
    serviceName: 'guard-test',
    endpoint: receiver.url,
    protocol: 'http/json',
    metricExportIntervalMillis: 100,
    flushOnSignals: false,
    dumpSignal: false,
    watchdog: { enabled: false },
    ...options,
  });
  started.push(joblens);
  return joblens;
}

beforeEach(async () => {
  receiver = await startOtlpJsonReceiver();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const joblens of started.splice(0)) await joblens.shutdown();
  await receiver.close();
});

describe('OTEL_SDK_DISABLED=true', () => {
  it('runs jobs through the handle and the adapters untouched and exports nothing', async () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'TRUE');
    const joblens = start();
    const result = await joblens.runAttempt({ queue: 'emails', jobName: 'send', jobId: '1' }, async (job) => {
      job.checkpoint('half');
      return job.step('render', () => 'rendered');
    });
    expect(result).toBe('rendered');

    const failure = new Error('smtp refused');
    const handler = instrumentHandler(joblens, { queue: 'emails' }, async (to: string) => {
      checkpoint('picked', { to });
      await step('send', () => undefined);
      throw failure;
    });
    await expect(handler('ann')).rejects.toBe(failure);

    await joblens.forceFlush();
    // Longer than the metric interval: a running SDK would have sent heartbeats by now.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await joblens.shutdown();
    expect(receiver.requests).toEqual([]);
  });

  it('exports as usual when the variable is anything but true', async () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'false');
    const joblens = start();
    await joblens.runAttempt({ queue: 'emails', jobName: 'send', jobId: '2' }, () => 'done');
    await joblens.forceFlush();
    await receiver.waitFor(() => receiver.spans.find((span) => span.attributes['joblens.job.id'] === '2'));
  });
});

describe('a second startJoblens in one process', () => {
  it('warns once and returns the running instance', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const first = start();
      expect(start({ serviceName: 'other-name' })).toBe(first);
      expect(start()).toBe(first);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      const ours = warnings.filter((w) => (w as { code?: string }).code === 'JOBLENS_ALREADY_STARTED');
      expect(ours).toHaveLength(1);
      expect(ours[0].message).toContain(first.serviceInstanceId);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('starts a fresh instance once the running one is shut down', async () => {
    const first = start();
    await first.shutdown();
    const second = start();
    expect(second).not.toBe(first);
    await second.runAttempt({ queue: 'emails', jobName: 'send', jobId: '3' }, () => 'done');
    await second.forceFlush();
    await receiver.waitFor(() => receiver.spans.find((span) => span.attributes['joblens.job.id'] === '3'));
  });

  it('lets instances with their own serviceInstanceId run side by side', () => {
    const a = start({ serviceInstanceId: 'worker-a' });
    const b = start({ serviceInstanceId: 'worker-b' });
    expect(b).not.toBe(a);
  });
});
