import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { AlertDeliverer } from './alerts/alert-deliverer.js';
import { alertEventForTransition } from './alerts/alert-event-for-transition.js';
import { createChannelsApiRouter } from './alerts/channels-api-router.js';
import { createAlertDelivery } from './alerts/create-alert-delivery.js';
import { roleTokens } from './api/access-roles.js';
import { createApiRouter } from './api/api-router.js';
import { apiWorkers } from './api/api-workers.js';
import { createApiApp } from './api/create-api-app.js';
import { findingSourcesFromView } from './api/finding-sources-from-view.js';
import type { Health } from './api/health-router.js';
import { closeServer, listen, urlOf } from './api/http-server.js';
import { createIncidentRouter } from './api/incident-router.js';
import { createJobsRouter } from './api/jobs-router.js';
import type { AnalyzerConfig } from './config/analyzer-config.js';
import { builtInDetectorOptions, builtInDetectors } from './detectors/built-in-detectors.js';
import { createExplainRouter } from './explain/explain-router.js';
import { adoptSharedFindings } from './findings/adopt-shared-findings.js';
import type { AlertEvent } from './findings/alert-event.js';
import { DetectorRunner } from './findings/detector-runner.js';
import type { Finding, FindingTransition } from './findings/finding.js';
import type { FindingStore } from './findings/finding-store.js';
import { IncidentLifecycle } from './findings/incident-lifecycle.js';
import { findingIdentity } from './findings/reconcile.js';
import { attachHistory } from './history/attach-history.js';
import type { HistoryStore } from './history/history-store.js';
import { openHistoryStore } from './history/open-history-store.js';
import { validateAnalyzerConfig } from './load-analyzer-config.js';
import { type Logger, stderrLogger } from './log/logger.js';
import { AnalyzerMetrics } from './metrics/analyzer-metrics.js';
import { AttemptCounter } from './metrics/attempt-counter.js';
import { receiverTotals } from './metrics/receiver-totals.js';
import { refreshMetricsFromView } from './metrics/refresh-from-view.js';
import type { AnalyzerView } from './model/analyzer-view.js';
import type { TelemetryModelOptions } from './model/model-options.js';
import { TelemetryModel } from './model/telemetry-model.js';
import { attachMonitors } from './monitors/attach-monitors.js';
import { LoadShedder } from './otlp/load-shedder.js';
import { createOtlpListener } from './otlp/otlp-app.js';
import { ReceiverStats } from './otlp/receiver-stats.js';
import { HeapGuard } from './overload/heap-guard.js';
import { instanceName, openFindingBackend } from './store/finding-backend.js';
import { openDatabase, type SqliteDatabase } from './store/open-database.js';
import { openPostgres } from './store/postgres/open-postgres.js';
import { TimedFindingStore } from './store/timed-finding-store.js';
import type { TelemetrySink } from './telemetry/records.js';
import { createAlertsRouter } from './web/alerts-router.js';
import { createJobsPageRouter } from './web/jobs-page-router.js';
import { createWebRouter } from './web/web-router.js';

/** Things tests and embedders may supply instead of the defaults the config implies. */
export interface AnalyzerDependencies {
  /**
   * Findings go here instead of the configured database; the alerts its saves raise go to that store's own
   * outbox, so give it the analyzer's database (tests of a failing store).
   */
  store?: FindingStore;
  /** The owner recorded on the findings this analyzer raises. Default: see `instanceName`. */
  instanceName?: string;
  /** Current time in Unix ms. Default `Date.now`. */
  clock?: () => number;
  /** Bounds of the job model's windows (defaults in model-options.ts). */
  model?: TelemetryModelOptions;
  /** The heap's used share of its limit (0..1). Default: read from V8 (tests pass their own). */
  heapUsedShare?: () => number;
  /** Runs a full garbage collection once the model freed memory under heap pressure. Default: V8's. */
  collectGarbage?: () => void;
  /** The job history goes here instead of PostgreSQL (with a database URL) or the SQLite file. */
  history?: HistoryStore;
  /** False: finished attempts are not written to the job history (benchmarks compare). Default true. */
  recordHistory?: boolean;
  /** Where failures, recoveries and refused work are told. Default {@link stderrLogger}: one line each on stderr. */
  logger?: Logger;
}

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

