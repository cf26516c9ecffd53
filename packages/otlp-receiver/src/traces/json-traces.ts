import { attributesField, eachObject, resourceFromJson, scopeNameFromJson } from '../json/json-attributes.js';
import {
  enumField,
  type JsonObject,
  nanosField,
  objectField,
  parseJsonBody,
  stringField,
} from '../json/json-values.js';
import type { SpanEventRecord, SpanLinkRecord, SpanRecord } from '../records/records.js';
import { DecodeError, locate } from '../wire/decode-error.js';
import { type DecodeResult, emptyResult, reject } from '../wire/decode-result.js';
import { idFromJson } from '../wire/hex-id.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../wire/otlp-enums.js';
import { spanRejectReason } from './span-validity.js';

/** Stands in for an id that is neither hex nor base64, so the validity check rejects the span. */
const INVALID_ID = 'invalid';

/** Decodes an OTLP JSON ExportTraceServiceRequest into the same records as the protobuf decoder. */
export function decodeTracesJson(body: Uint8Array): DecodeResult<SpanRecord> {
  const result = emptyResult<SpanRecord>();
  const root = parseJsonBody(body);
  eachObject(root, 'resourceSpans', 'resource_spans', (resourceSpans) => {
    const resource = resourceFromJson(resourceSpans);
    eachObject(resourceSpans, 'scopeSpans', 'scope_spans', (scopeSpans) => {
      const scopeName = scopeNameFromJson(scopeSpans);
      eachObject(scopeSpans, 'spans', 'spans', (json) => {
        const span: SpanRecord = {
          resource,
          scopeName,
          traceId: jsonId(json, 'traceId', 'trace_id', 16),
          spanId: jsonId(json, 'spanId', 'span_id', 8),
          parentSpanId: jsonId(json, 'parentSpanId', 'parent_span_id', 8),
          name: stringField(json, 'name', 'name'),
          kind: enumField(json, 'kind', 'kind', SPAN_KIND_NAMES),
          startMs: nanosField(json, 'startTimeUnixNano', 'start_time_unix_nano'),
          endMs: nanosField(json, 'endTimeUnixNano', 'end_time_unix_nano'),
          statusCode: 0,
          statusMessage: '',
          attributes: attributesField(json),
          events: [],
          links: [],
        };
        const status = objectField(json, 'status', 'status');
        if (status !== undefined) {
          try {
            span.statusCode = enumField(status, 'code', 'code', STATUS_CODE_NAMES);
            span.statusMessage = stringField(status, 'message', 'message');
          } catch (err) {
            throw locate(err, 'status');
          }
        }
        eachObject(json, 'events', 'events', (event) => span.events.push(eventFromJson(event)));
        eachObject(json, 'links', 'links', (link) => span.links.push(linkFromJson(link)));
        const reason = spanRejectReason(span);
        if (reason === undefined) result.records.push(span);
        else reject(result, reason);
      });
    });
  });
  return result;
}

/** An id field as lowercase hex; wrong text becomes an id the validity checks reject. */
export function jsonId(json: JsonObject, jsonName: string, protoName: string, byteLength: number): string {
  const text = stringField(json, jsonName, protoName);
  return idFromJson(text, byteLength) ?? INVALID_ID;
}

function eventFromJson(json: JsonObject): SpanEventRecord {
  return {
    name: stringField(json, 'name', 'name'),
    timeMs: nanosField(json, 'timeUnixNano', 'time_unix_nano'),
    attributes: attributesField(json),
  };
}

function linkFromJson(json: JsonObject): SpanLinkRecord {
  const link = {
    traceId: jsonId(json, 'traceId', 'trace_id', 16),
    spanId: jsonId(json, 'spanId', 'span_id', 8),
    attributes: attributesField(json),
  };
  if (link.traceId === INVALID_ID || link.spanId === INVALID_ID) {
    throw new DecodeError('expected a hex id', link.traceId === INVALID_ID ? 'trace_id' : 'span_id');
  }
  return link;
}
