import { readAnyValue, readAttribute } from '../protobuf/proto-attributes.js';
import { decodeEnvelope, type EnvelopeNames } from '../protobuf/proto-envelope.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from '../protobuf/proto-reader.js';
import type { Attributes, AttrValue, LogRecordData, ResourceRecord } from '../records/records.js';
import { atField, DecodeError } from '../wire/decode-error.js';
import { type DecodeResult, reject } from '../wire/decode-result.js';
import { logEventName } from './log-event-name.js';
import { logRejectReason } from './log-validity.js';

const RESOURCE_LOGS_FIELDS = { 1: 'resource', 2: 'scope_logs[]', 3: 'schema_url' };
const SCOPE_LOGS_FIELDS = { 1: 'scope', 2: 'log_records[]', 3: 'schema_url' };
const LOG_RECORD_FIELDS = {
  1: 'time_unix_nano',
  2: 'severity_number',
  3: 'severity_text',
  5: 'body',
  6: 'attributes[]',
  9: 'trace_id',
  10: 'span_id',
  11: 'observed_time_unix_nano',
  12: 'event_name',
};

const ENVELOPE: EnvelopeNames = {
  resources: 'resource_logs',
  resourceFields: RESOURCE_LOGS_FIELDS,
  scopeFields: SCOPE_LOGS_FIELDS,
};

/** Decodes an ExportLogsServiceRequest; throws only DecodeError. */
export function decodeLogsProto(bytes: Uint8Array): DecodeResult<LogRecordData> {
  return decodeEnvelope(bytes, ENVELOPE, readScopeLogRecord);
}

function readScopeLogRecord(
  r: ProtoReader,
  end: number,
  resource: ResourceRecord,
  scopeName: string,
  result: DecodeResult<LogRecordData>,
): void {
  const log = readLogRecord(r, end, resource, scopeName);
  const reason = logRejectReason(log);
  if (reason === undefined) result.records.push(log);
  else reject(result, reason);
}

function readLogRecord(
  r: ProtoReader,
  end: number,
  resource: ResourceRecord,
  scopeName: string,
): LogRecordData {
  let timeMs = 0;
  let observedMs = 0;
  let severityNumber = 0;
  let severityText = '';
  let body: AttrValue = null;
  let eventName = '';
  let traceId = '';
  let spanId = '';
  const attributes: Attributes = {};
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
          expectWire(wire, WIRE_FIXED64);
          timeMs = r.nanosAsMs();
          break;
        case 11:
          expectWire(wire, WIRE_FIXED64);
          observedMs = r.nanosAsMs();
          break;
        case 2:
          expectWire(wire, WIRE_VARINT);
          severityNumber = r.uint32();
          break;
        case 3:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          severityText = r.string(r.delimited(end));
          break;
        case 5:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          body = readAnyValue(r, r.delimited(end));
          break;
        case 6:
          readAttribute(r, wire, end, attributes);
          index++;
          break;
        case 9:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          traceId = r.hex(r.delimited(end));
          break;
        case 10:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          spanId = r.hex(r.delimited(end));
          break;
        case 12:
          expectWire(wire, WIRE_LENGTH_DELIMITED);
          eventName = r.string(r.delimited(end));
          break;
        default:
          r.skip(wire, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, LOG_RECORD_FIELDS, field, index);
  }
  return {
    resource,
    scopeName,
    timeMs: timeMs === 0 ? observedMs : timeMs,
    severityNumber,
    severityText,
    body,
    eventName: logEventName(eventName, attributes),
    traceId,
    spanId,
    attributes,
  };
}
