import type { Histogram } from '@opentelemetry/sdk-metrics';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { DurationHistogram, recordDuration } from '../src/metrics/duration-histogram.js';

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const BOUNDARIES = [0.01, 0.1, 1, 10];
const VALUES = [0, 0.005, 0.01, 0.0100001, 0.1, 0.5, 1, 9.99, 10, 10.5, 3600];

function ourHistogram(): DurationHistogram {
  return new DurationHistogram({
    name: 'messaging.process.duration',
    description: 'Duration of job attempts.',
    unit: 's',
    boundaries: BOUNDARIES,
    scope: { name: 'test' },
  });
}

describe('the duration histogram the SDK accumulates itself', () => {
  it('buckets, counts and sums values exactly as OpenTelemetry’s explicit-bucket histogram does', async () => {
    const reader = new OnDemandReader();
    const provider = new MeterProvider({ readers: [reader] });
    const reference = provider.getMeter('reference').createHistogram('d', {
      advice: { explicitBucketBoundaries: BOUNDARIES },
    });
    const ours = ourHistogram();
    const attributes = { 'joblens.job.name': 'resize' };
    const accumulation = ours.accumulation(attributes);
    for (const value of VALUES) {
      reference.record(value, attributes);
      recordDuration(accumulation, ours.boundaries, value);
    }
    const expected = (await reader.collect()).resourceMetrics.scopeMetrics[0].metrics[0].dataPoints[0]
      .value as Histogram;
    const collected = (await ours.collect()).resourceMetrics.scopeMetrics[0].metrics[0];
    expect(collected.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(collected.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    const actual = collected.dataPoints[0].value as Histogram;
    expect(actual.buckets).toEqual(expected.buckets);
    expect([actual.count, actual.sum, actual.min, actual.max]).toEqual([
      expected.count,
      expected.sum,
      expected.min,
      expected.max,
    ]);
    await provider.shutdown();
  });

  it('attaches to cumulative readers only, and then to all of them or none', () => {
    const cumulative = new OnDemandReader();
    const delta = new OnDemandReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
    expect(ourHistogram().attachTo([cumulative, delta])).toBe(false);
    expect((cumulative as unknown as { _metricProducers: unknown[] })._metricProducers).toHaveLength(0);
    expect(ourHistogram().attachTo([cumulative])).toBe(true);
    expect((cumulative as unknown as { _metricProducers: unknown[] })._metricProducers).toHaveLength(1);
  });

  it('reports nothing until a value is recorded, and shares one overflow series past the limit', async () => {
    const ours = ourHistogram();
    expect((await ours.collect()).resourceMetrics.scopeMetrics).toEqual([]);
    const series = Array.from({ length: 2001 }, (_, i) =>
      ours.accumulation({ 'joblens.job.name': `job-${i}` }),
    );
    expect(series[2000].attributes).toEqual({ 'otel.metric.overflow': true });
    expect(ours.accumulation({ 'joblens.job.name': 'one more' })).toBe(series[2000]);
  });
});
