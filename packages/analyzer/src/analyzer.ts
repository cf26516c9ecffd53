import { createOtlpListener, LoadShedder, ReceiverStats, type TelemetrySink } from '@joblens/otlp-receiver';
import type { Registry } from 'prom-client';
import type { AlertDeliverer } from './alerts/alert-deliverer.js';
import type { AnalyzerDependencies } from './analyzer/analyzer-dependencies.js';
import { createAnalyzerApiApp } from './analyzer/api-app.js';
import { buildModel } from './analyzer/build-model.js';
import { EvaluationLoop } from './analyzer/evaluation-loop.js';
import { HeldFindings } from './analyzer/held-findings.js';
import { createIngestSink } from './analyzer/ingest-sink.js';
import { createLifecycle } from './analyzer/lifecycle.js';
import { openState } from './analyzer/open-state.js';
import { createOverloadReport } from './analyzer/overload-report.js';
import { StoreHealth } from './analyzer/store-health.js';
import { roleTokens } from './api/access-roles.js';
import type { AnalyzerConfig } from './config/analyzer-config.js';
import { builtInDetectors } from './detectors/built-in-detectors.js';
import { DetectorRunner } from './findings/detector-runner.js';
import type { FindingStore } from './findings/finding-store.js';
import { IncidentLifecycle } from './findings/incident-lifecycle.js';
import type { HistoryStore } from './history/history-store.js';
import { validateAnalyzerConfig } from './load-analyzer-config.js';
import { stderrLogger } from './log/logger.js';
import { AnalyzerMetrics } from './metrics/analyzer-metrics.js';
import { receiverTotals } from './metrics/receiver-totals.js';
import type { AnalyzerView } from './model/analyzer-view.js';
import type { TelemetryModel } from './model/telemetry-model.js';
import { HeapGuard } from './overload/heap-guard.js';
import type { SqliteDatabase } from './store/open-database.js';

export type { AnalyzerDependencies } from './analyzer/analyzer-dependencies.js';

export interface AnalyzerUrls {
  /** Base URL for OTLP/HTTP exporters (`/v1/traces` etc. below it). */
  otlpUrl: string;
  /** Base URL of the page, API, `/metrics` and `/ping`. */
  apiUrl: string;
}

/** A running (or ready to run) analyzer, and what the other parts of it need to reach. */
export interface AnalyzerHandle {
  readonly config: AnalyzerConfig;
  readonly store: FindingStore;
  /** The SQLite database (in memory with `dataDir: ':memory:'`), shared with monitors. */
  readonly db: SqliteDatabase;
  readonly view: AnalyzerView;
  readonly model: TelemetryModel;
  /** The analyzer's own Prometheus registry, served at `/metrics`. */
  readonly registry: Registry;
  readonly metrics: AnalyzerMetrics;
  readonly receiverStats: ReceiverStats;
  /**
   * Where decoded telemetry goes (the model and the monitors), as the OTLP receiver hands it on: for
   * embedders that decode themselves and for tests that drive the analyzer on a virtual clock.
   */
  readonly sink: TelemetrySink;
  /** Requests in flight, bytes reserved and requests shed by the OTLP receiver. */
  readonly shedder: LoadShedder;
  /**
   * The durable alert outbox: `publish` writes one row per routed channel before it returns; the
   * delivery loop (started by `start()`) sends them, retrying for `alerts.retryForHours`.
   */
  readonly alerts: AlertDeliverer;
  /** Every finished attempt, written a few seconds after it ended, and each job's latest state. */
  readonly history: HistoryStore;
  /** Listens on both ports; resolves with the bound URLs (ports may be 0 in the config). */
  start(): Promise<AnalyzerUrls>;
  /**
   * Runs the detectors now and saves what they found (tests; the loop does it every
   * `evaluationIntervalMillis`). Evaluations never overlap: a call during one waits for it, then runs.
   */
  evaluateNow(): Promise<void>;
  /** Closes the servers, evaluates once more, flushes alerts briefly and closes the database. */
  stop(): Promise<void>;
}

/**
 * The model bounds its windows by count, but a flood of large records can still fill the heap before
 * pruning catches up. Past this share of the heap limit the receiver asks senders to come back later
 * rather than letting the process die of out-of-memory and lose everything.
 */
const HEAP_PRESSURE_LIMIT = 0.9;

