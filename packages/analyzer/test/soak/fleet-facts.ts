import {
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_OUTCOME,
  ATTR_MONITOR_SLUG,
  LOG_JOB_STILL_RUNNING,
  LOG_WORKER_STOPPED,
  METRIC_WORKER_HEARTBEATS,
} from '@joblens/semconv';
import type { Delivery } from './timeline.js';

/** What a simulated fleet actually sent: proof that a quiet analyzer was quiet about something. */
export interface FleetFacts {
  workers: number;
  stopRecords: number;
  attempts: number;
  cronRuns: number;
  secondAttemptsCompleted: number;
  attemptsOverTwoMinutes: number;
  stillRunningRecords: number;
}

export function fleetFacts(deliveries: readonly Delivery[]): FleetFacts {
  const workers = new Set<string>();
  const facts: FleetFacts = {
    workers: 0,
    stopRecords: 0,
    attempts: 0,
    cronRuns: 0,
    secondAttemptsCompleted: 0,
    attemptsOverTwoMinutes: 0,
    stillRunningRecords: 0,
  };
  for (const delivery of deliveries) {
    if ('points' in delivery) {
      for (const point of delivery.points)
        if (point.name === METRIC_WORKER_HEARTBEATS) workers.add(point.resource.serviceInstanceId);
    } else if ('logs' in delivery) {
      for (const log of delivery.logs) {
        if (log.eventName === LOG_WORKER_STOPPED) facts.stopRecords += 1;
        if (log.eventName === LOG_JOB_STILL_RUNNING) facts.stillRunningRecords += 1;
      }
    } else {
      for (const span of delivery.spans) {
        const outcome = span.attributes[ATTR_JOB_OUTCOME];
        if (outcome === undefined) continue;
        facts.attempts += 1;
        if (span.attributes[ATTR_MONITOR_SLUG] !== undefined) facts.cronRuns += 1;
        if (outcome === 'completed' && span.attributes[ATTR_JOB_ATTEMPT] === 2)
          facts.secondAttemptsCompleted += 1;
        if (span.endMs - span.startMs > 120_000) facts.attemptsOverTwoMinutes += 1;
      }
    }
  }
  facts.workers = workers.size;
  return facts;
}
