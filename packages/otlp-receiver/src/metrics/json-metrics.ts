import { attributesField, eachObject, resourceFromJson, scopeNameFromJson } from '../json/json-attributes.js';
import {
  arrayField,
  boolField,
  doubleField,
  doubleValue,
  enumField,
  integerField,
  integerValue,
  type JsonObject,
  nanosField,
  objectField,
  parseJsonBody,
  pick,
  stringField,
} from '../json/json-values.js';
import type { HistogramValue, MetricPointKind, MetricPointRecord } from '../records/records.js';
import { locate } from '../wire/decode-error.js';
import { type DecodeResult, emptyResult, reject } from '../wire/decode-result.js';
import { TEMPORALITY_NAMES } from '../wire/otlp-enums.js';

/** Metric data fields in JSON and proto spelling, with the point kind each carries. */
const DATA_FIELDS: ReadonlyArray<[string, string, MetricPointKind]> = [
  ['gauge', 'gauge', 'gauge'],
  ['sum', 'sum', 'sum'],
  ['histogram', 'histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram', 'exponential_histogram'],
  ['summary', 'summary', 'summary'],
];

/** Decodes an OTLP JSON ExportMetricsServiceRequest into the same records as the protobuf decoder. */
export function decodeMetricsJson(body: Uint8Array): DecodeResult<MetricPointRecord> {
  const result = emptyResult<MetricPointRecord>();
  const root = parseJsonBody(body);
  eachObject(root, 'resourceMetrics', 'resource_metrics', (resourceMetrics) => {
    const resource = resourceFromJson(resourceMetrics);
    eachObject(resourceMetrics, 'scopeMetrics', 'scope_metrics', (scopeMetrics) => {
      const scopeName = scopeNameFromJson(scopeMetrics);
      eachObject(scopeMetrics, 'metrics', 'metrics', (metric) => {
        const name = stringField(metric, 'name', 'name');
        const unit = stringField(metric, 'unit', 'unit');
        for (const [jsonName, protoName, kind] of DATA_FIELDS) {
          const data = objectField(metric, jsonName, protoName);
          if (data === undefined) continue;
          try {
            const temporality =
              kind === 'gauge' || kind === 'summary'
                ? 0
                : enumField(data, 'aggregationTemporality', 'aggregation_temporality', TEMPORALITY_NAMES);
            const monotonic = kind === 'sum' ? boolField(data, 'isMonotonic', 'is_monotonic') : false;
            eachObject(data, 'dataPoints', 'data_points', (json) => {
              const point: MetricPointRecord = {
                resource,
                scopeName,
                name,
                unit,
                kind,
                monotonic,
                temporality,
                timeMs: nanosField(json, 'timeUnixNano', 'time_unix_nano'),
                startTimeMs: nanosField(json, 'startTimeUnixNano', 'start_time_unix_nano'),
                attributes: attributesField(json),
                value: Number.NaN,
              };
              if (kind === 'gauge' || kind === 'sum') {
                if (!readNumberValue(json, point)) {
                  reject(result, 'number data point without a value');
                  return;
                }
              } else {
                point.histogram = histogramFromJson(json, kind);
              }
              result.records.push(point);
            });
          } catch (err) {
            throw locate(err, protoName);
          }
        }
      });
    });
  });
  return result;
}

function readNumberValue(json: JsonObject, point: MetricPointRecord): boolean {
  const asInt = pick(json, 'asInt', 'as_int');
  if (asInt !== undefined) {
    point.value = integerValue(asInt, 'as_int');
    return true;
  }
  const asDouble = doubleField(json, 'asDouble', 'as_double');
  if (asDouble === undefined) return false;
  point.value = asDouble;
  return true;
}

function histogramFromJson(json: JsonObject, kind: MetricPointKind): HistogramValue {
  const histogram: HistogramValue = {
    count: integerField(json, 'count', 'count'),
    sum: doubleField(json, 'sum', 'sum') ?? 0,
    bucketCounts: [],
    explicitBounds: [],
  };
  if (kind !== 'summary') {
    const min = doubleField(json, 'min', 'min');
    if (min !== undefined) histogram.min = min;
    const max = doubleField(json, 'max', 'max');
    if (max !== undefined) histogram.max = max;
  }
  if (kind === 'histogram') {
    histogram.bucketCounts = arrayField(json, 'bucketCounts', 'bucket_counts').map((v, i) =>
      integerValue(v, `bucket_counts[${i}]`),
    );
    histogram.explicitBounds = arrayField(json, 'explicitBounds', 'explicit_bounds').map((v, i) =>
      doubleValue(v, `explicit_bounds[${i}]`),
    );
  }
  return histogram;
}
