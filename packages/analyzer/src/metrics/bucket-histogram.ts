import type { Registry } from 'prom-client';

interface Series<L extends string> {
  labels: Record<L, string>;
  /** Per bucket (not cumulative); the last slot counts values above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** One line of prom-client's export format, which its registry renders (and merges, for clusters). */
interface ExportValue {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
}

/** What prom-client's registry reads from a metric, in both its text and JSON paths. */
type MetricJson = { name: string; help: string; type: string; values: ExportValue[]; aggregator: string };

/**
 * A Prometheus histogram observed once per finished attempt: prom-client's own validates and hashes the
 * label object on every observation, most of what per-attempt metrics cost under a flood of spans. Here the
 * caller keeps the series handle (`series(...)`) and `observe` is a bucket search and three additions.
 * Registered in a prom-client registry as a custom metric; the text it renders is prom-client's.
 */
export class BucketHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly all = new Set<Series<L>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** A new series for these labels; keep it and pass it to `observe` (one per label set). */
  series(labels: Record<L, string>): Series<L> {
    const series = { labels, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
    this.all.add(series);
    return series;
  }

  /** Removes a series from the output (its label set went idle); observing it afterwards is lost. */
  drop(series: Series<L>): void {
    this.all.delete(series);
  }

  observe(series: Series<L>, value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let slot = 0;
    while (slot < bounds.length && value > bounds[slot]) slot++;
    series.counts[slot] += 1;
    series.sum += value;
    series.count += 1;
  }

  reset(): void {
    for (const series of this.all) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }

  async getForPromString(): Promise<MetricJson> {
    const values: ExportValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const series of this.all) {
      if (series.count === 0) continue;
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += series.counts[i];
        values.push({
          labels: { le: this.bounds[i] },
          sharedLabels: series.labels,
          value: cumulative,
          metricName: bucketName,
        });
      }
      values.push({
        labels: { le: '+Inf' },
        sharedLabels: series.labels,
        value: series.count,
        metricName: bucketName,
      });
      values.push({
        labels: {},
        sharedLabels: series.labels,
        value: series.sum,
        metricName: `${this.name}_sum`,
      });
      values.push({
        labels: {},
        sharedLabels: series.labels,
        value: series.count,
        metricName: `${this.name}_count`,
      });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The JSON form (`registry.getMetricsAsJSON`): shared labels merged into each value's own. */
  async get(): Promise<MetricJson> {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }
}

export type { Series as HistogramSeries };