/** Seconds a sender is asked to wait while the store fails or the model cannot keep up. */
const OVERLOAD_RETRY_AFTER_SECONDS = 5;
/** How long `stop()` waits for the job history to take the attempts still queued; the rest are lost. */
const HISTORY_FLUSH_MILLIS = 5000;
/** How long `stop()` waits for a delivery pass in flight; what is left waits in the outbox for the next start. */
const ALERT_FLUSH_MILLIS = 2000;
/**
 * After a restart the model starts empty, so every finding open before it would look gone. Findings
 * inherited from the store are not resolved during this first minute, while telemetry refills the model.
 */
const RESTART_WARMUP_MILLIS = 60_000;
/**
 * The model bounds its windows by count, but a flood of large records can still fill the heap before
 * pruning catches up. Past this share of the heap limit the receiver asks senders to come back later
 * rather than letting the process die of out-of-memory and lose everything.
 */
const HEAP_PRESSURE_LIMIT = 0.9;
/** `/healthz` reports overload while the receiver shed a request within this long. */
const SHED_REPORT_MILLIS = 10_000;
/**
 * The detectors read windows of up to 50k attempts and 100k live jobs; under a flood of telemetry one
 * evaluation can take a good part of a second. Spacing evaluations so they take at most about one part in
 * (1 + this), a tenth, of the process's time keeps ingest from starving (a 250 ms evaluation then runs
 * every 2.5 s rather than every second). An idle analyzer, whose evaluations are
 * cheap, still evaluates every `evaluationIntervalMillis`; what is found does not change, only how soon.
 */
const EVALUATION_IDLE_FACTOR = 9;
/** How often resolved findings past the retention are deleted. */
const FINDING_PRUNE_INTERVAL_MILLIS = 3_600_000;

