import { decodeEnvelope, type EnvelopeNames } from '../protobuf/proto-envelope.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from '../protobuf/proto-reader.js';
import type { MetricPointKind, MetricPointRecord, ResourceRecord } from '../records/records.js';
import { atField, DecodeError } from '../wire/decode-error.js';
import { type DecodeResult, reject } from '../wire/decode-result.js';
import { readCountSumPoint, readHistogramPoint, readNumberPoint } from './proto-metric-points.js';

const RESOURCE_METRICS_FIELDS = { 1: 'resource', 2: 'scope_metrics[]', 3: 'schema_url' };
const SCOPE_METRICS_FIELDS = { 1: 'scope', 2: 'metrics[]', 3: 'schema_url' };
const METRIC_FIELDS = {
  1: 'name',
  2: 'description',
  3: 'unit',
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponential_histogram',
  11: 'summary',
};
const DATA_FIELDS = { 1: 'data_points[]', 2: 'aggregation_temporality', 3: 'is_monotonic' };
/** Metric.data field numbers and the point kind each carries. */
const DATA_KIND: Record<number, MetricPointKind> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponential_histogram',
  11: 'summary',
};

interface MetricContext {
  resource: ResourceRecord;
  scopeName: string;
  result: DecodeResult<MetricPointRecord>;
}

const ENVELOPE: EnvelopeNames = {
  resources: 'resource_metrics',
  resourceFields: RESOURCE_METRICS_FIELDS,
  scopeFields: SCOPE_METRICS_FIELDS,
};

/**
 * Decodes an ExportMetricsServiceRequest into one record per data point; throws only DecodeError.
 * A number data point with neither as_double nor as_int is rejected (it has nothing to report).
 */
export function decodeMetricsProto(bytes: Uint8Array): DecodeResult<MetricPointRecord> {
  return decodeEnvelope(bytes, ENVELOPE, readScopeMetric);
}

function readScopeMetric(
  r: ProtoReader,
  end: number,
  resource: ResourceRecord,
  scopeName: string,
  result: DecodeResult<MetricPointRecord>,
): void {
  readMetric(r, end, { resource, scopeName, result });
}

function readMetric(r: ProtoReader, end: number, context: MetricContext): void {
  const records = context.result.records;
  const first = records.length;
  let name = '';
  let unit = '';
  let field = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        name = r.string(r.delimited(end));
      } else if (field === 3) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        unit = r.string(r.delimited(end));
      } else if (DATA_KIND[field] !== undefined) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        readData(r, r.delimited(end), DATA_KIND[field], context);
      } else {
        r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, METRIC_FIELDS, field, 0);
  }
  // Name and unit may follow the data in the encoding; points read earlier get them now.
  for (let i = first; i < records.length; i++) {
    records[i].name = name;
    records[i].unit = unit;
  }
}

function readData(r: ProtoReader, end: number, kind: MetricPointKind, context: MetricContext): void {
  const records = context.result.records;
  const first = records.length;
  let temporality = 0;
  let monotonic = false;
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        const point = readPoint(r, r.delimited(end), kind, context);
        if (point !== undefined) records.push(point);
        index++;
      } else if (field === 2 && kind !== 'gauge' && kind !== 'summary') {
        expectWire(wire, WIRE_VARINT);
        temporality = r.uint32();
      } else if (field === 3 && kind === 'sum') {
        expectWire(wire, WIRE_VARINT);
        monotonic = r.bool();
      } else {
        r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, DATA_FIELDS, field, index);
  }
  for (let i = first; i < records.length; i++) {
    records[i].temporality = temporality;
    records[i].monotonic = monotonic;
  }
}

function newPoint(kind: MetricPointKind, context: MetricContext): MetricPointRecord {
  return {
    resource: context.resource,
    scopeName: context.scopeName,
    name: '',
    unit: '',
    kind,
    monotonic: false,
    temporality: 0,
    timeMs: 0,
    startTimeMs: 0,
    attributes: {},
    value: Number.NaN,
  };
}

function readPoint(
  r: ProtoReader,
  end: number,
  kind: MetricPointKind,
  context: MetricContext,
): MetricPointRecord | undefined {
  const point = newPoint(kind, context);
  switch (kind) {
    case 'gauge':
    case 'sum': {
      const hasValue = readNumberPoint(r, end, point);
      if (hasValue) return point;
      reject(context.result, 'number data point without a value');
      return undefined;
    }
    case 'histogram':
      readHistogramPoint(r, end, point);
      return point;
    default:
      readCountSumPoint(r, end, point);
      return point;
  }
}
