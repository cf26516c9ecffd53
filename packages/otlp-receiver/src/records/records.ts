/**
 * What the OTLP decoders hand to the rest of the analyzer: plain records with hex ids and
 * millisecond times. Everything past the decoder (job model, monitors, store) reads these,
 * never protobuf or OTLP JSON.
 */

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

/** A resource, shared by reference among every record that came with it. */
export interface ResourceRecord {
  /** `service.name`, or `unknown_service` when absent. */
  serviceName: string;
  /** `service.instance.id`, or '' when absent. */
  serviceInstanceId: string;
  /** `host.name`, or '' when absent. */
  hostName: string;
  attributes: Attributes;
}

/** OTLP SpanKind numbers. */
export const SPAN_KIND = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
/** OTLP Status.code numbers. */
export const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEventRecord {
  name: string;
  timeMs: number;
  attributes: Attributes;
}

export interface SpanLinkRecord {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface SpanRecord {
  resource: ResourceRecord;
  scopeName: string;
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  /** Unix time in milliseconds (fractional: nanosecond input keeps sub-millisecond precision). */
  startMs: number;
  endMs: number;
  statusCode: number;
  statusMessage: string;
  attributes: Attributes;
  events: SpanEventRecord[];
  links: SpanLinkRecord[];
}

export interface LogRecordData {
  resource: ResourceRecord;
  scopeName: string;
  /** time_unix_nano, or observed_time_unix_nano when that is 0; in milliseconds. */
  timeMs: number;
  severityNumber: number;
  severityText: string;
  body: AttrValue;
  /** LogRecord.event_name, else the `event.name` attribute, else ''. */
  eventName: string;
  /** '' when the record carries no trace context. */
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export type MetricPointKind = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

export interface HistogramValue {
  count: number;
  sum: number;
  min?: number;
  max?: number;
  bucketCounts: number[];
  explicitBounds: number[];
}

/** One data point of one metric; a metric with many points becomes many records. */
export interface MetricPointRecord {
  resource: ResourceRecord;
  scopeName: string;
  name: string;
  unit: string;
  kind: MetricPointKind;
  /** For sums: true when monotonic. */
  monotonic: boolean;
  /** 1 = delta, 2 = cumulative, 0 = unspecified (gauges). */
  temporality: number;
  timeMs: number;
  startTimeMs: number;
  attributes: Attributes;
  /** Gauge and sum value (as_double or as_int); NaN for histograms and summaries. */
  value: number;
  histogram?: HistogramValue;
}

/** Where decoded telemetry goes. The receiver calls these after a request decoded successfully. */
export interface TelemetrySink {
  acceptSpans(spans: SpanRecord[]): void;
  acceptLogs(logs: LogRecordData[]): void;
  acceptMetrics(points: MetricPointRecord[]): void;
  /**
   * When set and returning a number of seconds, the receiver refuses new data with 503 and that
   * Retry-After (back pressure, for example while the store is behind).
   */
  overloadedRetryAfterSeconds?(): number | undefined;
}
