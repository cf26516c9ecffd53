import type { OtlpSignal } from '../http/receiver-stats.js';
import type { LogRecordData, MetricPointRecord, ResourceRecord, SpanRecord } from '../records/records.js';
import { type DecodeResult, reject } from '../wire/decode-result.js';
import {
  type AttributeLimits,
  type Changes,
  limitAttributes,
  limitText,
  limitValue,
  resolveAttributeLimits,
} from './attribute-limits.js';
import {
  resolveTimestampBounds,
  type TimestampBounds,
  type TimeWindow,
  timeWindowOf,
} from './timestamp-bounds.js';

type AnyRecord = SpanRecord | LogRecordData | MetricPointRecord;

/** The receiver's `admission` option. */
export interface AdmissionOptions {
  /** OpenTelemetry's attribute limits, enforced on every record (defaults in attribute-limits.ts). */
  attributeLimits?: Partial<AttributeLimits>;
  /**
   * When set, future times are clamped and too old records rejected (defaults in timestamp-bounds.ts).
   * Default: no bounds, as a receiver alone has no retention; the analyzer sets them.
   */
  timestampBounds?: Partial<TimestampBounds>;
}

export interface Admission {
  limits: AttributeLimits;
  bounds: TimestampBounds | undefined;
}

/** Defaults applied and values checked (errors name the option). */
export function resolveAdmission(options: AdmissionOptions = {}): Admission {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createOtlpApp option admission: expected an object, got ${String(options)}`);
  }
  return {
    limits: resolveAttributeLimits(options.attributeLimits),
    bounds:
      options.timestampBounds === undefined ? undefined : resolveTimestampBounds(options.timestampBounds),
  };
}

/** What admission changed in one request, for the receiver's counters. */
export interface AdmissionCounts extends Changes {
  /** Attribute values, names and bodies cut, and attributes, events and links dropped: `count`. */
  /** Times later than the clock allows, set to the clock's time. */
  clamped: number;
}

/**
 * The step between decoding and the sink: every record within the attribute limits and, with
 * `bounds`, within the time window (future times clamped, too old records rejected and counted in
 * `decoded`, so in partial_success). Changes the records in place; both encodings go through it.
 */
export function admitRecords(
  signal: OtlpSignal,
  decoded: DecodeResult<AnyRecord>,
  { limits, bounds }: Admission,
): AdmissionCounts {
  const counts: AdmissionCounts = { count: 0, clamped: 0 };
  const window = bounds === undefined ? undefined : timeWindowOf(bounds);
  const records = decoded.records;
  let kept = 0;
  let lastResource: ResourceRecord | undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    // Records of one resource share its object: limit it once.
    if (record.resource !== lastResource) {
      lastResource = record.resource;
      limitResource(record.resource, limits, counts);
    }
    const reason =
      signal === 'traces'
        ? admitSpan(record as SpanRecord, limits, window, counts)
        : signal === 'logs'
          ? admitLog(record as LogRecordData, limits, window, counts)
          : admitPoint(record as MetricPointRecord, limits, window, counts);
    if (reason === undefined) records[kept++] = record;
    else reject(decoded, reason);
  }
  records.length = kept;
  return counts;
}

function limitResource(resource: ResourceRecord, limits: AttributeLimits, counts: Changes): void {
  const max = limits.maxAttributeValueChars;
  resource.attributes = limitAttributes(resource.attributes, limits, counts);
  if (resource.serviceName.length > max) {
    resource.serviceName = limitText(resource.serviceName, max);
    counts.count += 1;
  }
  if (resource.serviceInstanceId.length > max) {
    resource.serviceInstanceId = limitText(resource.serviceInstanceId, max);
    counts.count += 1;
  }
  if (resource.hostName.length > max) {
    resource.hostName = limitText(resource.hostName, max);
    counts.count += 1;
  }
}

function admitSpan(
  span: SpanRecord,
  limits: AttributeLimits,
  window: TimeWindow | undefined,
  counts: AdmissionCounts,
): string | undefined {
  const max = limits.maxAttributeValueChars;
  if (span.name.length > max) {
    span.name = limitText(span.name, max);
    counts.count += 1;
  }
  if (span.statusMessage.length > max) {
    span.statusMessage = limitText(span.statusMessage, max);
    counts.count += 1;
  }
  span.attributes = limitAttributes(span.attributes, limits, counts);
  if (span.events.length > 0) limitEvents(span, limits, window, counts);
  if (span.links.length > 0) {
    if (span.links.length > limits.maxLinksPerSpan) {
      counts.count += span.links.length - limits.maxLinksPerSpan;
      span.links.length = limits.maxLinksPerSpan;
    }
    for (const link of span.links) link.attributes = limitAttributes(link.attributes, limits, counts);
  }
  if (window === undefined) return undefined;
  if (span.endMs < window.earliestMs)
    return `span "${limitText(span.name, 64)}": ended before the oldest time kept`;
  if (span.startMs > window.latestMs) {
    span.startMs = window.nowMs;
    counts.clamped += 1;
  }
  if (span.endMs > window.latestMs) {
    span.endMs = Math.max(span.startMs, window.nowMs);
    counts.clamped += 1;
  }
  return undefined;
}

function limitEvents(
  span: SpanRecord,
  limits: AttributeLimits,
  window: TimeWindow | undefined,
  counts: AdmissionCounts,
): void {
  const events = span.events;
  if (events.length > limits.maxEventsPerSpan) {
    counts.count += events.length - limits.maxEventsPerSpan;
    events.length = limits.maxEventsPerSpan;
  }
  for (const event of events) {
    if (event.name.length > limits.maxAttributeValueChars) {
      event.name = limitText(event.name, limits.maxAttributeValueChars);
      counts.count += 1;
    }
    event.attributes = limitAttributes(event.attributes, limits, counts);
    if (window !== undefined && event.timeMs > window.latestMs) {
      event.timeMs = window.nowMs;
      counts.clamped += 1;
    }
  }
}

function admitLog(
  log: LogRecordData,
  limits: AttributeLimits,
  window: TimeWindow | undefined,
  counts: AdmissionCounts,
): string | undefined {
  log.attributes = limitAttributes(log.attributes, limits, counts);
  if (log.body !== null && typeof log.body !== 'number' && typeof log.body !== 'boolean')
    log.body = limitValue(log.body, limits, counts);
  if (window === undefined || log.timeMs === 0) return undefined;
  if (log.timeMs < window.earliestMs) return 'log record: time before the oldest time kept';
  if (log.timeMs > window.latestMs) {
    log.timeMs = window.nowMs;
    counts.clamped += 1;
  }
  return undefined;
}

function admitPoint(
  point: MetricPointRecord,
  limits: AttributeLimits,
  window: TimeWindow | undefined,
  counts: AdmissionCounts,
): string | undefined {
  if (point.name.length > limits.maxAttributeValueChars) {
    point.name = limitText(point.name, limits.maxAttributeValueChars);
    counts.count += 1;
  }
  point.attributes = limitAttributes(point.attributes, limits, counts);
  if (window === undefined || point.timeMs === 0) return undefined;
  if (point.timeMs < window.earliestMs)
    return `data point of "${limitText(point.name, 64)}": time before the oldest time kept`;
  if (point.timeMs > window.latestMs) {
    point.timeMs = window.nowMs;
    counts.clamped += 1;
  }
  return undefined;
}
