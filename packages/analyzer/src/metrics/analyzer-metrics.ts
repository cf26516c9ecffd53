import { JOB_OUTCOMES } from '@joblens/semconv';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram.js';
import { JobSeriesTable } from './job-series-table.js';
import type {
  DetectorRunStats,
  FinishedAttemptRow,
  OpenFindings,
  QueueMetricsRow,
  ReceiverTotals,
  WorkerMetricsRow,
} from './metric-inputs.js';
import { resolveSeriesLimits, type SeriesLimits } from './series-limits.js';

const SIGNALS = ['traces', 'metrics', 'logs'] as const;

type JobLabel = 'service' | 'queue' | 'job_name';

/** One service + queue + job name: its histogram series and the counts not yet given to prom-client. */
interface JobSeries {
  labels: Record<JobLabel, string>;
  outcomes: Map<string, number>;
  retries: number;
  duration: HistogramSeries<JobLabel>;
  gap?: HistogramSeries<JobLabel>;
}
/** Attempt durations: from sub-second jobs to hour-long batch work. */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** Silent intervals: the default gap threshold (5 s) sits on a bucket bound so alert rules can use `le="5"`. */
const GAP_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900];

/**
 * Label sets the job metrics may hold for `maxSeriesPerMetric` series per metric, as Prometheus counts
 * series: one service/queue/job-name label set is a series per duration bucket, plus `+Inf`, `_sum` and
 * `_count`, in the widest of them. 10,000 series make 588 label sets, about 19,000 series naming a job in
 * all four job metrics together.
 */
export function maxJobLabelSets(maxSeriesPerMetric: number): number {
  return Math.max(1, Math.floor(maxSeriesPerMetric / (DURATION_BUCKETS.length + 3)));
}

/**
 * The analyzer's Prometheus metrics, on a registry of its own (two analyzers in one test process must not
 * share series). Names and labels are the contract the dashboards and alert rules are written against.
 * Gauges describing current state are rebuilt on each evaluation, so series of gone workers, queues and
 * findings disappear instead of freezing at their last value.
 */
