import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { AlertMessage } from '../alerts/alert-message.js';
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
  sendAlert(message: AlertMessage): void;
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
 * its sink, findings through its detector runner, and down/recovered transitions straight to the webhook.
 */
export function attachMonitors(input: AttachMonitorsInput): AttachedMonitors {
  const service = new MonitorService({
    db: input.db,
    config: input.config,
    now: input.now,
    onTransition: (monitor, transition) => {
      const alert = alertForMonitorTransition(monitor, transition);
      if (alert) input.sendAlert(alert);
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