/**
 * Builds the analyzer: an OTLP app feeding the job model, an evaluation loop running the detectors and
 * saving findings, and an API app (page, JSON API, /metrics, monitors). Nothing listens until `start()`.
 * `input` is validated like a config file (so `{ port: 0, otlpPort: 0, dataDir: ':memory:' }` is enough).
 * The parts live in `analyzer/`: the state opened here (`open-state.ts`), the evaluation loop and the
 * findings it holds, the sink, the overload report, the API app, and the start and stop order.
 */
export function createAnalyzer(
  input: Partial<AnalyzerConfig> = {},
  dependencies: AnalyzerDependencies = {},
): AnalyzerHandle {
  const config = validateAnalyzerConfig(input);
  const clock = dependencies.clock ?? Date.now;
  const logger = dependencies.logger ?? stderrLogger;
  const startedAt = clock();
  const metrics = new AnalyzerMetrics({
    maxSeriesPerMetric: config.maxSeriesPerMetric,
    seriesIdleSeconds: config.seriesIdleSeconds,
    clock,
  });
  const receiverStats = new ReceiverStats();
  const model = buildModel(config, clock, dependencies.model);
  const state = openState({ config, dependencies, clock, logger, metrics, model });
  const { store, alerts, monitors } = state;

  const runner = new DetectorRunner({
    registry: builtInDetectors.with(monitors.detectors),
    overrides: config.detectors,
    logger,
  });
  const held = new HeldFindings({
    store,
    owner: state.shared ? state.owner : undefined,
    // Findings resolved just before a restart may still reopen; the runner drops those past their hold time.
    rememberResolved: (resolved) => runner.remember(resolved),
    loadAlongside: () => state.apiChannels.sync(),
  });
  const lifecycle = new IncidentLifecycle({
    store,
    clock,
    publish: (event) => alerts.publish(event),
    current: (id) => held.open.get(id),
    // Only findings the loop tracks: it saves its copy at every evaluation, which must carry the change.
    onChange: (finding) => {
      if (held.open.has(finding.id)) held.open.set(finding.id, finding);
    },
    reminderHours: config.alerts.reminderHours,
  });
  const storeHealth = new StoreHealth(logger);
  const heapGuard = new HeapGuard({
    limit: HEAP_PRESSURE_LIMIT,
    readShare: dependencies.heapUsedShare,
    collect: dependencies.collectGarbage,
  });
  const shedder = new LoadShedder(
    { maxConcurrentRequests: config.maxConcurrentRequests, maxBufferedBytes: config.maxBufferedBytes },
    clock,
  );
  const loop = new EvaluationLoop({
    clock,
    startedAt,
    evaluationIntervalMillis: config.evaluationIntervalMillis,
    historyRetentionDays: config.historyRetentionDays,
    model,
    heapGuard,
    runner,
    held,
    shared: state.shared,
    prepare: state.startMonitors,
    store,
    alerts,
    storeHealth,
    lifecycle,
    metrics,
    receiverTotals: () => receiverTotals(receiverStats),
    logger,
  });
  const overload = createOverloadReport({
    clock,
    startedAt,
    storeHealth,
    history: state.history,
    heapGuard,
    shedder,
    metrics,
    model,
    openFindings: () => held.open.size,
  });
  const sink: TelemetrySink = createIngestSink(model, monitors, overload.retryAfterSeconds);

  const otlpListener = createOtlpListener({
    sink,
    maxBodyBytes: config.maxBodyBytes,
    token: roleTokens(config).ingest,
    stats: receiverStats,
    shedder,
    admission: {
      attributeLimits: {
        maxAttributeValueChars: config.maxAttributeValueChars,
        maxAttributesPerRecord: config.maxAttributesPerRecord,
        maxEventsPerSpan: config.maxEventsPerSpan,
        maxLinksPerSpan: config.maxLinksPerSpan,
      },
      timestampBounds: {
        maxFutureSkewSeconds: config.maxFutureSkewSeconds,
        maxTimestampAgeSeconds: config.maxTimestampAgeSeconds,
        clock,
      },
    },
    redaction: { emails: config.redactEmails },
  });
  const apiApp = createAnalyzerApiApp({
    config,
    state,
    model,
    lifecycle,
    health: overload.health,
    registry: metrics.registry,
    clock,
    logger,
  });
  const { start, stop } = createLifecycle({ config, state, loop, otlpListener, apiListener: apiApp, logger });

  return {
    config,
    store,
    db: state.db,
    view: model,
    model,
    registry: metrics.registry,
    metrics,
    receiverStats,
    sink,
    shedder,
    alerts,
    history: state.history.store,
    evaluateNow: () => loop.evaluateNow(),
    start,
    stop,
  };
}
