import type {
  HistogramValue,
  MetricPointKind,
  MetricPointRecord,
  ResourceRecord,
} from '../telemetry/records.js';
import { atField, DecodeError, locate } from './decode-error.js';
import { type DecodeResult, emptyResult, reject } from './decode-result.js';
import { readAttribute, readResourceAttributes, readScopeName } from './proto-attributes.js';
import { expectWire, ProtoReader, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './proto-reader.js';
import { completeResource, emptyResource } from './resource-record.js';

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
const NUMBER_POINT_FIELDS = {
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'as_double',
  6: 'as_int',
  7: 'attributes[]',
};
const HISTOGRAM_POINT_FIELDS = {
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'count',
  5: 'sum',
  6: 'bucket_counts',
  7: 'explicit_bounds',
  9: 'attributes[]',
  11: 'min',
  12: 'max',
};
const EXPONENTIAL_POINT_FIELDS = {
  1: 'attributes[]',
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'count',
  5: 'sum',
  12: 'min',
  13: 'max',
};
const SUMMARY_POINT_FIELDS = {
  2: 'start_time_unix_nano',
  3: 'time_unix_nano',
  4: 'count',
  5: 'sum',
  7: 'attributes[]',
};

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

/**
 * Decodes an ExportMetricsServiceRequest into one record per data point; throws only DecodeError.
 * A number data point with neither as_double nor as_int is rejected (it has nothing to report).
 */
export function decodeMetricsProto(bytes: Uint8Array): DecodeResult<MetricPointRecord> {
  const result = emptyResult<MetricPointRecord>();
  const r = new ProtoReader(bytes);
  const end = r.length;
  let index = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      try {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        readResourceMetrics(r, r.delimited(end), result);
      } catch (err) {
        throw locate(err, 'resource_metrics', index);
      }
      index++;
    } else {
      r.skip(tag & 7, end);
    }
  }
  return result;
}

function readResourceMetrics(r: ProtoReader, end: number, result: DecodeResult<MetricPointRecord>): void {
  const resource = emptyResource();
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      if (field === 1) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        completeResource(resource, readResourceAttributes(r, r.delimited(end)));
      } else if (field === 2) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        readScopeMetrics(r, r.delimited(end), { resource, scopeName: '', result });
        index++;
      } else {
        r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, RESOURCE_METRICS_FIELDS, field, index);
  }
}

function readScopeMetrics(r: ProtoReader, end: number, context: MetricContext): void {
  const records = context.result.records;
  const first = records.length;
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      if (field === 2) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        readMetric(r, r.delimited(end), context);
        index++;
      } else if (field === 1) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        context.scopeName = readScopeName(r, r.delimited(end));
        for (let i = first; i < records.length; i++) records[i].scopeName = context.scopeName;
      } else {
        r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, SCOPE_METRICS_FIELDS, field, index);
  }
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
      readCountSumPoint(r, end, point, kind === 'summary' ? SUMMARY_POINT_FIELDS : EXPONENTIAL_POINT_FIELDS);
      return point;
  }
}

/** Returns whether the point carried a value. */
function readNumberPoint(r: ProtoReader, end: number, point: MetricPointRecord): boolean {
  let hasValue = false;
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 2:
          expectWire(wire, WIRE_FIXED64);
          point.startTimeMs = r.nanosAsMs();
          break;
        case 3:
          expectWire(wire, WIRE_FIXED64);
          point.timeMs = r.nanosAsMs();
          break;
        case 4:
          expectWire(wire, WIRE_FIXED64);
          point.value = r.double();
          hasValue = true;
          break;
        case 6:
          expectWire(wire, WIRE_FIXED64);
          point.value = r.sfixed64();
          hasValue = true;
          break;
        case 7:
          readAttribute(r, wire, end, point.attributes);
          index++;
          break;
        default:
          r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, NUMBER_POINT_FIELDS, field, index);
  }
  return hasValue;
}

function readHistogramPoint(r: ProtoReader, end: number, point: MetricPointRecord): void {
  const histogram: HistogramValue = { count: 0, sum: 0, bucketCounts: [], explicitBounds: [] };
  point.histogram = histogram;
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 2:
          expectWire(wire, WIRE_FIXED64);
          point.startTimeMs = r.nanosAsMs();
          break;
        case 3:
          expectWire(wire, WIRE_FIXED64);
          point.timeMs = r.nanosAsMs();
          break;
        case 4:
          expectWire(wire, WIRE_FIXED64);
          histogram.count = r.fixed64();
          break;
        case 5:
          expectWire(wire, WIRE_FIXED64);
          histogram.sum = r.double();
          break;
        case 6:
          readRepeatedFixed64(r, wire, end, histogram.bucketCounts, false);
          break;
        case 7:
          readRepeatedFixed64(r, wire, end, histogram.explicitBounds, true);
          break;
        case 9:
          readAttribute(r, wire, end, point.attributes);
          index++;
          break;
        case 11:
          expectWire(wire, WIRE_FIXED64);
          histogram.min = r.double();
          break;
        case 12:
          expectWire(wire, WIRE_FIXED64);
          histogram.max = r.double();
          break;
        default:
          r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, HISTOGRAM_POINT_FIELDS, field, index);
  }
}

/** Packed (wire type 2) or one-at-a-time (wire type 1) fixed64 or double values. */
function readRepeatedFixed64(
  r: ProtoReader,
  wire: number,
  end: number,
  into: number[],
  asDouble: boolean,
): void {
  if (wire === WIRE_FIXED64) {
    into.push(asDouble ? r.double() : r.fixed64());
    return;
  }
  expectWire(wire, WIRE_LENGTH_DELIMITED);
  const stop = r.delimited(end);
  if ((stop - r.pos) % 8 !== 0) throw new DecodeError('packed length not a multiple of 8');
  while (r.pos < stop) into.push(asDouble ? r.double() : r.fixed64());
}

/** Exponential histogram and summary points: the analyzer keeps count, sum, min and max only. */
function readCountSumPoint(
  r: ProtoReader,
  end: number,
  point: MetricPointRecord,
  names: Readonly<Record<number, string>>,
): void {
  const histogram: HistogramValue = { count: 0, sum: 0, bucketCounts: [], explicitBounds: [] };
  point.histogram = histogram;
  const summary = point.kind === 'summary';
  const attributesField = summary ? 7 : 1;
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      if (field === attributesField) {
        readAttribute(r, wire, end, point.attributes);
        index++;
      } else if (field === 2) {
        expectWire(wire, WIRE_FIXED64);
        point.startTimeMs = r.nanosAsMs();
      } else if (field === 3) {
        expectWire(wire, WIRE_FIXED64);
        point.timeMs = r.nanosAsMs();
      } else if (field === 4) {
        expectWire(wire, WIRE_FIXED64);
        histogram.count = r.fixed64();
      } else if (field === 5) {
        expectWire(wire, WIRE_FIXED64);
        histogram.sum = r.double();
      } else if (field === 12 && !summary) {
        expectWire(wire, WIRE_FIXED64);
        histogram.min = r.double();
      } else if (field === 13 && !summary) {
        expectWire(wire, WIRE_FIXED64);
        histogram.max = r.double();
      } else {
        r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, names, field, index);
  }
}
