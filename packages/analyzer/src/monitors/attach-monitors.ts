import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { AlertPublisher } from '../alerts/alert-event.js';
import type { Detector } from '../detectors/detector.js';
import type { SqliteDatabase } from '../store/open-database.js';
import type { TelemetrySink } from '../telemetry/records.js';
import type { MonitorRow } from '../web/finding-sources.js';
import { alertForMonitorTransition } from './monitor-alert.js';
import { createMonitorDetectors } from './monitor-findings.js';
import { registerMonitorMetrics } from './monitor-metrics.js';
import { MonitorService, type MonitorServiceOptions } from './monitor-service.js';
import { monitorRows } from './monitor-view.js';
import { createMonitorsApiRouter } from './monitors-api-router.js';
import { createPingRouter } from './ping-router.js';

export interface AttachMonitorsInput {
  db: SqliteDatabase;
  config: MonitorServiceOptions['config'];
  now: () => number;
  registry: Registry;
  /** Where down and recovered flips go (the analyzer's durable outbox). */
  alerts: AlertPublisher;
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
  stop(): void;
}

/**
 * Heartbeat monitors inside the analyzer: their own tables in the analyzer's database, telemetry from
 * its sink, findings through its detector runner, and down/recovered transitions to the alert outbox.
 */
export function attachMonitors(input: AttachMonitorsInput): AttachedMonitors {
  const service = new MonitorService({
    db: input.db,
    config: input.config,
    now: input.now,
    onTransition: (monitor, transition) => {
      const alert = alertForMonitorTransition(monitor, transition);
      if (!alert) return;
      try {
        input.alerts.publish(alert);
      } catch (error) {
        // The outbox failing must not stop monitors from evaluating; the flip is still on the page.
        console.error(`joblens: queueing the alert for monitor ${monitor.slug} failed:`, error);
      }
    },
  });
  registerMonitorMetrics(input.registry, service);
  service.start();
  return {
    sink: {
      acceptSpans: (spans) => service.acceptSpans(spans),
      acceptLogs: (logs) => service.acceptLogs(logs),
      acceptMetrics: () => {},
    },
    pingRouter: createPingRouter(service),
    apiRouter: createMonitorsApiRouter(service),
    detectors: createMonitorDetectors(service) as unknown as Detector<object>[],
    rows: () => monitorRows(service),
    stop: () => service.stop(),
  };
}
