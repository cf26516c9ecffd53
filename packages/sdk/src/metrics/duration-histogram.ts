import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { hrTime, type InstrumentationScope } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type IMetricReader,
  InstrumentType,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';

/** One attribute set's cumulative histogram; recorded into with {@link recordDuration}. */
export type DurationAccumulation = {
  readonly attributes: Attributes;
  /** One more than the boundaries: the last counts values above the last boundary. */
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
};

/** OpenTelemetry's default cardinality limit; further attribute sets share an overflow series. */
const MAX_ACCUMULATIONS = 2000;

/** The reader field OpenTelemetry keeps additional producers in (its constructor's `metricProducers`). */
type ReaderWithProducers = { _metricProducers?: unknown };

/**
 * Adds a value as OpenTelemetry's explicit-bucket histogram would: bucket i holds values up to and
 * including boundary i. NaN is not counted, as there.
 */
export function recordDuration(
  accumulation: DurationAccumulation,
  boundaries: readonly number[],
  value: number,
): void {
  if (Number.isNaN(value)) return;
  let bucket = 0;
  while (bucket < boundaries.length && value > boundaries[bucket]) bucket++;
  accumulation.counts[bucket]++;
  accumulation.count++;
  accumulation.sum += value;
  if (value < accumulation.min) accumulation.min = value;
  if (value > accumulation.max) accumulation.max = value;
}

/**
 * The attempt duration histogram, accumulated by the SDK itself and handed to the metric readers as
 * an additional MetricProducer. Why not OpenTelemetry's sync histogram: it hashes the attribute set
 * (sort the keys, JSON.stringify) on every record, once per reader, which was the largest metrics cost
 * of a short job; here each attempt's series holds its accumulation and recording is a few additions.
 *
 * Only for cumulative readers (our OTLP default and Prometheus; temporality preference `delta` falls
 * back to the sync histogram) and only when every reader accepts producers, so one histogram never
 * reaches a reader twice or not at all.
 */
export class DurationHistogram implements MetricProducer {
  readonly boundaries: readonly number[];
  readonly #descriptor: { name: string; description: string; unit: string; valueType: ValueType };
  readonly #scope: InstrumentationScope;
  readonly #startTime: HrTime = hrTime();
  readonly #accumulations: DurationAccumulation[] = [];
  #overflow: DurationAccumulation | undefined;

  constructor(options: {
    name: string;
    description: string;
    unit: string;
    boundaries: readonly number[];
    scope: InstrumentationScope;
  }) {
    this.boundaries = options.boundaries;
    this.#descriptor = {
      name: options.name,
      description: options.description,
      unit: options.unit,
      valueType: ValueType.DOUBLE,
    };
    this.#scope = options.scope;
  }

  /** Attaches to every reader, or to none (returning false) when one of them cannot take it. */
  attachTo(readers: readonly IMetricReader[]): boolean {
    const attachable = readers.every(
      (reader) =>
        Array.isArray((reader as ReaderWithProducers)._metricProducers) &&
        reader.selectAggregationTemporality(InstrumentType.HISTOGRAM) === AggregationTemporality.CUMULATIVE,
    );
    if (!attachable) return false;
    for (const reader of readers)
      ((reader as ReaderWithProducers)._metricProducers as MetricProducer[]).push(this);
    return true;
  }

  /** A new series with these attributes; call once per attribute set and keep it. */
  accumulation(attributes: Attributes): DurationAccumulation {
    if (this.#accumulations.length >= MAX_ACCUMULATIONS) {
      this.#overflow ??= this.#create({ 'otel.metric.overflow': true });
      return this.#overflow;
    }
    const created = this.#create(attributes);
    this.#accumulations.push(created);
    return created;
  }

  async collect(): Promise<CollectionResult> {
    const endTime = hrTime();
    const all = this.#overflow ? [...this.#accumulations, this.#overflow] : this.#accumulations;
    const dataPoints = all
      .filter((a) => a.count > 0)
      .map((a) => ({
        startTime: this.#startTime,
        endTime,
        attributes: a.attributes,
        // Copied: an exporter may serialize after later jobs have recorded.
        value: {
          buckets: { boundaries: [...this.boundaries], counts: [...a.counts] },
          sum: a.sum,
          count: a.count,
          min: a.min,
          max: a.max,
        },
      }));
    return {
      resourceMetrics: {
        // Ignored by the reader, which keeps the SDK's resource.
        resource: emptyResource(),
        scopeMetrics:
          dataPoints.length === 0
            ? []
            : [
                {
                  scope: this.#scope,
                  metrics: [
                    {
                      descriptor: this.#descriptor,
                      aggregationTemporality: AggregationTemporality.CUMULATIVE,
                      dataPointType: DataPointType.HISTOGRAM,
                      dataPoints,
                    },
                  ],
                },
              ],
      },
      errors: [],
    };
  }

  #create(attributes: Attributes): DurationAccumulation {
    return {
      attributes,
      counts: new Array<number>(this.boundaries.length + 1).fill(0),
      sum: 0,
      count: 0,
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
    };
  }
}
