import type { DecodeCaches } from '../protobuf/decode-caches.js';
import { readAnyValue, readAttribute } from '../protobuf/proto-attributes.js';
import { decodeEnvelope, envelopeOf, type ScopeItemReader } from '../protobuf/proto-envelope.js';
import { type MessageFields, readFields } from '../protobuf/proto-fields.js';
import {
  expectWire,
  type ProtoReader,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from '../protobuf/proto-reader.js';
import type { Attributes, AttrValue, LogRecordData, ResourceRecord } from '../records/records.js';
import { type DecodeResult, reject } from '../wire/decode-result.js';
import { logEventName } from './log-event-name.js';
import { logRejectReason } from './log-validity.js';

const ENVELOPE = envelopeOf<LogRecordData>({
  resources: 'resource_logs',
  resourceFields: { 1: 'resource', 2: 'scope_logs[]', 3: 'schema_url' },
  scopeFields: { 1: 'scope', 2: 'log_records[]', 3: 'schema_url' },
});

/** Decodes an ExportLogsServiceRequest; throws only DecodeError. `caches`: the decoder's (a new set when absent). */
export function decodeLogsProto(bytes: Uint8Array, caches?: DecodeCaches): DecodeResult<LogRecordData> {
  return decodeEnvelope(bytes, ENVELOPE, LOG_RECORDS, undefined, caches);
}

const LOG_RECORDS: ScopeItemReader<LogRecordData> = {
  read(
    r: ProtoReader,
    end: number,
    resource: ResourceRecord,
    scopeName: string,
    result: DecodeResult<LogRecordData>,
  ) {
    const log = readLogRecord(r, end, resource, scopeName);
    const reason = logRejectReason(log);
    if (reason === undefined) result.records.push(log);
    else reject(result, reason);
  },
};

/** What a LogRecord's fields are read into. */
interface LogState {
  timeMs: number;
  observedMs: number;
  severityNumber: number;
  severityText: string;
  body: AttrValue;
  eventName: string;
  traceId: string;
  spanId: string;
  attributes: Attributes;
  index: number;
}

const LOG_RECORD: MessageFields<LogState> = {
  names: {
    1: 'time_unix_nano',
    2: 'severity_number',
    3: 'severity_text',
    5: 'body',
    6: 'attributes[]',
    9: 'trace_id',
    10: 'span_id',
    11: 'observed_time_unix_nano',
    12: 'event_name',
  },
  readField(r, field, wire, end, log) {
    switch (field) {
      case 1:
        expectWire(wire, WIRE_FIXED64);
        log.timeMs = r.nanosAsMs();
        break;
      case 11:
        expectWire(wire, WIRE_FIXED64);
        log.observedMs = r.nanosAsMs();
        break;
      case 2:
        expectWire(wire, WIRE_VARINT);
        log.severityNumber = r.uint32();
        break;
      case 3:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        log.severityText = r.string(r.delimited(end));
        break;
      case 5:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        log.body = readAnyValue(r, r.delimited(end));
        break;
      case 6:
        readAttribute(r, wire, end, log.attributes);
        log.index++;
        break;
      case 9:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        log.traceId = r.hex(r.delimited(end));
        break;
      case 10:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        log.spanId = r.hex(r.delimited(end));
        break;
      case 12:
        expectWire(wire, WIRE_LENGTH_DELIMITED);
        log.eventName = r.string(r.delimited(end));
        break;
      default:
        r.skip(wire, end);
    }
  },
  elementIndex: (log) => log.index,
};

function readLogRecord(
  r: ProtoReader,
  end: number,
  resource: ResourceRecord,
  scopeName: string,
): LogRecordData {
  const log: LogState = {
    timeMs: 0,
    observedMs: 0,
    severityNumber: 0,
    severityText: '',
    body: null,
    eventName: '',
    traceId: '',
    spanId: '',
    attributes: {},
    index: 0,
  };
  readFields(r, end, LOG_RECORD, log);
  return {
    resource,
    scopeName,
    timeMs: log.timeMs === 0 ? log.observedMs : log.timeMs,
    severityNumber: log.severityNumber,
    severityText: log.severityText,
    body: log.body,
    eventName: logEventName(log.eventName, log.attributes),
    traceId: log.traceId,
    spanId: log.spanId,
    attributes: log.attributes,
  };
}
