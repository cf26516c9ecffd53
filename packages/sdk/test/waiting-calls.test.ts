import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ATTR_WAITING_COUNT, ATTR_WAITING_OPERATIONS, LOG_JOB_STILL_RUNNING } from '@joblens/semconv';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

let server: Server;
let base: string;

beforeAll(async () => {
  // `/ok` answers at once; anything else is never answered.
  server = createServer((request, response) => {
    if (request.url === '/ok') response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function waitForRecord(
  sdk: InMemoryJoblens,
  matches: (log: ReadableLogRecord) => boolean,
): Promise<ReadableLogRecord> {
  for (;;) {
    const found = (await sdk.logs()).find((log) => log.eventName === LOG_JOB_STILL_RUNNING && matches(log));
    if (found) return found;
    await sleep(20);
  }
}

describe('what a silent attempt waits on', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('lists only the calls still open, not those that finished or were made outside the attempt', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50, sampling: { gapThresholdMillis: 20 } });
    const outside = get(`${base}/outside`).on('error', () => {});
    let hanging: ReturnType<typeof get> | undefined;
    const job = sdk.joblens.runAttempt(aJob(), async () => {
      await fetch(`${base}/ok`).then((response) => response.text());
      await new Promise((resolve) => {
        hanging = get(`${base}/rows`).on('error', resolve);
      });
    });
    // An early record may catch `/ok` in flight; the one that names `/rows` comes after `/ok` finished.
    const record = await waitForRecord(sdk, (log) =>
      String(log.attributes[ATTR_WAITING_OPERATIONS] ?? '').includes('/rows'),
    );
    expect(record.attributes[ATTR_WAITING_OPERATIONS]).toEqual([`GET ${base}/rows`]);
    expect(record.attributes[ATTR_WAITING_COUNT]).toBe(1);
    hanging?.destroy();
    outside.destroy();
    await job;
    expect(sdk.errors).toEqual([]);
  });

  it("leaves out the SDK's own exports, even one that started in the job's async context", async () => {
    // A collector that takes the spans and never answers: the export hangs while the job waits.
    let exportSeenAt = 0;
    const collector = createServer(() => {
      exportSeenAt ||= Date.now();
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    // Read without a flush: a flush from here would start the export outside the job's context.
    const logs = new InMemoryLogRecordExporter();
    try {
      sdk = startInMemoryJoblens({
        stillRunningIntervalMillis: 50,
        sampling: { gapThresholdMillis: 20 },
        endpoint: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
        protocol: 'http/json',
        exportTimeoutMillis: 2_000,
        spanExporter: undefined,
        logRecordExporter: logs,
      });
      let release = () => {};
      const job = sdk.joblens.runAttempt(aJob(), async (ctx) => {
        // Its span ends inside the job: the batch processor's export timer starts in the job's context.
        await ctx.step('prepare', () => {});
        await new Promise<void>((resolve) => (release = resolve));
      });
      let record: ReadableLogRecord | undefined;
      while (record === undefined) {
        await sleep(20);
        record = logs
          .getFinishedLogRecords()
          .find(
            (log) =>
              log.eventName === LOG_JOB_STILL_RUNNING &&
              exportSeenAt > 0 &&
              hrTimeToMilliseconds(log.hrTime) > exportSeenAt,
          );
      }
      expect(record.attributes[ATTR_WAITING_COUNT]).toBe(0);
      release();
      await job;
    } finally {
      collector.closeAllConnections();
      collector.close();
    }
  });

  it('says it waits on no followed call when the job waits on something else', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50, sampling: { gapThresholdMillis: 20 } });
    let release = () => {};
    const job = sdk.joblens.runAttempt(aJob(), () => new Promise<void>((resolve) => (release = resolve)));
    const record = await waitForRecord(sdk, (log) => log.attributes[ATTR_WAITING_COUNT] !== undefined);
    expect(record.attributes[ATTR_WAITING_COUNT]).toBe(0);
    expect(record.attributes[ATTR_WAITING_OPERATIONS]).toBeUndefined();
    release();
    await job;
  });

  it('adds nothing to the records of an attempt that is not silent yet', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50, sampling: { gapThresholdMillis: 60_000 } });
    let release = () => {};
    const job = sdk.joblens.runAttempt(aJob(), () => new Promise<void>((resolve) => (release = resolve)));
    const record = await waitForRecord(sdk, () => true);
    expect(record.attributes[ATTR_WAITING_COUNT]).toBeUndefined();
    release();
    await job;
  });
});