/**
 * Builds the analyzer: an OTLP app feeding the job model, an evaluation loop running the detectors and
 * saving findings, and an API app (page, JSON API, /metrics, monitors). Nothing listens until `start()`.
 * `input` is validated like a config file (so `{ port: 0, otlpPort: 0, dataDir: ':memory:' }` is enough).
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
  // Explain needs attributes only of attempts a finding can be about: attempts long enough to hold a
  // mystery gap, and running ones silent long enough to be silent jobs.
  const detectorOptions = builtInDetectorOptions(config.detectors);
  const model = new TelemetryModel({
    longAttemptSeconds: Math.max(0.001, detectorOptions.mystery_gap.gapThresholdSeconds),
    // Half the threshold: records come every few seconds, and the one that carries what the job waits on
    // must already be held when the finding opens, not one record later.
    silentAttemptSeconds: Math.max(0.001, detectorOptions.silent_job.silenceThresholdSeconds / 2),
    maxRetainedAttributeBytes: config.maxRetainedAttributeBytes,
    ...dependencies.model,
    clock,
  });
  const db = openDatabase(config.dataDir);
  // With a database URL, the shared state (findings, monitors, history, alerts) lives in PostgreSQL and the
  // SQLite file keeps only what is this analyzer's own. One pool serves every store.
  const pool = config.databaseUrl
    ? openPostgres(config.databaseUrl, (error) => logger.error('a PostgreSQL connection failed', error))
    : undefined;
  const history = attachHistory({
    store: dependencies.history ?? openHistoryStore(db, config.dataDir, pool, logger),
    model,
    clock,
    registry: metrics.registry,
    retentionDays: config.historyRetentionDays,
    maxBytes: config.historyMaxBytes,
    record: dependencies.recordHistory,
    logger,
  });
  const owner = dependencies.instanceName ?? instanceName(config.port);
  const backend = openFindingBackend({ db, pool, owner });
  const store = new TimedFindingStore(dependencies.store ?? backend.findings, (operation, seconds) =>
    metrics.observeStoreOperation(operation, seconds),
  );
  const {
    deliverer: alerts,
    outbox: alertOutbox,
    apiChannels,
  } = createAlertDelivery({
    outbox: backend.outbox,
    channelStore: backend.channels,
    alerts: config.alerts,
    alertWebhookUrl: config.alertWebhookUrl,
    registry: metrics.registry,
    countAlert: (result) => metrics.countAlert(result),
    clock,
    currentFinding: (id) => store.get(id),
    logger,
  });
  const publishAlert = (event: AlertEvent) => alerts.publish(event);

  // Monitors live beside the findings (PostgreSQL with a pool): a flip's alert rows go to the outbox in
  // the step that stores the flip, so it alerts once across analyzers and survives a kill -9.
  const monitors = attachMonitors({
    db,
    pool,
    config: config.monitors,
    now: clock,
    registry: metrics.registry,
    alerts,
    outbox: backend.outbox,
    logger,
  });
  model.listen(monitors.listener);

  const runner = new DetectorRunner({
    registry: builtInDetectors.with(monitors.detectors),
    overrides: config.detectors,
    logger,
  });
  let monitorsStarted: Promise<void> | undefined;
  const startMonitors = () => {
    monitorsStarted ??= monitors.start();
    return monitorsStarted;
  };
  /** The open findings this analyzer raised or holds: the only ones its evaluations resolve. */
  const openFindings = new Map<string, Finding>();
  /** On a shared database, the open findings other analyzers hold, by type and key (see adoptSharedFindings). */
  let othersOpen = new Map<string, Finding>();
  const inherited = new Set<string>();
  let loaded = false;
  /**
   * Takes back what the store holds, before the first evaluation (and again at the next one if the
   * database is unreachable at start). On SQLite every open finding is this analyzer's. On a shared
   * PostgreSQL database only the findings whose latest status change this instance recorded are: the
   * others belong to the analyzers whose shard holds their jobs, and adopting them here would have this
   * analyzer resolve them once its own, different jobs do not show the fault. They are still listed.
   */
  async function loadFromStore(): Promise<void> {
    if (loaded) return;
    const [open, resolved] = await Promise.all([
      store.open(backend.shared && !dependencies.store ? { owner } : {}),
      store.list({ status: 'resolved', limit: 1000 }),
      apiChannels.sync(),
    ]);
    for (const finding of open) {
      openFindings.set(finding.id, finding);
      inherited.add(finding.id);
    }
    // Findings resolved just before a restart may still reopen; the runner drops those past their hold time.
    runner.remember(resolved);
    loaded = true;
  }
  const lifecycle = new IncidentLifecycle({
    store,
    clock,
    publish: (event) => publishAlert(event),
    current: (id) => openFindings.get(id),
    // Only findings the loop tracks: it saves its copy at every evaluation, which must carry the change.
    onChange: (finding) => {
      if (openFindings.has(finding.id)) openFindings.set(finding.id, finding);
    },
    reminderHours: config.alerts.reminderHours,
  });
  const attemptCounter = new AttemptCounter(model, metrics);
  let storeError: Error | undefined;
  const heapGuard = new HeapGuard({
    limit: HEAP_PRESSURE_LIMIT,
    readShare: dependencies.heapUsedShare,
    collect: dependencies.collectGarbage,
  });
  const shedder = new LoadShedder(
    { maxConcurrentRequests: config.maxConcurrentRequests, maxBufferedBytes: config.maxBufferedBytes },
    clock,
  );

  /** Tail of the evaluations asked for: each waits for the one before, so two never overlap. */
  let evaluations: Promise<void> = Promise.resolve();
  function evaluateNow(): Promise<void> {
    const next = evaluations.then(evaluateOnce);
    evaluations = next.catch(() => {});
    return next;
  }

  async function evaluateOnce(): Promise<void> {
    const now = clock();
    // Here and not only during ingest: while ingest is refused, nothing else would prune.
    model.prune(now);
    heapGuard.check(() => model.shedRetainedAttributes());
    try {
      if (!(await loadedFromStore())) return;
      const run = runner.run(model, [...openFindings.values()], now);
      const failed = new Set<string>(run.failedTypes);
      metrics.recordDetectorRuns(
        runner
          .stats()
          .map((s) => ({ detector: s.type, seconds: s.lastEvaluationSeconds, failed: failed.has(s.type) })),
      );
      const shared = adoptSharedFindings(run, othersOpen);
      const result = now - startedAt < RESTART_WARMUP_MILLIS ? keepInheritedOpen(shared, inherited) : shared;
      const recorded = await persist(result.findings, result.transitions);
      if (!recorded) return;
      for (const finding of result.findings) {
        if (finding.status === 'open') openFindings.set(finding.id, finding);
        else openFindings.delete(finding.id);
      }
      announce(result.findings, recorded);
      await lifecycle.remind(openFindings.values(), now);
      await pruneResolvedFindings(now);
    } catch (error) {
      logger.error('evaluation failed', error);
    }
    try {
      metrics.refreshFindings([...openFindings.values()]);
      refreshMetricsFromView(metrics, model, now);
      metrics.updateReceiverTotals(receiverTotals(receiverStats));
      attemptCounter.countNew();
    } catch (error) {
      logger.error('refreshing metrics failed', error);
    }
  }

  /** False (and the store marked failing) while what the store holds cannot be read at start. */
  async function loadedFromStore(): Promise<boolean> {
    try {
      // An embedder (or a test) may evaluate without start(): the config's monitors must be in all the same.
      await startMonitors();
      await loadFromStore();
      if (backend.shared && !dependencies.store) await refreshHeldFindings();
      return true;
    } catch (error) {
      storeFailed(error);
      return false;
    }
  }

  /**
   * On a shared database people act through any analyzer, and another analyzer may resolve a finding this
   * one holds too. Before each evaluation the held copies take the stored acknowledgement, snooze and
   * last reminder (else this analyzer's next save would undo them), and findings no longer open in the
   * store are let go: should this analyzer still see the fault, it raises it again as a reopening.
   */
  async function refreshHeldFindings(): Promise<void> {
    const stored = new Map((await store.open()).map((f) => [f.id, f]));
    for (const [id, held] of openFindings) {
      const current = stored.get(id);
      if (current) openFindings.set(id, withIncidentFieldsOf(held, current));
      else openFindings.delete(id);
    }
    othersOpen = new Map();
    for (const finding of stored.values())
      if (!openFindings.has(finding.id)) othersOpen.set(findingIdentity(finding.type, finding.key), finding);
  }

  /**
   * Saves, with the alerts the recorded transitions raise in the same transaction of the same database:
   * a kill -9 after the save cannot lose them, and a transition another analyzer recorded first is
   * neither recorded nor alerted again. With nothing to save the store is still read, so a database
   * that went away is noticed. A failing store is remembered (back pressure, /healthz) and retried by
   * the next evaluation; resolves with the recorded transitions, or undefined when the store failed.
   */
  async function persist(
    findings: Finding[],
    transitions: FindingTransition[],
  ): Promise<FindingTransition[] | undefined> {
    try {
      let recorded: FindingTransition[] = [];
      if (findings.length === 0 && transitions.length === 0) await store.list({ limit: 1 });
      else
        recorded = await store.save(findings, transitions, {
          alertsFor: (kept) => alerts.queued(alertEventsOf(findings, [...kept])),
        });
      if (recorded.length > 0) alerts.wake();
      if (storeError) logger.info('the finding store works again');
      storeError = undefined;
      return recorded;
    } catch (error) {
      storeFailed(error);
      return undefined;
    }
  }

  function storeFailed(error: unknown): void {
    if (!storeError) logger.error('the finding store fails; refusing telemetry until it works', error);
    storeError = error instanceof Error ? error : new Error(String(error));
  }

  let lastFindingPruneAt = Number.NEGATIVE_INFINITY;
  /** Once an hour: findings resolved longer ago than `historyRetentionDays`, with their transitions. */
  async function pruneResolvedFindings(now: number): Promise<void> {
    if (now - lastFindingPruneAt < FINDING_PRUNE_INTERVAL_MILLIS) return;
    lastFindingPruneAt = now;
    try {
      await store.prune(now - config.historyRetentionDays * 24 * 3_600_000);
    } catch (error) {
      logger.error('pruning resolved findings failed', error);
    }
  }

  function announce(findings: Finding[], transitions: FindingTransition[]): void {
    const byId = new Map(findings.map((f) => [f.id, f]));
    for (const transition of transitions) {
      const finding = byId.get(transition.findingId);
      if (!finding) continue;
      if (transition.to === 'open' && transition.from === null) metrics.countOpened(finding.type);
    }
  }

  // Records are read once, by the model; the monitors take their check-ins from what it read.
  const sink: TelemetrySink = {
    acceptSpans(spans) {
      model.ingestSpans(spans);
      monitors.flushTelemetry();
    },
    acceptLogs(logs) {
      model.ingestLogs(logs);
      monitors.flushTelemetry();
    },
    acceptMetrics(points) {
      model.ingestMetrics(points);
    },
    overloadedRetryAfterSeconds() {
      return storeError || heapGuard.overloaded || history.overloadReason() !== undefined
        ? OVERLOAD_RETRY_AFTER_SECONDS
        : undefined;
    },
  };

  /** Why the analyzer refuses or sheds telemetry now; empty while it takes everything. */
  function overloadReasons(): string[] {
    const reasons: string[] = [];
    if (storeError) reasons.push(`the finding store fails: ${storeError.message}`);
    const historyReason = history.overloadReason();
    if (historyReason !== undefined) reasons.push(historyReason);
    if (heapGuard.overloaded)
      reasons.push(
        `heap at ${Math.round(heapGuard.share * 100)}% of its limit: ingest refused until it falls`,
      );
    if (clock() - shedder.lastShedMs < SHED_REPORT_MILLIS)
      reasons.push(
        `shedding load: OTLP requests refused with 429 in the last ${SHED_REPORT_MILLIS / 1000} s`,
      );
    return reasons;
  }

  const health = (): Health => {
    const reasons = overloadReasons();
    return {
      ok: reasons.length === 0,
      reasons,
      uptimeSeconds: (clock() - startedAt) / 1000,
      counts: {
        openFindings: openFindings.size,
        heapUsedShare: heapGuard.share,
        inFlightRequests: shedder.inFlightRequests,
        bufferedBytes: shedder.bufferedBytes,
        shedRequests: shedder.shed.requests + shedder.shed.bytes,
        jobSeries: metrics.jobSeriesCount,
        ...model.windowSizes(),
      },
      store: storeError ? { ok: false, error: storeError.message } : { ok: true },
    };
  };

  const sources = findingSourcesFromView({
    store,
    view: model,
    now: clock,
    monitors: () => monitors.rows(),
    jaegerUrl: config.jaegerUrl,
  });
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
  const jobSources = {
    history: history.store,
    store,
    view: model,
    now: clock,
    jaegerUrl: config.jaegerUrl,
    logger,
  };
  const apiApp = createApiApp({
    health,
    tokens: roleTokens(config),
    host: config.host,
    trustProxy: config.trustProxy,
    logger,
    openRouters: [monitors.pingRouter],
    protectedRouters: [
      createApiRouter({ store, workers: () => apiWorkers(model, clock()), now: clock, logger }),
      createIncidentRouter(lifecycle, clock),
      monitors.apiRouter,
      createExplainRouter(sources, logger),
      createWebRouter(sources, logger),
      createJobsRouter(jobSources),
      createJobsPageRouter(jobSources),
      createAlertsRouter(alertOutbox, { clock, wake: () => alerts.wake() }),
      createChannelsApiRouter(apiChannels, config.alerts.channels, logger),
    ],
    registry: metrics.registry,
  });

  let servers: Server[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Evaluates, then waits the interval, or longer after a costly evaluation (EVALUATION_IDLE_FACTOR). */
  function scheduleEvaluation(delayMillis: number): void {
    timer = setTimeout(async () => {
      const started = performance.now();
      // Awaited: the next evaluation is scheduled only once this one saved, so they never overlap.
      await evaluateNow();
      if (stopped) return;
      const costMillis = performance.now() - started;
      scheduleEvaluation(Math.max(config.evaluationIntervalMillis, costMillis * EVALUATION_IDLE_FACTOR));
    }, delayMillis);
    // The loop must not keep a process alive on its own; the servers do that while they listen.
    timer.unref();
  }

  return {
    config,
    store,
    db,
    view: model,
    model,
    registry: metrics.registry,
    metrics,
    receiverStats,
    sink,
    shedder,
    alerts,
    history: history.store,
    evaluateNow,
    async start() {
      if (servers.length) throw new Error('the analyzer is already started');
      // Before the ports open: a ping or a check-in must find the monitors' tables and the config's monitors.
      await startMonitors();
      const otlpServer = await listen(otlpListener, config.otlpPort, config.host);
      const apiServer = await listen(apiApp, config.port, config.host).catch(async (error) => {
        await closeServer(otlpServer);
        throw error;
      });
      servers = [otlpServer, apiServer];
      scheduleEvaluation(config.evaluationIntervalMillis);
      alerts.start();
      history.start();
      return { otlpUrl: urlOf(otlpServer, config.host), apiUrl: urlOf(apiServer, config.host) };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await Promise.all(servers.map(closeServer));
      await evaluateNow();
      try {
        await monitors.stop();
      } catch (error) {
        logger.error('stopping the monitors failed', error);
      }
      try {
        await history.stop(HISTORY_FLUSH_MILLIS);
      } catch (error) {
        logger.error('stopping the job history failed', error);
      }
      await alerts.stop(ALERT_FLUSH_MILLIS);
      await store.close();
      if (db.open) db.close();
      await pool?.end();
    },
  };
}

