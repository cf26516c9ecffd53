import { describe, expect, it } from 'vitest';
import { decodeLogsJson } from '../src/logs/json-logs.js';
import { decodeLogsProto } from '../src/logs/proto-logs.js';
import { decodeMetricsProto } from '../src/metrics/proto-metrics.js';
import { decodeTracesJson } from '../src/traces/json-traces.js';
import { decodeTracesProto } from '../src/traces/proto-traces.js';
import { DecodeError } from '../src/wire/decode-error.js';
import { dbl, f32, f64, ld, rawTag, stringAttribute, vi } from './fixtures/proto-bytes.js';

const TRACE_ID = Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex');
const SPAN_ID = Buffer.from('b7ad6b7169203331', 'hex');
const START = 1_700_000_000_123_456_789n;

function span(...extra: Buffer[]): Buffer {
  return Buffer.concat([
    ld(1, TRACE_ID),
    ld(2, SPAN_ID),
    ld(5, 'process invoices'),
    f64(7, START),
    f64(8, START + 1_500_000n),
    ...extra,
  ]);
}

function decodeError(decode: () => unknown): DecodeError {
  try {
    decode();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('decoded without an error');
}

describe('the protobuf trace decoder', () => {
  it('reads ids as hex and nanosecond times as fractional milliseconds', () => {
    const [record] = decodeTracesProto(ld(1, ld(2, ld(2, span())))).records;
    expect(record.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(record.spanId).toBe('b7ad6b7169203331');
    expect(record.startMs).toBeCloseTo(1_700_000_000_123.4568, 3);
    expect(record.endMs - record.startMs).toBeCloseTo(1.5, 6);
  });

  it('gives spans their resource and scope whatever the field order', () => {
    const resource = ld(
      1,
      stringAttribute(1, 'service.name', 'billing'),
      stringAttribute(1, 'host.name', 'box-1'),
    );
    // scope_spans before resource, and spans before their scope: valid protobuf, unusual order.
    const scopeSpans = Buffer.concat([ld(2, span()), ld(1, ld(1, '@joblens/sdk'))]);
    const { records } = decodeTracesProto(ld(1, ld(2, scopeSpans), resource));
    expect(records[0].scopeName).toBe('@joblens/sdk');
    expect(records[0].resource).toMatchObject({
      serviceName: 'billing',
      hostName: 'box-1',
      serviceInstanceId: '',
    });
  });

  it('skips unknown fields of every wire type', () => {
    const unknown = Buffer.concat([vi(99, 5), f64(98, 7n), ld(97, 'x'), f32(96, 1)]);
    const { records } = decodeTracesProto(
      Buffer.concat([unknown, ld(1, unknown, ld(2, unknown, ld(2, span(unknown))))]),
    );
    expect(records).toHaveLength(1);
    expect(records[0].name).toBe('process invoices');
  });

  it('reads every AnyValue variant, negative ints and nested values', () => {
    const attrs = [
      ld(9, ld(1, 'neg'), ld(2, vi(3, -42n))),
      ld(9, ld(1, 'big'), ld(2, vi(3, 2n ** 40n))),
      ld(9, ld(1, 'flag'), ld(2, vi(2, 1))),
      ld(9, ld(1, 'ratio'), ld(2, dbl(4, 0.25))),
      ld(9, ld(1, 'raw'), ld(2, ld(7, Buffer.from([1, 2, 3])))),
      ld(9, ld(1, 'list'), ld(2, ld(5, ld(1, ld(1, 'a')), ld(1, vi(3, 2))))),
      ld(9, ld(1, 'map'), ld(2, ld(6, ld(1, ld(1, 'k'), ld(2, ld(1, 'v')))))),
      ld(9, ld(1, 'empty'), ld(2)),
      ld(9, ld(1, 'text'), ld(2, ld(1, 'grüße'))),
      ld(9, ld(1, '__proto__'), ld(2, ld(1, 'not a prototype'))),
    ];
    const [record] = decodeTracesProto(ld(1, ld(2, ld(2, span(...attrs))))).records;
    expect(record.attributes).toEqual({
      neg: -42,
      big: 2 ** 40,
      flag: true,
      ratio: 0.25,
      raw: 'AQID',
      list: ['a', 2],
      map: { k: 'v' },
      empty: null,
      text: 'grüße',
      ['__proto__']: 'not a prototype',
    });
    expect(Object.getPrototypeOf(record.attributes)).toBe(Object.prototype);
  });

  it('refuses values nested deeper than 32 levels instead of recursing without bound', () => {
    let value = ld(1, 'bottom');
    for (let i = 0; i < 40; i++) value = ld(5, ld(1, value));
    const body = ld(1, ld(2, ld(2, span(ld(9, ld(1, 'deep'), ld(2, value))))));
    expect(decodeError(() => decodeTracesProto(body)).message).toMatch(
      /values nested deeper than 32 levels$/,
    );
    let json: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 40; i++) json = { arrayValue: { values: [json] } };
    const jsonBody = Buffer.from(
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: json }] }] }] }),
    );
    expect(decodeError(() => decodeLogsJson(jsonBody)).message).toMatch(
      /values nested deeper than 32 levels$/,
    );
  });

  it('treats an all-zero parent id as no parent', () => {
    const [record] = decodeTracesProto(ld(1, ld(2, ld(2, span(ld(4, Buffer.alloc(8))))))).records;
    expect(record.parentSpanId).toBe('');
  });

  it('names the field of a wrong wire type', () => {
    const bad = Buffer.concat([ld(1, TRACE_ID), vi(5, 3)]);
    expect(decodeError(() => decodeTracesProto(ld(1, ld(2, ld(2, span()), ld(2, bad))))).message).toBe(
      'resource_spans[0].scope_spans[0].spans[1].name: wire type 0, expected 2',
    );
  });

  it('rejects group wire types and varints longer than ten bytes', () => {
    expect(decodeError(() => decodeTracesProto(rawTag(5, 3))).message).toBe('invalid wire type 3');
    const longVarint = Buffer.concat([ld(1, ld(2, ld(2, rawTag(6, 0, ...new Array(10).fill(0xff), 0x01))))]);
    expect(decodeError(() => decodeTracesProto(longVarint)).message).toBe(
      'resource_spans[0].scope_spans[0].spans[0].kind: varint longer than 10 bytes',
    );
  });

  it('locates a truncated attribute inside an event', () => {
    const event = Buffer.concat([ld(2, 'checkpoint'), ld(3, Buffer.from([0x0a, 0x05, 0x61]))]);
    expect(decodeError(() => decodeTracesProto(ld(1, ld(2, ld(2, span(ld(11, event))))))).message).toBe(
      'resource_spans[0].scope_spans[0].spans[0].events[0].attributes[0].key: truncated',
    );
  });
});