export class AnalyzerMetrics {
  readonly registry = new Registry();
  private readonly findingsOpen = this.gauge('joblens_findings_open', 'Open findings by type and subject.', [
    'type',
    'severity',
    'service',
    'queue',
    'worker',
  ]);
  private readonly findingsOpened = this.counter(
    'joblens_findings_opened_total',
    'Findings opened since start.',
    ['type'],
  );
  private readonly heartbeatAge = this.gauge(
    'joblens_worker_heartbeat_age_seconds',
    "Seconds since the worker's last heartbeat metric.",
    ['service', 'worker', 'host'],
  );
  private readonly stoppedAt = this.gauge(
    'joblens_worker_stopped_timestamp_seconds',
    'Unix time at which the worker announced a deliberate stop, while the analyzer still remembers it.',
    ['service', 'worker', 'host'],
  );
  private readonly activeJobs = this.gauge('joblens_worker_active_jobs', 'Jobs the worker is running now.', [
    'service',
    'worker',
    'host',
  ]);
  private readonly jobShare = this.gauge(
    'joblens_worker_job_share',
    "The worker's share (0..1) of the queue's attempts in the imbalance window.",
    ['service', 'queue', 'worker', 'host'],
  );
  private readonly imbalance = this.gauge(
    'joblens_queue_imbalance_ratio',
    "The hottest worker's share divided by the fair share (1 / number of workers).",
    ['service', 'queue'],
  );
  private readonly queueDepth = this.gauge(
    'joblens_analyzer_queue_depth',
    'Jobs in the queue by state, as its adapter last reported.',
    ['service', 'queue', 'state'],
  );
  private readonly oldestReady = this.gauge(
    'joblens_analyzer_queue_oldest_ready_age_seconds',
    'Age of the oldest ready job, as the queue adapter last reported.',
    ['service', 'queue'],
  );
  private readonly attempts = new Counter({
    name: 'joblens_job_attempts_total',
    help: 'Finished job attempts by outcome.',
    labelNames: ['service', 'queue', 'job_name', 'outcome'],
    registers: [this.registry],
    collect: () => this.flushAttemptCounts(),
  });
  private readonly retries = new Counter({
    name: 'joblens_job_retries_total',
    help: 'Attempts after the first (retries run).',
    labelNames: ['service', 'queue', 'job_name'],
    registers: [this.registry],
    collect: () => this.flushAttemptCounts(),
  });
  private readonly duration = new BucketHistogram<JobLabel>(
    'joblens_job_duration_seconds',
    'Attempt durations.',
    DURATION_BUCKETS,
    this.registry,
  );
  private readonly gap = new BucketHistogram<JobLabel>(
    'joblens_job_gap_seconds',
    'Longest silent interval (no step, event or checkpoint) of each finished attempt.',
    GAP_BUCKETS,
    this.registry,
  );
  /**
   * Per-attempt series by service, queue and job name, bounded (see SeriesLimits); counts wait here
   * until a scrape or evaluation.
   */
  private readonly jobSeries: JobSeriesTable<JobSeries>;
  private readonly pendingSeries = new Set<JobSeries>();
  private readonly received = this.counter('joblens_analyzer_received_items_total', 'OTLP items received.', [
    'signal',
  ]);
  private readonly rejected = this.counter('joblens_analyzer_rejected_items_total', 'OTLP items rejected.', [
    'signal',
  ]);
  private readonly decodeErrors = this.counter(
    'joblens_analyzer_decode_errors_total',
    'OTLP requests that did not decode.',
    ['signal'],
  );
  private readonly detectorErrors = this.counter(
    'joblens_analyzer_detector_errors_total',
    'Detector evaluations that threw.',
    ['detector'],
  );
  private readonly detectorSeconds = new Histogram({
    name: 'joblens_analyzer_detector_evaluation_seconds',
    help: 'Time one detector took for one evaluation.',
    labelNames: ['detector'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly windowItems = this.gauge(
    'joblens_analyzer_window_items',
    'Items held in each model window.',
    ['window'],
  );
  private readonly storeSeconds = new Histogram({
    name: 'joblens_analyzer_store_operation_seconds',
    help: 'Time of finding store operations.',
    labelNames: ['operation'],
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });
  private readonly alerts = this.counter('joblens_analyzer_alerts_total', 'Alert deliveries by result.', [
    'result',
  ]);
  private readonly lastReceiverTotals: ReceiverTotals = emptyTotals();

  /**
   * Series each gauge rebuilt per evaluation may hold: the first ones given are shown, the rest left
   * out. Workers and queues are bounded in the model already; shares (worker x queue) are not by that.
   */
  private readonly maxGaugeSeries: number;

  constructor(seriesLimits: Partial<SeriesLimits> = {}) {
    const limits = resolveSeriesLimits(seriesLimits);
    this.maxGaugeSeries = limits.maxSeriesPerMetric;
    this.jobSeries = new JobSeriesTable<JobSeries>(
      limits,
      maxJobLabelSets(limits.maxSeriesPerMetric),
      (labels) => ({ labels, outcomes: new Map(), retries: 0, duration: this.duration.series(labels) }),
      (series) => this.dropJobSeries(series),
    );
    // Pre-create signal series so rate() works from the first scrape, before any traffic.
    for (const signal of SIGNALS) {
      this.received.inc({ signal }, 0);
      this.rejected.inc({ signal }, 0);
      this.decodeErrors.inc({ signal }, 0);
    }
  }

  refreshFindings(open: OpenFindings): void {
    this.findingsOpen.reset();
    for (const f of open) {
      this.findingsOpen.inc({
        type: f.type,
        severity: f.severity,
        service: f.subject.service ?? '',
        queue: f.subject.queue ?? '',
        worker: f.subject.worker ?? '',
      });
    }
  }

  countOpened(type: string): void {
    this.findingsOpened.inc({ type });
  }

  refreshWorkers(workers: readonly WorkerMetricsRow[]): void {
    this.heartbeatAge.reset();
    this.stoppedAt.reset();
    this.activeJobs.reset();
    this.jobShare.reset();
    this.imbalance.reset();
    const sharesByQueue = new Map<string, { service: string; queue: string; shares: number[] }>();
    const max = this.maxGaugeSeries;
    let workerSeries = 0;
    let shareSeries = 0;
    for (const w of workers) {
      if (workerSeries++ >= max) break;
      const labels = { service: w.service, worker: w.worker, host: w.host };
      // A stopped worker has no heartbeat age: its silence is expected, and an alert on the age must not fire.
      if (w.stoppedMs !== undefined) this.stoppedAt.set(labels, w.stoppedMs / 1000);
      else if (w.heartbeatAgeSeconds !== undefined)
        this.heartbeatAge.set(labels, Math.max(0, w.heartbeatAgeSeconds));
      this.activeJobs.set(labels, w.activeJobs);
      for (const [queue, share] of Object.entries(w.shareByQueue)) {
        if (shareSeries++ < max)
          this.jobShare.set({ service: w.service, queue, worker: w.worker, host: w.host }, share);
        const key = `${w.service}\u0000${queue}`;
        const entry = sharesByQueue.get(key) ?? { service: w.service, queue, shares: [] };
        entry.shares.push(share);
        sharesByQueue.set(key, entry);
      }
    }
    let queueSeries = 0;
    for (const { service, queue, shares } of sharesByQueue.values()) {
      if (shares.length === 0) continue;
      if (queueSeries++ >= max) break;
      this.imbalance.set({ service, queue }, Math.max(...shares) * shares.length);
    }
  }

  refreshQueues(queues: readonly QueueMetricsRow[]): void {
    this.queueDepth.reset();
    this.oldestReady.reset();
    let queueSeries = 0;
    for (const q of queues) {
      // Up to five states a queue: the cap counts queues, so a queue's states stay together.
      if (queueSeries++ >= this.maxGaugeSeries) break;
      for (const [state, depth] of Object.entries(q.depthByState)) {
        this.queueDepth.set({ service: q.service, queue: q.queue, state }, depth);
      }
      if (q.oldestReadyAgeSeconds !== undefined) {
        this.oldestReady.set({ service: q.service, queue: q.queue }, q.oldestReadyAgeSeconds);
      }
    }
  }

  /**
   * Called once per finished attempt, so it only adds to the attempt's series; prom-client's counters are
   * advanced per series when they are read (scrape) or by `flushAttemptCounts` (each evaluation).
   */
  countAttempt(a: FinishedAttemptRow): void {
    const series = this.seriesOf(a.service, a.queue, a.jobName);
    series.outcomes.set(a.outcome, (series.outcomes.get(a.outcome) ?? 0) + 1);
    if (a.attempt > 1) series.retries += 1;
    this.pendingSeries.add(series);
    if (Number.isFinite(a.durationSeconds) && a.durationSeconds >= 0)
      this.duration.observe(series.duration, a.durationSeconds);
    if (a.longestGapSeconds !== undefined && Number.isFinite(a.longestGapSeconds)) {
      series.gap ??= this.gap.series(series.labels);
      this.gap.observe(series.gap, a.longestGapSeconds);
    }
  }

  /** Moves the attempt counts gathered since the last call into the prom-client counters. */
  flushAttemptCounts(): void {
    for (const series of this.pendingSeries) {
      for (const [outcome, count] of series.outcomes) this.attempts.inc({ ...series.labels, outcome }, count);
      series.outcomes.clear();
      if (series.retries > 0) this.retries.inc(series.labels, series.retries);
      series.retries = 0;
    }
    this.pendingSeries.clear();
    this.jobSeries.expireIdle();
  }

  /** Job label sets held now, overflow ones included (bounded by `maxSeriesPerMetric` + the overflow). */
  get jobSeriesCount(): number {
    return this.jobSeries.size;
  }

  private dropJobSeries(series: JobSeries): void {
    for (const outcome of JOB_OUTCOMES) this.attempts.remove({ ...series.labels, outcome });
    this.retries.remove(series.labels);
    this.duration.drop(series.duration);
    if (series.gap !== undefined) this.gap.drop(series.gap);
  }

  private seriesOf(service: string, queue: string, jobName: string): JobSeries {
    return this.jobSeries.get(service, queue, jobName);
  }

  /** Receiver totals only grow; counters advance by the difference since the last call. */
  updateReceiverTotals(totals: ReceiverTotals): void {
    for (const signal of SIGNALS) {
      const now = totals[signal];
      const last = this.lastReceiverTotals[signal];
      if (!now) continue;
      advance(this.received, signal, now.receivedItems - last.receivedItems);
      advance(this.rejected, signal, now.rejectedItems - last.rejectedItems);
      advance(this.decodeErrors, signal, now.decodeErrors - last.decodeErrors);
      this.lastReceiverTotals[signal] = { ...now };
    }
  }

  recordDetectorRuns(runs: readonly DetectorRunStats[]): void {
    for (const run of runs) {
      this.detectorSeconds.observe({ detector: run.detector }, run.seconds);
      this.detectorErrors.inc({ detector: run.detector }, run.failed ? 1 : 0);
    }
  }

  refreshWindowSizes(sizes: Record<string, number>): void {
    this.windowItems.reset();
    for (const [window, items] of Object.entries(sizes)) this.windowItems.set({ window }, items);
  }

  observeStoreOperation(operation: string, seconds: number): void {
    this.storeSeconds.observe({ operation }, seconds);
  }

  countAlert(result: string): void {
    this.alerts.inc({ result });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}

function advance(counter: Counter<'signal'>, signal: string, delta: number): void {
  if (delta > 0) counter.inc({ signal }, delta);
}

function emptyTotals(): ReceiverTotals {
  return {
    traces: { receivedItems: 0, rejectedItems: 0, decodeErrors: 0 },
    metrics: { receivedItems: 0, rejectedItems: 0, decodeErrors: 0 },
    logs: { receivedItems: 0, rejectedItems: 0, decodeErrors: 0 },
  };
}