/** The alert events of saved transitions, in order; a reopening within the hold time raises none. */
function alertEventsOf(findings: Finding[], transitions: FindingTransition[]): AlertEvent[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const events: AlertEvent[] = [];
  for (const transition of transitions) {
    const finding = byId.get(transition.findingId);
    const event = finding && alertEventForTransition(finding, transition);
    if (event) events.push(event);
  }
  return events;
}

/** `held` with the people's part (acknowledgement, snooze, last reminder) as `stored` has it. */
function withIncidentFieldsOf(held: Finding, stored: Finding): Finding {
  const { acknowledgedBy: _a, acknowledgedAt: _b, snoozedUntil: _c, remindedAt: _d, ...rest } = held;
  const merged: Finding = { ...rest };
  if (stored.acknowledgedBy !== undefined) merged.acknowledgedBy = stored.acknowledgedBy;
  if (stored.acknowledgedAt !== undefined) merged.acknowledgedAt = stored.acknowledgedAt;
  if (stored.snoozedUntil !== undefined) merged.snoozedUntil = stored.snoozedUntil;
  if (stored.remindedAt !== undefined) merged.remindedAt = stored.remindedAt;
  return merged;
}

/** Drops resolutions of findings that were open when the analyzer started (see RESTART_WARMUP_MILLIS). */
function keepInheritedOpen(
  run: { findings: Finding[]; transitions: FindingTransition[] },
  inherited: ReadonlySet<string>,
): { findings: Finding[]; transitions: FindingTransition[] } {
  const held = (id: string, to: string) => to === 'resolved' && inherited.has(id);
  return {
    findings: run.findings.filter((f) => !held(f.id, f.status)),
    transitions: run.transitions.filter((t) => !held(t.findingId, t.to)),
  };
}
