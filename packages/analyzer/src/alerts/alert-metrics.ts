import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryResult } from './alert-deliverer.js';
import type { AlertOutbox, OutboxStatus } from './alert-outbox.js';

/**
 * `joblens_analyzer_alert_deliveries_total{channel,result}` (channels come from the config file, so the
 * label set is bounded by it) and `joblens_analyzer_alert_dead_letters` / `..._pending`, read from the
 * outbox at scrape time.
 */
export function registerAlertMetrics(
  registry: Registry,
  outbox: AlertOutbox,
  channels: readonly string[] = [],
): (channel: string, result: DeliveryResult) => void {
  const deliveries = new Counter({
    name: 'joblens_analyzer_alert_deliveries_total',
    help: 'Alert delivery tries by channel and result (sent, retried, dead, skipped).',
    labelNames: ['channel', 'result'],
    registers: [registry],
  });
  // Series at 0 from the start: Prometheus's increase() cannot see a counter's first step from nothing
  // to 1, and "a delivery died in the last hour" is the question an alert rule asks.
  for (const channel of channels)
    for (const result of ['sent', 'dead'] as const) deliveries.inc({ channel, result }, 0);
  new Gauge({
    name: 'joblens_analyzer_alert_dead_letters',
    help: 'Alert deliveries given up on and kept in the outbox for people to see.',
    registers: [registry],
    async collect() {
      await setCount(this, outbox, 'dead');
    },
  });
  new Gauge({
    name: 'joblens_analyzer_alert_pending',
    help: 'Alert deliveries waiting in the outbox for their first try or a retry.',
    registers: [registry],
    async collect() {
      await setCount(this, outbox, 'pending');
    },
  });
  return (channel, result) => deliveries.inc({ channel, result });
}

/** A scrape while the database is unreachable keeps the last figure rather than failing `/metrics`. */
async function setCount(gauge: Gauge, outbox: AlertOutbox, status: OutboxStatus): Promise<void> {
  try {
    gauge.set(await outbox.count(status));
  } catch {}
}
