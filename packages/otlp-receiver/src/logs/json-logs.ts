import {
  anyValueFromJson,
  attributesField,
  eachObject,
  resourceFromJson,
  scopeNameFromJson,
} from '../json/json-attributes.js';
import { enumField, nanosField, parseJsonBody, pick, stringField } from '../json/json-values.js';
import type { LogRecordData } from '../records/records.js';
import { jsonId } from '../traces/json-traces.js';
import { locate } from '../wire/decode-error.js';
import { type DecodeResult, emptyResult, reject } from '../wire/decode-result.js';
import { SEVERITY_NUMBER_NAMES } from '../wire/otlp-enums.js';
import { logEventName } from './log-event-name.js';
import { logRejectReason } from './log-validity.js';

/** Decodes an OTLP JSON ExportLogsServiceRequest into the same records as the protobuf decoder. */
export function decodeLogsJson(body: Uint8Array): DecodeResult<LogRecordData> {
  const result = emptyResult<LogRecordData>();
  const root = parseJsonBody(body);
  eachObject(root, 'resourceLogs', 'resource_logs', (resourceLogs) => {
    const resource = resourceFromJson(resourceLogs);
    eachObject(resourceLogs, 'scopeLogs', 'scope_logs', (scopeLogs) => {
      const scopeName = scopeNameFromJson(scopeLogs);
      eachObject(scopeLogs, 'logRecords', 'log_records', (json) => {
        const attributes = attributesField(json);
        const timeMs = nanosField(json, 'timeUnixNano', 'time_unix_nano');
        let body: LogRecordData['body'];
        try {
          body = anyValueFromJson(pick(json, 'body', 'body'));
        } catch (err) {
          throw locate(err, 'body');
        }
        const log: LogRecordData = {
          resource,
          scopeName,
          timeMs: timeMs === 0 ? nanosField(json, 'observedTimeUnixNano', 'observed_time_unix_nano') : timeMs,
          severityNumber: enumField(json, 'severityNumber', 'severity_number', SEVERITY_NUMBER_NAMES),
          severityText: stringField(json, 'severityText', 'severity_text'),
          body,
          eventName: logEventName(stringField(json, 'eventName', 'event_name'), attributes),
          traceId: jsonId(json, 'traceId', 'trace_id', 16),
          spanId: jsonId(json, 'spanId', 'span_id', 8),
          attributes,
        };
        const reason = logRejectReason(log);
        if (reason === undefined) result.records.push(log);
        else reject(result, reason);
      });
    });
  });
  return result;
}