describe('the protobuf log decoder', () => {
  const log = (...fields: Buffer[]) => decodeLogsProto(ld(1, ld(2, ld(2, ...fields)))).records[0];

  it('prefers event_name, falls back to the event.name attribute, then to nothing', () => {
    expect(log(ld(12, 'joblens.job.started'), stringAttribute(6, 'event.name', 'other')).eventName).toBe(
      'joblens.job.started',
    );
    expect(log(stringAttribute(6, 'event.name', 'joblens.job.still_running')).eventName).toBe(
      'joblens.job.still_running',
    );
    expect(log(ld(5, ld(1, 'hello'))).eventName).toBe('');
  });

  it('uses the observed time when time_unix_nano is unset', () => {
    expect(log(f64(11, 2_000_000n)).timeMs).toBe(2);
    expect(log(f64(1, 1_000_000n), f64(11, 2_000_000n)).timeMs).toBe(1);
  });

  it('reads all-zero trace context as none and rejects ids of the wrong length', () => {
    expect(log(ld(9, Buffer.alloc(16)), ld(10, Buffer.alloc(8)))).toMatchObject({ traceId: '', spanId: '' });
    const result = decodeLogsProto(ld(1, ld(2, ld(2, ld(9, Buffer.alloc(5, 1))))));
    expect(result).toMatchObject({ records: [], rejected: 1, rejectReason: 'log record: invalid trace_id' });
  });
});

