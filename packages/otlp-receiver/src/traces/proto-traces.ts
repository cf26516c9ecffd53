import type { DecodeCaches } from '../protobuf/decode-caches.js';
import { readAttribute } from '../protobuf/proto-attributes.js';
import { decodeEnvelope, envelopeOf, type ScopeItemReader } from '../protobuf/proto-envelope.js';
import { type MessageFields, readFields } from '../protobuf/proto-fields.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from '../protobuf/proto-reader.js';
import type {
  Attributes,
  ResourceRecord,
  SpanEventRecord,
  SpanLinkRecord,
  SpanRecord,
} from '../records/records.js';
import { type DecodeCountLimits, type DecodeResult, reject } from '../wire/decode-result.js';
import { spanRejectReason } from './span-validity.js';

/**
 * Shared by every span without events or links (children mostly, links nearly always): one empty array
 * per span and field was young garbage on every span. Never mutated; a span with any gets its own.
 */
const NO_EVENTS: SpanEventRecord[] = [];
const NO_LINKS: SpanLinkRecord[] = [];
/**
 * Shared, for the same reason, by events and links without attributes (most events: `job fetched`,
 * `job started`). Frozen, so that code which ever tried to add to it would fail loudly in strict
 * mode instead of leaking into every other event; nothing downstream writes event attributes.
 */
const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;
/** A request's event scratch longer than this is dropped after its span rather than kept for the next. */
const MAX_KEPT_SCRATCH_EVENTS = 64;

const ENVELOPE = envelopeOf<SpanRecord>({
  resources: 'resource_spans',
  resourceFields: { 1: 'resource', 2: 'scope_spans[]', 3: 'schema_url' },
  scopeFields: { 1: 'scope', 2: 'spans[]', 3: 'schema_url' },
});

/**
 * Decodes an ExportTraceServiceRequest; throws only DecodeError. With `limits`, attributes, events and
 * links past the counts are skipped unread (counted in `limited`). `caches`: the decoder's, kept between
 * requests (a new set when absent).
 */
export function decodeTracesProto(
  bytes: Uint8Array,
  limits?: DecodeCountLimits,
  caches?: DecodeCaches,
): DecodeResult<SpanRecord> {
  return decodeEnvelope(bytes, ENVELOPE, new SpanItems(), limits, caches);
}

/** What a span's fields are read into: one per request, reset for each span. */
class SpanDraft {
  traceId = '';
  spanId = '';
  parentSpanId = '';
  name = '';
  kind = 0;
  startMs = 0;
  endMs = 0;
  statusCode = 0;
  statusMessage = '';
  attributes: Attributes = {};
  attributeCount = 0;
  eventCount = 0;
  links = NO_LINKS;
  /** The element of a repeated field being read, for error paths. */
  index = 0;
  /**
   * The events of the span being read, copied out at its end: an array grown by push kept room for
   * 17 events when a span has 3. Entries past `eventCount` are stale and never read.
   */
  events: SpanEventRecord[] = [];

  reset(): void {
    this.traceId = '';
    this.spanId = '';
    this.parentSpanId = '';
    this.name = '';
    this.kind = 0;
    this.startMs = 0;
    this.endMs = 0;
    this.statusCode = 0;
    this.statusMessage = '';
    this.attributes = {};
    this.attributeCount = 0;
    this.eventCount = 0;
    this.links = NO_LINKS;
    this.index = 0;
  }
}

/** The spans of one request, read through one draft. */
class SpanItems implements ScopeItemReader<SpanRecord> {
  private readonly span = new SpanDraft();

  read(
    r: ProtoReader,
    end: number,
    resource: ResourceRecord,
    scopeName: string,
    result: DecodeResult<SpanRecord>,
  ): void {
    const span = this.span;
    span.reset();
    readFields(r, end, SPAN, span);
    const count = span.eventCount;
    const events = count === 0 ? NO_EVENTS : span.events.slice(0, count);
    // A span with very many events should not keep them all alive until the next such span.
    if (count > MAX_KEPT_SCRATCH_EVENTS) span.events = [];
    const record: SpanRecord = {
      resource,
      scopeName,
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: span.name,
      kind: span.kind,
      startMs: span.startMs,
      endMs: span.endMs,
      statusCode: span.statusCode,
      statusMessage: span.statusMessage,
      attributes: span.attributes,
      events,
      links: span.links,
    };
    const reason = spanRejectReason(record);
    if (reason === undefined) result.records.push(record);
    else reject(result, reason);
  }
}

