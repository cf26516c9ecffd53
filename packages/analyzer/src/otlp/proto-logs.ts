import type { Attributes, AttrValue, LogRecordData, ResourceRecord } from '../telemetry/records.js';
import { atField, DecodeError, locate } from './decode-error.js';
import { type DecodeResult, emptyResult, reject } from './decode-result.js';
import { logEventName } from './log-event-name.js';
import { logRejectReason } from './log-validity.js';
import { readAnyValue, readAttribute, readResourceAttributes, readScopeName } from './proto-attributes.js';
import { expectWire, ProtoReader, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './proto-reader.js';
import { completeResource, emptyResource } from './resource-record.js';

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

/** Decodes an ExportLogsServiceRequest; throws only DecodeError. */
export function decodeLogsProto(bytes: Uint8Array): DecodeResult<LogRecordData> {
  const result = emptyResult<LogRecordData>();
  const r = new ProtoReader(bytes);
  const end = r.length;
  let index = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) {
      try {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        readResourceLogs(r, r.delimited(end), result);
      } catch (err) {
        throw locate(err, 'resource_logs', index);
      }
      index++;
    } else {
      r.skip(tag & 7, end);
    }
  }
  return result;
}

function readResourceLogs(r: ProtoReader, end: number, result: DecodeResult<LogRecordData>): void {
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
        readScopeLogs(r, r.delimited(end), resource, result);
        index++;
      } else {
        r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, RESOURCE_LOGS_FIELDS, field, index);
  }
}

function readScopeLogs(
  r: ProtoReader,
  end: number,
  resource: ResourceRecord,
  result: DecodeResult<LogRecordData>,
): void {
  const first = result.records.length;
  let scopeName = '';
  let field = 0;
  let index = 0;
  try {
    while (r.pos < end) {
      field = 0;
      const tag = r.uint32();
      field = tag >>> 3;
      if (field === 2) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        const log = readLogRecord(r, r.delimited(end), resource, scopeName);
        const reason = logRejectReason(log);
        if (reason === undefined) result.records.push(log);
        else reject(result, reason);
        index++;
      } else if (field === 1) {
        expectWire(tag & 7, WIRE_LENGTH_DELIMITED);
        scopeName = readScopeName(r, r.delimited(end));
        for (let i = first; i < result.records.length; i++) result.records[i].scopeName = scopeName;
      } else {
        r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw new DecodeError('truncated');
  } catch (err) {
    throw atField(err, SCOPE_LOGS_FIELDS, field, index);
  }
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
