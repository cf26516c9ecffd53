// Type-only, and not in package.json: see telemetry-factories.ts.
import type { Attributes, AttrValue, LogRecordData, ResourceRecord, SpanRecord } from '@joblens/analyzer';

/**
 * OTLP/JSON export requests holding records the telemetry factories and finding scenarios made: for tests
 * that post them over HTTP to a real analyzer (another process, say) rather than hand them to its sink.
 */
export function otlpTraceRequestJson(spans: readonly SpanRecord[]): string {
  return JSON.stringify({
    resourceSpans: byResource(spans).map(([resource, group]) => ({
      resource: { attributes: keyValues(resource.attributes) },
      scopeSpans: [{ scope: { name: group[0].scopeName }, spans: group.map(spanJson) }],
    })),
  });
}

export function otlpLogRequestJson(logs: readonly LogRecordData[]): string {
  return JSON.stringify({
    resourceLogs: byResource(logs).map(([resource, group]) => ({
      resource: { attributes: keyValues(resource.attributes) },
      scopeLogs: [{ scope: { name: group[0].scopeName }, logRecords: group.map(logJson) }],
    })),
  });
}

function byResource<T extends { resource: ResourceRecord }>(records: readonly T[]): [ResourceRecord, T[]][] {
  const groups = new Map<ResourceRecord, T[]>();
  for (const record of records) {
    const group = groups.get(record.resource);
    if (group === undefined) groups.set(record.resource, [record]);
    else group.push(record);
  }
  return [...groups];
}

function spanJson(span: SpanRecord): unknown {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(span.endMs),
    attributes: keyValues(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: nanos(event.timeMs),
      attributes: keyValues(event.attributes),
    })),
    status: { code: span.statusCode, message: span.statusMessage },
  };
}

function logJson(log: LogRecordData): unknown {
  return {
    timeUnixNano: nanos(log.timeMs),
    severityNumber: log.severityNumber,
    severityText: log.severityText,
    body: anyValue(log.body),
    eventName: log.eventName,
    traceId: log.traceId,
    spanId: log.spanId,
    attributes: keyValues(log.attributes),
  };
}

/** Unix ms (possibly fractional) as the decimal nanoseconds OTLP/JSON carries. */
function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

function keyValues(attributes: Attributes): unknown[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function anyValue(value: AttrValue): unknown {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}
