import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { AlertDeliverer } from '../alerts/alert-deliverer.js';
import type { AlertOutbox } from '../alerts/alert-outbox.js';
import type { Detector } from '../detectors/detector.js';
import { ALERT_OUTBOX_SCHEMA } from '../store/alert-outbox-schema.js';
import type { SqliteDatabase } from '../store/open-database.js';
import { schemaOnFirstUse } from '../store/postgres/ensure-schema.js';
import type { PgPool } from '../store/postgres/open-postgres.js';
import { insertOutboxRows } from '../store/postgres/postgres-alert-outbox.js';
import { PG_ALERT_OUTBOX_MIGRATIONS } from '../store/postgres/postgres-schema.js';
import { SqliteAlertOutbox } from '../store/sqlite-alert-outbox.js';
import type { TelemetrySink } from '../telemetry/records.js';
import type { MonitorRow } from '../web/finding-sources.js';
import { alertForMonitorTransition } from './monitor-alert.js';
import { createMonitorDetectors } from './monitor-findings.js';
import { registerMonitorMetrics } from './monitor-metrics.js';
import { MonitorService, type MonitorServiceOptions } from './monitor-service.js';
import type { MonitorAlertRows, MonitorStore } from './monitor-store.js';
import { monitorRows } from './monitor-view.js';
import { createMonitorsApiRouter } from './monitors-api-router.js';
import { createPingRouter } from './ping-router.js';
import { PostgresMonitorStore } from './postgres-monitor-store.js';
import { SqliteMonitorStore } from './sqlite-monitor-store.js';

export interface AttachMonitorsInput {
  /** The analyzer's SQLite file: the monitors' home without a pool. */
  db: SqliteDatabase;
  /** With a database URL: monitors live in PostgreSQL, shared with every analyzer on it. */
  pool?: PgPool;
  config: MonitorServiceOptions['config'];
  now: () => number;
  registry: Registry;
  /** Routes down and recovered flips to channels, and is woken when their rows are queued. */
  alerts: Pick<AlertDeliverer, 'queued' | 'wake'>;
  /**
   * The outbox in the monitors' database, whose rows a monitor's step writes in its own transaction.
   * On SQLite it must be the `SqliteAlertOutbox` of `db`; with a pool the rows go to its `alert_outbox`.
   */
  outbox: AlertOutbox;
}

/** What the analyzer mounts for heartbeat monitors. */
export interface AttachedMonitors {
  /** Telemetry signals: attempt ends and `job started` records. */
  sink: TelemetrySink;
  /** `/ping/...`: before the token check, so cron jobs need no API token. */
  pingRouter: Router;
  /** `/api/monitors/...`: behind the token. */
  apiRouter: Router;
  /** missed_heartbeat and runaway_job, run by the analyzer's detector runner with its own defaults. */
  detectors: Detector<object>[];
  rows(): MonitorRow[];
  /** Opens the store, brings the config's monitors in and starts the timer; before the ports listen. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Heartbeat monitors inside the analyzer: their own tables in the analyzer's database, telemetry from
 * its sink, findings through its detector runner, and down/recovered transitions to the alert outbox.
 */
export function attachMonitors(input: AttachMonitorsInput): AttachedMonitors {
  const service = new MonitorService({
    store: monitorStoreFor(input),
    config: input.config,
    now: input.now,
    alertsFor: (monitor, transitions): MonitorAlertRows[] =>
      input.alerts.queued(
        transitions.flatMap((transition) => alertForMonitorTransition(monitor, transition) ?? []),
      ),
    onAlertsQueued: () => input.alerts.wake(),
  });
  registerMonitorMetrics(input.registry, service);
  return {
    sink: {
      // Never rejects; on SQLite the check-ins are stored before these return.
      acceptSpans: (spans) => void service.acceptSpans(spans),
      acceptLogs: (logs) => void service.acceptLogs(logs),
      acceptMetrics: () => {},
    },
    pingRouter: createPingRouter(service),
    apiRouter: createMonitorsApiRouter(service),
    detectors: createMonitorDetectors(service) as unknown as Detector<object>[],
    rows: () => monitorRows(service),
    start: () => service.start(),
    stop: () => service.stop(),
  };
}

/**
 * PostgreSQL with a pool, else the SQLite file. Either way the outbox rows of a flip are written by the
 * step that stores it, in the monitors' database: SQLite's outbox shares the file, and PostgreSQL's
 * `alert_outbox` is the one every analyzer delivers from.
 */
function monitorStoreFor(input: AttachMonitorsInput): MonitorStore {
  if (input.pool) {
    // The outbox may not have been used yet on this database; its table must exist before a step writes to it.
    const outboxReady = schemaOnFirstUse(input.pool, [[ALERT_OUTBOX_SCHEMA, PG_ALERT_OUTBOX_MIGRATIONS]]);
    return new PostgresMonitorStore(input.pool, async (client, alerts) => {
      await outboxReady();
      await insertOutboxRows(client, alerts);
    });
  }
  const outbox = input.outbox;
  if (!(outbox instanceof SqliteAlertOutbox))
    throw new Error('monitors on SQLite need the SQLite alert outbox of the same file');
  return new SqliteMonitorStore(input.db, (alerts) => outbox.write(alerts));
}
