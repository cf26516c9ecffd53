import { gzipSync } from 'node:zlib';
import { newId, otlpType, requestWithTruncatedTraceId, spanObject, traceRequest } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceiverForm, type RunningReceiver, startReceiver } from './fixtures/start-receiver.js';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

async function post(
  url: string,
  body: Uint8Array | string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': PROTOBUF, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

function rpcStatus(body: Buffer): { code: number; message: string } {
  return otlpType('RpcStatus').toObject(otlpType('RpcStatus').decode(body)) as {
    code: number;
    message: string;
  };
}

const FORMS: ReceiverForm[] = ['express app', 'plain listener'];

describe.each(FORMS)('the receiver (%s) facing bad requests', (form) => {
  let receiver: RunningReceiver;
  let traces: string;
  beforeAll(async () => {
    receiver = await startReceiver({ maxBodyBytes: 64 * 1024 }, form);
    traces = `${receiver.url}/v1/traces`;
  });
  afterAll(() => receiver.close());

  it('answers 400 with a protobuf google.rpc.Status naming the field of a truncated protobuf body', async () => {
    const reply = await post(traces, requestWithTruncatedTraceId());
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe(PROTOBUF);
    expect(rpcStatus(reply.body)).toEqual({
      code: 3,
      message: 'decoding traces: resource_spans[0].scope_spans[0].spans[1].trace_id: truncated',
    });
    const whole = traceRequest([spanObject(), spanObject()]);
    const cut = await post(traces, whole.subarray(0, whole.length - 30));
    expect(rpcStatus(cut.body).message).toBe('decoding traces: resource_spans[0]: truncated');
    expect(receiver.stats.decodeErrors.traces).toBe(2);
  });

  it('answers 400 with a JSON google.rpc.Status for JSON of the wrong types', async () => {
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 5 }] }] }] });
    const reply = await post(traces, body, { 'content-type': JSON_TYPE });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe(JSON_TYPE);
    expect(JSON.parse(reply.body.toString())).toEqual({
      code: 3,
      message:
        'decoding traces: resource_spans[0].scope_spans[0].spans[0].name: expected a string, got number',
    });
  });

  it('answers 400 for text that is not JSON at all', async () => {
    const reply = await post(`${receiver.url}/v1/logs`, '{"resourceLogs": [', { 'content-type': JSON_TYPE });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body.toString()).message).toMatch(/invalid JSON/);
  });

  it('answers 415 for a content type other than protobuf or JSON', async () => {
    const reply = await post(traces, 'hello', { 'content-type': 'text/plain' });
    expect(reply.status).toBe(415);
  });

  it('answers 415 for a content encoding other than gzip or identity', async () => {
    const reply = await post(traces, traceRequest([spanObject()]), { 'content-encoding': 'br' });
    expect(reply.status).toBe(415);
  });

  it('answers 400 when the body claims gzip but is not', async () => {
    const reply = await post(traces, traceRequest([spanObject()]), { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(400);
    expect(rpcStatus(reply.body).message).toMatch(/not gzip/);
  });

  it('cuts a gzip bomb off at the size limit with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const reply = await post(traces, bomb, { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(413);
    expect(rpcStatus(reply.body).code).toBe(8);
  });

  it('answers 413 for a body over the limit, declared or streamed without a length', async () => {
    const big = Buffer.alloc(65 * 1024, 1);
    expect((await post(traces, big)).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(16 * 1024));
        controller.close();
      },
    });
    expect((await post(traces, stream)).status).toBe(413);
  });

  it('answers 405 with Allow: POST for other methods', async () => {
    const response = await fetch(traces);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('answers an empty body with 200 and an empty response in the request type', async () => {
    const proto = await post(traces, new Uint8Array(0));
    expect(proto.status).toBe(200);
    expect(proto.headers.get('content-type')).toBe(PROTOBUF);
    expect(proto.body.length).toBe(0);
    const json = await post(traces, '', { 'content-type': JSON_TYPE });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe(JSON_TYPE);
    expect(JSON.parse(json.body.toString())).toEqual({});
  });

  it('keeps the valid spans and reports invalid ones in partial_success', async () => {
    const before = receiver.sink.spans.length;
    const body = traceRequest([
      spanObject({ name: 'good' }),
      spanObject({ name: 'zero trace id', traceId: Buffer.alloc(16) }),
      spanObject({ name: 'short span id', spanId: Buffer.alloc(4, 1) }),
      spanObject({ name: 'backwards', startNanos: '1700000002000000000', endNanos: '1700000001000000000' }),
    ]);
    const reply = await post(traces, gzipSync(body), { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(200);
    const response = otlpType('ExportTraceServiceResponse').toObject(
      otlpType('ExportTraceServiceResponse').decode(reply.body),
      { longs: String },
    );
    expect(response).toEqual({
      partial_success: { rejected_spans: '3', error_message: 'span "zero trace id": invalid trace_id' },
    });
    expect(receiver.sink.spans.slice(before).map((s) => s.name)).toEqual(['good']);
  });

  it('reports partial_success in JSON for a JSON request', async () => {
    const span = (traceId: string) => ({
      traceId,
      spanId: newId(8).toString('hex'),
      name: 'json span',
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: 1700000001000000000,
    });
    const body = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [span(newId(16).toString('hex')), span('not-hex')] }] }],
    });
    const reply = await post(traces, body, { 'content-type': JSON_TYPE });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body.toString())).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: 'span "json span": invalid trace_id' },
    });
  });

  it('answers 503 with Retry-After while the sink is overloaded', async () => {
    receiver.sink.overloadedFor = 7;
    try {
      const reply = await post(traces, traceRequest([spanObject()]));
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('7');
    } finally {
      receiver.sink.overloadedFor = undefined;
    }
  });

  it('answers 503 (retryable), not 500, when the sink throws, and counts it', async () => {
    receiver.sink.failWith = new Error('disk full');
    try {
      const reply = await post(`${receiver.url}/v1/traces`, traceRequest([spanObject()]));
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(rpcStatus(reply.body).message).toMatch(/disk full/);
      expect(receiver.stats.sinkErrors.traces).toBe(1);
    } finally {
      receiver.sink.failWith = undefined;
    }
  });

  it('still serves after all of that, and never answered 500', async () => {
    const reply = await post(traces, traceRequest([spanObject({ name: 'after the storm' })]));
    expect(reply.status).toBe(200);
    expect(receiver.sink.spans.at(-1)?.name).toBe('after the storm');
    expect(receiver.stats.requests().filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
  });
});

