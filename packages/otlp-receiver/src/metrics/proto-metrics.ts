import type { DecodeCaches } from '../protobuf/decode-caches.js';
import { decodeEnvelope, envelopeOf, type ScopeItemReader } from '../protobuf/proto-envelope.js';
import { type MessageFields, readFields } from '../protobuf/proto-fields.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from '../protobuf/proto-reader.js';
import type { MetricPointKind, MetricPointRecord, ResourceRecord } from '../records/records.js';
import { type DecodeResult, reject } from '../wire/decode-result.js';
import { readCountSumPoint, readHistogramPoint, readNumberPoint } from './proto-metric-points.js';

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

const ENVELOPE = envelopeOf<MetricPointRecord>({
  resources: 'resource_metrics',
  resourceFields: { 1: 'resource', 2: 'scope_metrics[]', 3: 'schema_url' },
  scopeFields: { 1: 'scope', 2: 'metrics[]', 3: 'schema_url' },
});

/**
 * Decodes an ExportMetricsServiceRequest into one record per data point; throws only DecodeError.
 * A number data point with neither as_double nor as_int is rejected (it has nothing to report).
 * `caches`: the decoder's (a new set when absent).
 */
export function decodeMetricsProto(
  bytes: Uint8Array,
  caches?: DecodeCaches,
): DecodeResult<MetricPointRecord> {
  return decodeEnvelope(bytes, ENVELOPE, METRICS, undefined, caches);
}

const METRICS: ScopeItemReader<MetricPointRecord> = {
  read(r, end, resource, scopeName, result) {
    readMetric(r, end, { resource, scopeName, result });
  },
};

/** What a Metric's fields are read into. */
interface MetricState {
  context: MetricContext;
  name: string;
  unit: string;
}

const METRIC: MessageFields<MetricState> = {
  names: {
    1: 'name',
    2: 'description',
    3: 'unit',
    5: 'gauge',
    7: 'sum',
    9: 'histogram',
    10: 'exponential_histogram',
    11: 'summary',
  },
  readField(r, field, wire, end, metric) {
    if (field === 1) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      metric.name = r.string(r.delimited(end));
    } else if (field === 3) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      metric.unit = r.string(r.delimited(end));
    } else if (DATA_KIND[field] !== undefined) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      readData(r, r.delimited(end), DATA_KIND[field], metric.context);
    } else {
      r.skip(wire, end);
    }
  },
};

function readMetric(r: ProtoReader, end: number, context: MetricContext): void {
  const records = context.result.records;
  const first = records.length;
  const metric: MetricState = { context, name: '', unit: '' };
  readFields(r, end, METRIC, metric);
  // Name and unit may follow the data in the encoding; points read earlier get them now.
  for (let i = first; i < records.length; i++) {
    records[i].name = metric.name;
    records[i].unit = metric.unit;
  }
}

/** What a Gauge, Sum, Histogram, ExponentialHistogram or Summary message is read into. */
interface DataState {
  context: MetricContext;
  kind: MetricPointKind;
  temporality: number;
  monotonic: boolean;
  index: number;
}

const DATA: MessageFields<DataState> = {
  names: { 1: 'data_points[]', 2: 'aggregation_temporality', 3: 'is_monotonic' },
  readField(r, field, wire, end, data) {
    const kind = data.kind;
    if (field === 1) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      const point = readPoint(r, r.delimited(end), kind, data.context);
      if (point !== undefined) data.context.result.records.push(point);
      data.index++;
    } else if (field === 2 && kind !== 'gauge' && kind !== 'summary') {
      expectWire(wire, WIRE_VARINT);
      data.temporality = r.uint32();
    } else if (field === 3 && kind === 'sum') {
      expectWire(wire, WIRE_VARINT);
      data.monotonic = r.bool();
    } else {
      r.skip(wire, end);
    }
  },
  elementIndex: (data) => data.index,
};

function readData(r: ProtoReader, end: number, kind: MetricPointKind, context: MetricContext): void {
  const records = context.result.records;
  const first = records.length;
  const data: DataState = { context, kind, temporality: 0, monotonic: false, index: 0 };
  readFields(r, end, DATA, data);
  for (let i = first; i < records.length; i++) {
    records[i].temporality = data.temporality;
    records[i].monotonic = data.monotonic;
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
