import type { AlertDeliverer } from '../alerts/alert-deliverer.js';
import type { AlertOutbox } from '../alerts/alert-outbox.js';
import type { ApiChannels } from '../alerts/api-channels.js';
import { createAlertDelivery } from '../alerts/create-alert-delivery.js';
import type { AnalyzerConfig } from '../config/analyzer-config.js';
import type { FindingStore } from '../findings/finding-store.js';
import { type AttachedHistory, attachHistory } from '../history/attach-history.js';
import { openHistoryStore } from '../history/open-history-store.js';
import type { Logger } from '../log/logger.js';
import type { AnalyzerMetrics } from '../metrics/analyzer-metrics.js';
import type { TelemetryModel } from '../model/telemetry-model.js';
import { type AttachedMonitors, attachMonitors } from '../monitors/attach-monitors.js';
import { instanceName, openFindingBackend } from '../store/finding-backend.js';
import { openDatabase, type SqliteDatabase } from '../store/open-database.js';
import { openPostgres, type PgPool } from '../store/postgres/open-postgres.js';
import { TimedFindingStore } from '../store/timed-finding-store.js';
import type { AnalyzerDependencies } from './analyzer-dependencies.js';

export interface OpenStateInput {
  config: AnalyzerConfig;
  dependencies: AnalyzerDependencies;
  clock: () => number;
  logger: Logger;
  metrics: AnalyzerMetrics;
  /** Feeds the job history its finished attempts and the monitors their check-ins. */
  model: TelemetryModel;
}

/** The analyzer's databases and what lives in them: findings, alerts, job history, monitors. */
export interface AnalyzerState {
  /** The SQLite database (in memory with `dataDir: ':memory:'`). */
  db: SqliteDatabase;
  /** With a database URL: the one pool every store shares. */
  pool: PgPool | undefined;
  /** The owner recorded on the findings this analyzer raises. */
  owner: string;
  /** Whether other analyzers write the same findings (PostgreSQL, unless the findings store was given). */
  shared: boolean;
  /** The finding store, timed into /metrics. */
  store: FindingStore;
  history: AttachedHistory;
  alerts: AlertDeliverer;
  alertOutbox: AlertOutbox;
  apiChannels: ApiChannels;
  monitors: AttachedMonitors;
  /** Starts the monitors once, whichever asks first: `start()` or an evaluation before it. */
  startMonitors: () => Promise<void>;
}

/**
 * Opens the databases and the stores on them, and attaches the job history and the monitors to the
 * model. With a database URL, the shared state (findings, monitors, history, alerts) lives in PostgreSQL
 * and the SQLite file keeps only what is this analyzer's own.
 */
export function openState(input: OpenStateInput): AnalyzerState {
  const { config, dependencies, clock, logger, metrics, model } = input;
  const db = openDatabase(config.dataDir);
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
  let monitorsStarted: Promise<void> | undefined;
  return {
    db,
    pool,
    owner,
    shared: backend.shared && !dependencies.store,
    store,
    history,
    alerts,
    alertOutbox,
    apiChannels,
    monitors,
    startMonitors: () => {
      monitorsStarted ??= monitors.start();
      return monitorsStarted;
    },
  };
}
