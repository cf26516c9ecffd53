import { readAttribute } from '../protobuf/proto-attributes.js';
import { type MessageFields, readFields } from '../protobuf/proto-fields.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
} from '../protobuf/proto-reader.js';
import type { HistogramValue, MetricPointRecord } from '../records/records.js';
import { DecodeError } from '../wire/decode-error.js';

/** Data point messages of OTLP metrics, read into a MetricPointRecord the caller has created. */

/** What a data point's fields are read into. */
interface PointState {
  point: MetricPointRecord;
  histogram: HistogramValue;
  hasValue: boolean;
  /** The attribute being read, for error paths. */
  index: number;
}

function pointState(point: MetricPointRecord): PointState {
  return {
    point,
    histogram: { count: 0, sum: 0, bucketCounts: [], explicitBounds: [] },
    hasValue: false,
    index: 0,
  };
}

/** An attribute of a data point. */
function readPointAttribute(r: ProtoReader, wire: number, end: number, state: PointState): void {
  readAttribute(r, wire, end, state.point.attributes);
  state.index++;
}

const NUMBER_POINT: MessageFields<PointState> = {
  names: { 2: 'start_time_unix_nano', 3: 'time_unix_nano', 4: 'as_double', 6: 'as_int', 7: 'attributes[]' },
  readField(r, field, wire, end, state) {
    switch (field) {
      case 2:
        expectWire(wire, WIRE_FIXED64);
        state.point.startTimeMs = r.nanosAsMs();
        break;
      case 3:
        expectWire(wire, WIRE_FIXED64);
        state.point.timeMs = r.nanosAsMs();
        break;
      case 4:
        expectWire(wire, WIRE_FIXED64);
        state.point.value = r.double();
        state.hasValue = true;
        break;
      case 6:
        expectWire(wire, WIRE_FIXED64);
        state.point.value = r.sfixed64();
        state.hasValue = true;
        break;
      case 7:
        readPointAttribute(r, wire, end, state);
        break;
      default:
        r.skip(wire, end);
    }
  },
  elementIndex: (state) => state.index,
};

/** Returns whether the point carried a value. */
export function readNumberPoint(r: ProtoReader, end: number, point: MetricPointRecord): boolean {
  const state = pointState(point);
  readFields(r, end, NUMBER_POINT, state);
  return state.hasValue;
}

/** The fields histogram, exponential histogram and summary points share (start, time, count, sum). */
function readCommonField(r: ProtoReader, field: number, wire: number, state: PointState): void {
  expectWire(wire, WIRE_FIXED64);
  if (field === 2) state.point.startTimeMs = r.nanosAsMs();
  else if (field === 3) state.point.timeMs = r.nanosAsMs();
  else if (field === 4) state.histogram.count = r.fixed64();
  else state.histogram.sum = r.double();
}

const HISTOGRAM_POINT: MessageFields<PointState> = {
  names: {
    2: 'start_time_unix_nano',
    3: 'time_unix_nano',
    4: 'count',
    5: 'sum',
    6: 'bucket_counts',
    7: 'explicit_bounds',
    9: 'attributes[]',
    11: 'min',
    12: 'max',
  },
  readField(r, field, wire, end, state) {
    switch (field) {
      case 2:
      case 3:
      case 4:
      case 5:
        readCommonField(r, field, wire, state);
        break;
      case 6:
        readRepeatedFixed64(r, wire, end, state.histogram.bucketCounts, false);
        break;
      case 7:
        readRepeatedFixed64(r, wire, end, state.histogram.explicitBounds, true);
        break;
      case 9:
        readPointAttribute(r, wire, end, state);
        break;
      case 11:
        expectWire(wire, WIRE_FIXED64);
        state.histogram.min = r.double();
        break;
      case 12:
        expectWire(wire, WIRE_FIXED64);
        state.histogram.max = r.double();
        break;
      default:
        r.skip(wire, end);
    }
  },
  elementIndex: (state) => state.index,
};

export function readHistogramPoint(r: ProtoReader, end: number, point: MetricPointRecord): void {
  const state = pointState(point);
  point.histogram = state.histogram;
  readFields(r, end, HISTOGRAM_POINT, state);
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

const EXPONENTIAL_POINT: MessageFields<PointState> = {
  names: {
    1: 'attributes[]',
    2: 'start_time_unix_nano',
    3: 'time_unix_nano',
    4: 'count',
    5: 'sum',
    12: 'min',
    13: 'max',
  },
  readField(r, field, wire, end, state) {
    if (field === 1) readPointAttribute(r, wire, end, state);
    else if (field >= 2 && field <= 5) readCommonField(r, field, wire, state);
    else if (field === 12) {
      expectWire(wire, WIRE_FIXED64);
      state.histogram.min = r.double();
    } else if (field === 13) {
      expectWire(wire, WIRE_FIXED64);
      state.histogram.max = r.double();
    } else r.skip(wire, end);
  },
  elementIndex: (state) => state.index,
};

const SUMMARY_POINT: MessageFields<PointState> = {
  names: { 2: 'start_time_unix_nano', 3: 'time_unix_nano', 4: 'count', 5: 'sum', 7: 'attributes[]' },
  readField(r, field, wire, end, state) {
    if (field === 7) readPointAttribute(r, wire, end, state);
    else if (field >= 2 && field <= 5) readCommonField(r, field, wire, state);
    else r.skip(wire, end);
  },
  elementIndex: (state) => state.index,
};

/** Exponential histogram and summary points: the receiver keeps count, sum, min and max only. */
export function readCountSumPoint(r: ProtoReader, end: number, point: MetricPointRecord): void {
  const state = pointState(point);
  point.histogram = state.histogram;
  readFields(r, end, point.kind === 'summary' ? SUMMARY_POINT : EXPONENTIAL_POINT, state);
}
