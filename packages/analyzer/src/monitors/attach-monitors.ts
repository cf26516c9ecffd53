import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { AlertDeliverer } from '../alerts/alert-deliverer.js';
import type { RegisteredDetector } from '../detectors/detector-registry.js';
import type { MonitorRow } from '../findings/finding-sources.js';
import type { Logger } from '../log/logger.js';
import type { ModelListener } from '../model/model-listener.js';
import { alertForMonitorTransition } from './monitor-alert.js';
import { createMonitorDetectors } from './monitor-findings.js';
import { registerMonitorMetrics } from './monitor-metrics.js';
import { MonitorService, type MonitorServiceOptions } from './monitor-service.js';
import type { MonitorAlertRows } from './monitor-store.js';
import { monitorRows } from './monitor-view.js';
import { createMonitorsApiRouter } from './monitors-api-router.js';
import { type MonitorStoreInput, openMonitorStore } from './open-monitor-store.js';
import { createPingRouter } from './ping-router.js';

/** Where monitors live (`db`, or `pool` when set, with the `outbox` beside them) and what they report to. */
export interface AttachMonitorsInput extends MonitorStoreInput {
  config: MonitorServiceOptions['config'];
  now: () => number;
  registry: Registry;
  /** Routes down and recovered flips to channels, and is woken when their rows are queued. */
  alerts: Pick<AlertDeliverer, 'queued' | 'wake'>;
  /** Where the monitors' failures are told. Default {@link stderrLogger}. */
  logger?: Logger;
}

/** What the analyzer mounts for heartbeat monitors. */
export interface AttachedMonitors {
  /** Listens to the model for check-ins: attempt ends, `job started` and `job ended` records. */
  listener: ModelListener;
  /** Applies the check-ins the listener gathered from the batch just ingested. */
  flushTelemetry(): void;
  /** `/ping/...`: before the token check, so cron jobs need no API token. */
  pingRouter: Router;
  /** `/api/monitors/...`: behind the token. */
  apiRouter: Router;
  /** missed_heartbeat and runaway_job, run by the analyzer's detector runner with its own defaults. */
  detectors: RegisteredDetector[];
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
    store: openMonitorStore(input),
    config: input.config,
    now: input.now,
    alertsFor: (monitor, transitions): MonitorAlertRows[] =>
      input.alerts.queued(
        transitions.flatMap((transition) => alertForMonitorTransition(monitor, transition) ?? []),
      ),
    onAlertsQueued: () => input.alerts.wake(),
    logger: input.logger,
  });
  registerMonitorMetrics(input.registry, service);
  return {
    listener: service.telemetryListener,
    // Never rejects; on SQLite the check-ins are stored before it returns.
    flushTelemetry: () => void service.flushTelemetry(),
    pingRouter: createPingRouter(service),
    apiRouter: createMonitorsApiRouter(service),
    detectors: createMonitorDetectors(service),
    rows: () => monitorRows(service),
    start: () => service.start(),
    stop: () => service.stop(),
  };
}
