import { readAttribute } from '../protobuf/proto-attributes.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
} from '../protobuf/proto-reader.js';
import type { HistogramValue, MetricPointRecord } from '../records/records.js';
import { atField, DecodeError } from '../wire/decode-error.js';

/** Data point messages of OTLP metrics, read into a MetricPointRecord the caller has created. */

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

/** Returns whether the point carried a value. */
export function readNumberPoint(r: ProtoReader, end: number, point: MetricPointRecord): boolean {
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

export function readHistogramPoint(r: ProtoReader, end: number, point: MetricPointRecord): void {
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
export function readCountSumPoint(r: ProtoReader, end: number, point: MetricPointRecord): void {
  const histogram: HistogramValue = { count: 0, sum: 0, bucketCounts: [], explicitBounds: [] };
  point.histogram = histogram;
  const summary = point.kind === 'summary';
  const names = summary ? SUMMARY_POINT_FIELDS : EXPONENTIAL_POINT_FIELDS;
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