describe.each(FORMS)('the receiver (%s) with a bearer token', (form) => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startReceiver({ token: 's3cret' }, form);
  });
  afterAll(() => receiver.close());

  it('answers 401 without the token and with a wrong one, and 200 with the right one', async () => {
    const url = `${receiver.url}/v1/traces`;
    const body = traceRequest([spanObject()]);
    const missing = await post(url, body);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(url, body, { authorization: 'Bearer s3cre' })).status).toBe(401);
    expect((await post(url, body, { authorization: 'Basic s3cret' })).status).toBe(401);
    expect((await post(url, body, { authorization: 'Bearer s3cret' })).status).toBe(200);
    expect(receiver.sink.spans).toHaveLength(1);
  });
});

describe('the plain listener', () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startReceiver({}, 'plain listener');
  });
  afterAll(() => receiver.close());

  it('leaves other spellings of the paths to the express app, which answers them alike', async () => {
    for (const path of ['/v1/traces/', '/V1/Traces', '/v1/traces?source=test']) {
      const reply = await post(`${receiver.url}${path}`, traceRequest([spanObject({ name: path })]));
      expect(reply.status).toBe(200);
      expect(receiver.sink.spans.at(-1)?.name).toBe(path);
    }
    expect((await post(`${receiver.url}/v1/nothing`, traceRequest([spanObject()]))).status).toBe(404);
    expect(receiver.stats.requests()).toEqual([{ signal: 'traces', status: 200, count: 3 }]);
  });
});

describe('createOtlpApp options', () => {
  it('refuses a bad maxBodyBytes naming the option, expected and actual value', async () => {
    await expect(startReceiver({ maxBodyBytes: -1 })).rejects.toThrow(
      'createOtlpApp option maxBodyBytes: expected a positive integer, got -1',
    );
  });
});