const SPAN: MessageFields<SpanDraft> = {
  names: {
    1: 'trace_id',
    2: 'span_id',
    3: 'trace_state',
    4: 'parent_span_id',
    5: 'name',
    6: 'kind',
    7: 'start_time_unix_nano',
    8: 'end_time_unix_nano',
    9: 'attributes[]',
    11: 'events[]',
    13: 'links[]',
    15: 'status',
  },
  readField(r, field, wire, end, span) {
    switch (field) {
      case 1:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        span.traceId = r.hex(r.delimited(end));
        break;
      case 2:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        span.spanId = r.hex(r.delimited(end));
        break;
      case 4:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        span.parentSpanId = r.hex(r.delimited(end));
        break;
      case 5:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        span.name = r.string(r.delimited(end));
        break;
      case 6:
        expectWire(wire, WIRE_VARINT);
        span.kind = r.uint32();
        break;
      case 7:
        expectWire(wire, WIRE_FIXED64);
        span.startMs = r.nanosAsMs();
        break;
      case 8:
        expectWire(wire, WIRE_FIXED64);
        span.endMs = r.nanosAsMs();
        break;
      case 9:
        span.index = span.attributeCount++;
        if (span.index < r.maxAttributes) readAttribute(r, wire, end, span.attributes);
        else skipOver(r, wire, end);
        break;
      case 11:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        span.index = span.eventCount;
        if (span.eventCount < r.maxEvents) span.events[span.eventCount++] = readEvent(r, r.delimited(end));
        else skipOver(r, wire, end);
        break;
      case 13:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        span.index = span.links.length;
        if (span.links.length >= r.maxLinks) skipOver(r, wire, end);
        else if (span.links === NO_LINKS) span.links = [readLink(r, r.delimited(end))];
        else span.links.push(readLink(r, r.delimited(end)));
        break;
      case 15:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        readFields(r, r.delimited(end), STATUS, span);
        break;
      default:
        r.skip(wire, end);
    }
  },
  elementIndex: (span) => span.index,
};

const STATUS: MessageFields<SpanDraft> = {
  names: { 2: 'message', 3: 'code' },
  readField(r, field, wire, end, span) {
    if (field === 3) {
      expectWire(wire, WIRE_VARINT);
      span.statusCode = r.uint32();
    } else if (field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      span.statusMessage = r.string(r.delimited(end));
    } else {
      r.skip(wire, end);
    }
  },
};

/** Skips one item past a count limit, unread, and counts it. */
function skipOver(r: ProtoReader, wire: number, end: number): void {
  r.skip(wire, end);
  r.skipped += 1;
}

/** What an event's or a link's fields are read into. */
interface EventState {
  timeMs: number;
  name: string;
  traceId: string;
  spanId: string;
  attributes: Attributes;
  index: number;
}

/** Attributes of an event or link: the first gets the record its own object. */
function readItemAttribute(r: ProtoReader, wire: number, end: number, state: EventState): void {
  if (state.attributes === NO_ATTRIBUTES) state.attributes = {};
  if (state.index < r.maxAttributes) readAttribute(r, wire, end, state.attributes);
  else skipOver(r, wire, end);
  state.index++;
}

const EVENT: MessageFields<EventState> = {
  names: { 1: 'time_unix_nano', 2: 'name', 3: 'attributes[]' },
  readField(r, field, wire, end, event) {
    if (field === 1) {
      expectWire(wire, WIRE_FIXED64);
      event.timeMs = r.nanosAsMs();
    } else if (field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      event.name = r.string(r.delimited(end));
    } else if (field === 3) {
      readItemAttribute(r, wire, end, event);
    } else {
      r.skip(wire, end);
    }
  },
  elementIndex: (event) => event.index,
};

function readEvent(r: ProtoReader, end: number): SpanEventRecord {
  const event: EventState = {
    timeMs: 0,
    name: '',
    traceId: '',
    spanId: '',
    attributes: NO_ATTRIBUTES,
    index: 0,
  };
  readFields(r, end, EVENT, event);
  return { name: event.name, timeMs: event.timeMs, attributes: event.attributes };
}

const LINK: MessageFields<EventState> = {
  names: { 1: 'trace_id', 2: 'span_id', 4: 'attributes[]' },
  readField(r, field, wire, end, link) {
    if (field === 1) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      link.traceId = r.hex(r.delimited(end));
    } else if (field === 2) {
      expectWire(wire, WIRE_LENGTH_DELIMITED);
      link.spanId = r.hex(r.delimited(end));
    } else if (field === 4) {
      readItemAttribute(r, wire, end, link);
    } else {
      r.skip(wire, end);
    }
  },
  elementIndex: (link) => link.index,
};

function readLink(r: ProtoReader, end: number): SpanLinkRecord {
  const link: EventState = {
    timeMs: 0,
    name: '',
    traceId: '',
    spanId: '',
    attributes: NO_ATTRIBUTES,
    index: 0,
  };
  readFields(r, end, LINK, link);
  return { traceId: link.traceId, spanId: link.spanId, attributes: link.attributes };
}
