import { otlpType } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawTag } from '../fixtures/proto-bytes.js';
import { type RunningReceiver, startReceiver } from '../fixtures/start-receiver.js';

/** The bytes of `value` as a protobuf varint. */
function varintBytes(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

/** An ExportTraceServiceRequest whose first resource_spans claims `length` bytes, followed by a few. */
function bodyClaiming(length: bigint): Buffer {
  return Buffer.concat([rawTag(1, 2, ...varintBytes(length)), Buffer.from([0x0a, 0x00, 0x0a, 0x00])]);
}

async function postTraces(url: string, body: Buffer): Promise<{ status: number; message: string }> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const status = otlpType('RpcStatus').toObject(otlpType('RpcStatus').decode(bytes)) as { message?: string };
  return { status: response.status, message: status.message ?? '' };
}

describe('length varints a hostile sender writes', () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startReceiver({}, 'plain listener');
  });
  afterAll(() => receiver.close());

  it('refuses a length of 2^63 with 400 instead of reading it as an empty field', async () => {
    const reply = await postTraces(receiver.url, bodyClaiming(2n ** 63n));
    expect(reply.status).toBe(400);
    expect(reply.message).toContain('is 2^31 or more');
    expect(receiver.sink.spans).toHaveLength(0);
  });

  it('refuses a length of exactly 2^31 and one whose low 32 bits are zero', async () => {
    for (const length of [2n ** 31n, 2n ** 32n, 2n ** 64n - 1n]) {
      const reply = await postTraces(receiver.url, bodyClaiming(length));
      expect(reply.status, `length ${length}`).toBe(400);
      expect(reply.message, `length ${length}`).toContain('is 2^31 or more');
    }
  });

  it('reads a length just under 2^31 as a length, past the end of the body', async () => {
    const reply = await postTraces(receiver.url, bodyClaiming(2n ** 31n - 1n));
    expect(reply.status).toBe(400);
    expect(reply.message).toContain('truncated');
  });
});
