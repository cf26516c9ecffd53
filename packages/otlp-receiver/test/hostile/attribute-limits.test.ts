import { newId, spanObject, traceRequest } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReceiver, startReceiver } from '../fixtures/start-receiver.js';

const MIB = 1024 * 1024;

function stringAttribute(key: string, value: string) {
  return { key, value: { string_value: value } };
}

async function postProtobuf(url: string, body: Buffer): Promise<number> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('attribute limits at ingest', () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startReceiver({ maxBodyBytes: 16 * MIB }, 'plain listener');
  });
  afterAll(() => receiver.close());

  it('cuts a 4 MiB attribute value to 4096 characters before the sink sees it', async () => {
    const span = spanObject();
    span.attributes = [stringAttribute('payload', 'x'.repeat(4 * MIB)), stringAttribute('short', 'kept')];
    expect(await postProtobuf(receiver.url, traceRequest([span]))).toBe(200);
    const received = receiver.sink.spans.at(-1);
    expect((received?.attributes.payload as string | undefined)?.length).toBe(4096);
    expect(received?.attributes.short).toBe('kept');
    expect(receiver.stats.limitedValues.traces).toBeGreaterThanOrEqual(1);
  });

  it('cuts a value whose limit falls inside a URL password before the password, leaving none of it', async () => {
    const password = 'hunter2hunter2hunter2';
    const url = `postgres://app:${password}@db.internal/orders`;
    // The 4096th character falls in the middle of the password.
    const value = `${'x'.repeat(4096 - 'postgres://app:'.length - 6)}${url}`;
    const span = spanObject();
    span.attributes = [stringAttribute('db.connection', value)];
    expect(await postProtobuf(receiver.url, traceRequest([span]))).toBe(200);
    const received = receiver.sink.spans.at(-1)?.attributes['db.connection'] as string;
    expect(received.length).toBeLessThanOrEqual(4096);
    expect(received.endsWith('postgres://')).toBe(true);
    for (let length = 3; length <= password.length; length++)
      expect(received).not.toContain(password.slice(0, length));
  });

  it('keeps the first 128 attributes, events and links of a span and drops the rest', async () => {
    const span = spanObject();
    span.attributes = Array.from({ length: 300 }, (_, i) => stringAttribute(`key.${i}`, String(i)));
    span.events = Array.from({ length: 300 }, (_, i) => ({
      name: `event ${i}`,
      time_unix_nano: '1700000000500000000',
      attributes: Array.from({ length: 200 }, (_, j) => stringAttribute(`e.${j}`, 'v')),
    }));
    span.links = Array.from({ length: 300 }, () => ({ trace_id: newId(16), span_id: newId(8) }));
    expect(await postProtobuf(receiver.url, traceRequest([span]))).toBe(200);
    const received = receiver.sink.spans.at(-1);
    expect(Object.keys(received?.attributes ?? {})).toHaveLength(128);
    expect(received?.events).toHaveLength(128);
    expect(Object.keys(received?.events[0].attributes ?? {})).toHaveLength(128);
    expect(received?.links).toHaveLength(128);
  });

  it('cuts long strings inside array values, span names and status messages', async () => {
    const span = spanObject({ name: 'n'.repeat(10_000) });
    span.status = { code: 2, message: 'm'.repeat(10_000) };
    span.attributes = [
      { key: 'list', value: { array_value: { values: [{ string_value: 'y'.repeat(10_000) }] } } },
    ];
    expect(await postProtobuf(receiver.url, traceRequest([span]))).toBe(200);
    const received = receiver.sink.spans.at(-1);
    expect(received?.name).toHaveLength(4096);
    expect(received?.statusMessage).toHaveLength(4096);
    expect((received?.attributes.list as string[] | undefined)?.[0]).toHaveLength(4096);
  });

  it('applies the same limits to OTLP/JSON', async () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-worker' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: newId(16).toString('hex'),
                  spanId: newId(8).toString('hex'),
                  name: 'json span',
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000001000000000',
                  attributes: [{ key: 'payload', value: { stringValue: 'z'.repeat(MIB) } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await fetch(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect((receiver.sink.spans.at(-1)?.attributes.payload as string | undefined)?.length).toBe(4096);
  });
});

describe('attribute limits set by option', () => {
  it('cuts values at the configured length', async () => {
    const receiver = await startReceiver({ admission: { attributeLimits: { maxAttributeValueChars: 10 } } });
    try {
      const span = spanObject();
      span.attributes = [stringAttribute('payload', 'abcdefghijklmnop')];
      expect(await postProtobuf(receiver.url, traceRequest([span]))).toBe(200);
      expect(receiver.sink.spans[0].attributes.payload).toBe('abcdefghij');
    } finally {
      await receiver.close();
    }
  });

  it('refuses a limit that is not a positive integer, naming it', async () => {
    await expect(
      startReceiver({ admission: { attributeLimits: { maxAttributesPerRecord: 0 } } }),
    ).rejects.toThrow('attribute limit maxAttributesPerRecord: expected a positive integer, got 0');
  });
});
