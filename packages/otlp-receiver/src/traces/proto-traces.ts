import { readAttribute } from '../protobuf/proto-attributes.js';
import { decodeEnvelope, type EnvelopeNames } from '../protobuf/proto-envelope.js';
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
import { atField, DecodeError } from '../wire/decode-error.js';
import { type DecodeCountLimits, type DecodeResult, reject } from '../wire/decode-result.js';
import { spanRejectReason } from './span-validity.js';

// Field names by number (opentelemetry-proto v1), for error paths; `[]` marks repeated fields.
const RESOURCE_SPANS_FIELDS = { 1: 'resource', 2: 'scope_spans[]', 3: 'schema_url' };
const SCOPE_SPANS_FIELDS = { 1: 'scope', 2: 'spans[]', 3: 'schema_url' };
const SPAN_FIELDS = {
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
};
const EVENT_FIELDS = { 1: 'time_unix_nano', 2: 'name', 3: 'attributes[]' };
const LINK_FIELDS = { 1: 'trace_id', 2: 'span_id', 4: 'attributes[]' };
const STATUS_FIELDS = { 2: 'message', 3: 'code' };

/**
 * Shared by every span without events or links (children mostly, links nearly always): one empty array
 * per span and field was young garbage on every span. Never mutated; a span with any gets its own.
 */
const NO_EVENTS: SpanEventRecord[] = [];
const NO_LINKS: SpanLinkRecord[] = [];
/**
 * The events of the span being read, copied out at its end: an array grown by push kept room for
 * 17 events when a span has 3. Entries past the count are stale and never read.
 */
const eventScratch: SpanEventRecord[] = [];
const MAX_KEPT_SCRATCH_EVENTS = 64;
/**
 * Shared, for the same reason, by events and links without attributes (most events: `job fetched`,
 * `job started`). Frozen, so that code which ever tried to add to it would fail loudly in strict
 * mode instead of leaking into every other event; nothing downstream writes event attributes.
 */
const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

const ENVELOPE: EnvelopeNames = {
  resources: 'resource_spans',
  resourceFields: RESOURCE_SPANS_FIELDS,
  scopeFields: SCOPE_SPANS_FIELDS,
};

/**
 * Decodes an ExportTraceServiceRequest; throws only DecodeError. With `limits`, attributes, events and
 * links past the counts are skipped unread (counted in `limited`).
 */
export function decodeTracesProto(bytes: Uint8Array, limits?: DecodeCountLimits): DecodeResult<SpanRecord> {
  return decodeEnvelope(bytes, ENVELOPE, readScopeSpan, limits);
}

function readScopeSpan(
  r: ProtoReader,
  end: number,
  resource: ResourceRecord,
  scopeName: string,
  result: DecodeResult<SpanRecord>,
): void {
  const span = readSpan(r, end, resource, scopeName);
  const reason = spanRejectReason(span);
  if (reason === undefined) result.records.push(span);
  else reject(result, reason);
}

function readSpan(r: ProtoReader, end: number, resource: ResourceRecord, scopeName: string): SpanRecord {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let name = '';
  let kind = 0;
  let startMs = 0;
  let endMs = 0;
  let statusCode = 0;
  let statusMessage = '';
  const attributes: Attributes = {};
  let eventCount = 0;
  let links = NO_LINKS;
  let attributeCount = 0;
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          traceId = r.hex(r.delimited(end));
          break;
        case 2:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          spanId = r.hex(r.delimited(end));
          break;
        case 4:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          parentSpanId = r.hex(r.delimited(end));
          break;
        case 5:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          name = r.string(r.delimited(end));
          break;
        case 6:
          expectWire(wire, WIRE_VARINT);
          kind = r.uint32();
          break;
        case 7:
          expectWire(wire, WIRE_FIXED64);
          startMs = r.nanosAsMs();
          break;
        case 8:
          expectWire(wire, WIRE_FIXED64);
          endMs = r.nanosAsMs();
          break;
        case 9:
          index = attributeCount++;
          if (index < r.maxAttributes) readAttribute(r, wire, end, attributes);
          else skipOver(r, wire, end);
          break;
        case 11:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          index = eventCount;
          if (eventCount < r.maxEvents) eventScratch[eventCount++] = readEvent(r, r.delimited(end));
          else skipOver(r, wire, end);
          break;
        case 13:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          index = links.length;
          if (links.length >= r.maxLinks) skipOver(r, wire, end);
          else if (links === NO_LINKS) links = [readLink(r, r.delimited(end))];
          else links.push(readLink(r, r.delimited(end)));
          break;
        case 15: {
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          const stop = r.delimited(end);
          let statusField = 0;
          try {
            while (r.pos < stop) {
              statusField = 0;
              const statusTag = r.uint32();
              statusField = statusTag >>> 3;
              if (statusField === 3) {
                expectWire(statusTag & 7, WIRE_VARINT);
                statusCode = r.uint32();
              } else if (statusField === 2) {
                expectWire(statusTag & 7, WIRE_LENGTH_DELIMITED);
                statusMessage = r.string(r.delimited(stop));
              } else {
                r.skip(statusTag & 7, stop);
              }
            }
            if (r.pos !== stop) throw new DecodeError('truncated');
          } catch (err) {
            throw atField(err, STATUS_FIELDS, statusField, 0);
          }
          break;
        }
        default:
          r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, SPAN_FIELDS, field, index);
  }
  const events = eventCount === 0 ? NO_EVENTS : eventScratch.slice(0, eventCount);
  // A span with very many events should not keep them all alive until the next such span.
  if (eventCount > MAX_KEPT_SCRATCH_EVENTS) eventScratch.length = 0;
  return {
    resource,
    scopeName,
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    startMs,
    endMs,
    statusCode,
    statusMessage,
    attributes,
    events,
    links,
  };
}

/** Skips one item past a count limit, unread, and counts it. */
function skipOver(r: ProtoReader, wire: number, end: number): void {
  r.skip(wire, end);
  r.skipped += 1;
}

function readEvent(r: ProtoReader, end: number): SpanEventRecord {
  let timeMs = 0;
  let name = '';
  let attributes = NO_ATTRIBUTES;
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) {
        expectWire(wire, WIRE_FIXED64);
        timeMs = r.nanosAsMs();
      } else if (field === 2) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        name = r.string(r.delimited(end));
      } else if (field === 3) {
        if (attributes === NO_ATTRIBUTES) attributes = {};
        if (index < r.maxAttributes) readAttribute(r, wire, end, attributes);
        else skipOver(r, wire, end);
        index++;
      } else {
        r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, EVENT_FIELDS, field, index);
  }
  return { name, timeMs, attributes };
}

function readLink(r: ProtoReader, end: number): SpanLinkRecord {
  let traceId = '';
  let spanId = '';
  let attributes = NO_ATTRIBUTES;
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
        traceId = r.hex(r.delimited(end));
      } else if (field === 2) {
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        spanId = r.hex(r.delimited(end));
      } else if (field === 4) {
        if (attributes === NO_ATTRIBUTES) attributes = {};
        if (index < r.maxAttributes) readAttribute(r, wire, end, attributes);
        else skipOver(r, wire, end);
        index++;
      } else {
        r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, LINK_FIELDS, field, index);
  }
  return { traceId, spanId, attributes };
}
