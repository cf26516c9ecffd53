import { Gauge, type Registry } from 'prom-client';
import type { MonitorService } from './monitor-service.js';

/**
 * `joblens_monitor_state{monitor,state}` (1, one series per monitor, labelled with its state now) and
 * `joblens_monitor_last_checkin_timestamp_seconds{monitor}`, computed at scrape time so the state is
 * never older than the scrape and deleted monitors disappear.
 */
export function registerMonitorMetrics(registry: Registry, service: MonitorService): void {
  new Gauge({
    name: 'joblens_monitor_state',
    help: 'Heartbeat monitor state: 1 for the state the monitor is in (new, up, grace, down, paused, running).',
    labelNames: ['monitor', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { definition, evaluation } of service.snapshot())
        this.set({ monitor: definition.slug, state: evaluation.state }, 1);
    },
  });
  new Gauge({
    name: 'joblens_monitor_last_checkin_timestamp_seconds',
    help: 'Unix time of the monitor’s last check-in (a start or a success).',
    labelNames: ['monitor'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { definition, evaluation } of service.snapshot()) {
        if (evaluation.lastCheckInMs !== undefined)
          this.set({ monitor: definition.slug }, evaluation.lastCheckInMs / 1000);
      }
    },
  });
}
