import { type ClientRequest, request } from 'node:http';
import { spanObject, traceRequest } from '@joblens/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadShedder, resolveLoadLimits } from '../../src/http/load-shedder.js';
import { type RunningReceiver, startReceiver } from '../fixtures/start-receiver.js';

const MIB = 1024 * 1024;

interface SlowUpload {
  request: ClientRequest;
  /** Settles with the status and Retry-After of the answer, if one comes. */
  answer: Promise<{ status: number; retryAfter: string | undefined }>;
}

/** Declares `declaredBytes` of protobuf and sends only the first kilobyte: a slow (or stalled) sender. */
function startSlowUpload(url: string, declaredBytes: number): SlowUpload {
  const target = new URL(`${url}/v1/traces`);
  const req = request({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-length': declaredBytes },
  });
  const answer = new Promise<{ status: number; retryAfter: string | undefined }>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined });
    });
    req.on('error', () => resolve({ status: -1, retryAfter: undefined }));
  });
  req.write(Buffer.alloc(1024));
  return { request: req, answer };
}

/** Whether the upload is answered within `millis` (the receiver is expected to answer a shed one at once). */
function answeredWithin(upload: SlowUpload, millis: number) {
  return Promise.race([
    upload.answer,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), millis)),
  ]);
}

async function postSmallExport(url: string): Promise<number> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: traceRequest([spanObject()]),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('load shedding', () => {
  let receiver: RunningReceiver | undefined;
  const uploads: SlowUpload[] = [];
  afterEach(async () => {
    for (const upload of uploads.splice(0)) upload.request.destroy();
    await receiver?.close();
  });

  it('answers 429 with Retry-After to slow uploads past the bound on requests in flight', async () => {
    const shedder = new LoadShedder(resolveLoadLimits({ maxConcurrentRequests: 4 }));
    receiver = await startReceiver({ shedder, maxBodyBytes: 8 * MIB }, 'plain listener');
    for (let i = 0; i < 10; i++) uploads.push(startSlowUpload(receiver.url, 8 * MIB));
    const shed = uploads.slice(4).map((upload) => upload.answer);
    for (const answer of await Promise.all(shed)) expect(answer).toEqual({ status: 429, retryAfter: '1' });
    // The first four are still being received: nothing answered them.
    for (const upload of uploads.slice(0, 4)) expect(await answeredWithin(upload, 100)).toBeUndefined();
    expect(shedder.inFlightRequests).toBe(4);
    expect(shedder.shed.requests).toBe(6);
  });

  it('frees the slots of uploads whose senders went away, so a small export is accepted again', async () => {
    const shedder = new LoadShedder(resolveLoadLimits({ maxConcurrentRequests: 2 }));
    receiver = await startReceiver({ shedder }, 'plain listener');
    for (let i = 0; i < 2; i++) uploads.push(startSlowUpload(receiver.url, 4 * MIB));
    await expect.poll(() => shedder.inFlightRequests).toBe(2);
    expect(await postSmallExport(receiver.url)).toBe(429);
    for (const upload of uploads.splice(0)) upload.request.destroy();
    await expect.poll(() => shedder.inFlightRequests).toBe(0);
    expect(await postSmallExport(receiver.url)).toBe(200);
    expect(shedder.bufferedBytes).toBe(0);
  });

  it('sheds uploads whose declared bytes would pass the bound on bytes in flight', async () => {
    const shedder = new LoadShedder(resolveLoadLimits({ maxBufferedBytes: 3 * MIB }));
    receiver = await startReceiver({ shedder, maxBodyBytes: 8 * MIB }, 'plain listener');
    uploads.push(startSlowUpload(receiver.url, 2 * MIB));
    await expect.poll(() => shedder.inFlightRequests).toBe(1);
    uploads.push(startSlowUpload(receiver.url, 2 * MIB));
    expect(await uploads[1].answer).toEqual({ status: 429, retryAfter: '1' });
    expect(shedder.shed.bytes).toBe(1);
    expect(shedder.bufferedBytes).toBe(2 * MIB);
  });

  it('refuses a load limit that is not a positive integer, naming it', () => {
    expect(() => resolveLoadLimits({ maxBufferedBytes: -1 })).toThrow(
      'load limit maxBufferedBytes: expected a positive integer, got -1',
    );
  });
});