describe('the protobuf metric decoder', () => {
  const metrics = (...metricFields: Buffer[]) => decodeMetricsProto(ld(1, ld(2, ld(2, ...metricFields))));

  it('reads histograms with packed and with one-at-a-time buckets alike', () => {
    const common = [f64(3, 5_000_000n), f64(4, 3n), dbl(5, 4.5), dbl(11, 0.5), dbl(12, 3)];
    const packedCounts = Buffer.alloc(16);
    packedCounts.writeBigUInt64LE(1n, 0);
    packedCounts.writeBigUInt64LE(2n, 8);
    const packedBounds = Buffer.alloc(8);
    packedBounds.writeDoubleLE(1.5);
    const packed = ld(9, ld(1, ...common, ld(6, packedCounts), ld(7, packedBounds)), vi(2, 2));
    const loose = ld(9, ld(1, ...common, f64(6, 1n), f64(6, 2n), dbl(7, 1.5)), vi(2, 2));
    const histogram = { count: 3, sum: 4.5, min: 0.5, max: 3, bucketCounts: [1, 2], explicitBounds: [1.5] };
    for (const data of [packed, loose]) {
      const { records } = metrics(ld(1, 'messaging.process.duration'), ld(3, 's'), data);
      expect(records[0]).toMatchObject({
        kind: 'histogram',
        temporality: 2,
        timeMs: 5,
        unit: 's',
        histogram,
      });
    }
  });

  it('keeps count and sum of exponential histograms and summaries, and ints and doubles of sums', () => {
    const exponential = ld(10, ld(1, f64(4, 7n), dbl(5, 70), vi(6, 4)));
    const summary = ld(11, ld(1, f64(4, 2n), dbl(5, 9)));
    const sum = ld(7, ld(1, rawTag(6, 1, 5, 0, 0, 0, 0, 0, 0, 0)), ld(1, dbl(4, 2.5)), vi(2, 1), vi(3, 1));
    const { records } = metrics(ld(1, 'a'), exponential, ld(1, 'b'));
    expect(records[0]).toMatchObject({
      name: 'b',
      kind: 'exponential_histogram',
      histogram: { count: 7, sum: 70 },
    });
    expect(metrics(summary).records[0]).toMatchObject({ kind: 'summary', histogram: { count: 2, sum: 9 } });
    expect(metrics(sum).records.map((p) => [p.value, p.monotonic, p.temporality])).toEqual([
      [5, true, 1],
      [2.5, true, 1],
    ]);
  });

  it('rejects number data points without a value', () => {
    const result = metrics(ld(5, ld(1, f64(3, 1n))));
    expect(result).toMatchObject({
      records: [],
      rejected: 1,
      rejectReason: 'number data point without a value',
    });
  });
});

describe('the JSON decoders', () => {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('accept proto field names, enum names, base64 ids and int64 as numbers', () => {
    const body = json({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: TRACE_ID.toString('base64'),
                  span_id: SPAN_ID.toString('hex').toUpperCase(),
                  name: 'n',
                  kind: 'SPAN_KIND_CONSUMER',
                  start_time_unix_nano: 1_000_000,
                  end_time_unix_nano: '3000000',
                  status: { code: 'STATUS_CODE_ERROR' },
                  attributes: [
                    { key: 'n', value: { int_value: 7 } },
                    { key: 'd', value: { doubleValue: 'NaN' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const [record] = decodeTracesJson(body).records;
    expect(record).toMatchObject({
      traceId: TRACE_ID.toString('hex'),
      spanId: SPAN_ID.toString('hex'),
      kind: 5,
      statusCode: 2,
      startMs: 1,
      endMs: 3,
      attributes: { n: 7, d: Number.NaN },
    });
  });

  it('name the field of a wrong type', () => {
    const body = json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: true }] }] }] });
    expect(decodeError(() => decodeLogsJson(body)).message).toBe(
      'resource_logs[0].scope_logs[0].log_records[0].time_unix_nano: expected a timestamp in nanoseconds, got boolean',
    );
  });
});
