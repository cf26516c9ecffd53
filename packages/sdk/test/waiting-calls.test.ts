import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ATTR_WAITING_COUNT, ATTR_WAITING_OPERATIONS, LOG_JOB_STILL_RUNNING } from '@joblens/semconv';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
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
    const record = await waitForRecord(sdk, (log) => log.attributes[ATTR_WAITING_OPERATIONS] !== undefined);
    expect(record.attributes[ATTR_WAITING_OPERATIONS]).toEqual([`GET ${base}/rows`]);
    expect(record.attributes[ATTR_WAITING_COUNT]).toBe(1);
    hanging?.destroy();
    outside.destroy();
    await job;
    expect(sdk.errors).toEqual([]);
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
