import { ATTR_JOB_OUTCOME, JOB_OUTCOMES, type JobOutcome } from '@joblens/semconv';
import type { AttemptFacts, JobLogFacts } from '../model/facts.js';
import type { MonitorDefinition } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';

/** A signal read from telemetry, with what a monitor is matched on. */
export interface TelemetrySignal {
  service: string;
  jobName: string;
  monitorSlug?: string;
  event: MonitorEvent;
  detail: Record<string, unknown>;
}

/**
 * How an attempt's outcome reads for the scheduled work it belongs to.
 *
 * `retry_scheduled` (and `stalled`, which queues re-run) is not a failure of the scheduled work: what
 * Healthchecks.io and Sentry Crons users watch is whether the run as a whole succeeded on time, and a
 * retry that then succeeds should not page anyone. The attempt's run closes without a verdict; if the
 * retries take the work past its deadline the monitor goes down as late, and when they run out the last
 * attempt is `exhausted`, which is a failure.
 */
function eventForOutcome(outcome: JobOutcome, atMs: number, runId: string): MonitorEvent {
  if (outcome === 'completed') return { type: 'success', atMs, runId };
  if (outcome === 'failed' || outcome === 'exhausted') return { type: 'failure', atMs, runId };
  return { type: 'retry', atMs, runId };
}

/** The end of an attempt, from its span as the model read it. The run id is the span id. */
export function signalFromAttempt(attempt: AttemptFacts): TelemetrySignal {
  return {
    service: attempt.service,
    jobName: attempt.jobName,
    ...(attempt.monitorSlug ? { monitorSlug: attempt.monitorSlug } : {}),
    event: eventForOutcome(attempt.outcome, attempt.endMs, attempt.spanId),
    detail: {
      traceId: attempt.traceId,
      spanId: attempt.spanId,
      jobId: attempt.jobId,
      outcome: attempt.outcome,
      worker: attempt.worker,
    },
  };
}

/**
 * A start, from a `job started` log record (run id = the attempt's span id, so the span's end pairs with
 * it), or an end from a `job ended` record that carries an outcome: a pipeline that samples spans away
 * still closes its runs. A span and a log record ending the same run count once (the evaluator skips run
 * ids it has already closed). Undefined for other records.
 */
export function signalFromJobLog(facts: JobLogFacts): TelemetrySignal | undefined {
  if (!facts.jobName || (facts.kind !== 'started' && facts.kind !== 'ended')) return undefined;
  let event: MonitorEvent;
  if (facts.kind === 'started') {
    event = { type: 'start', atMs: facts.timeMs, runId: facts.spanId };
  } else {
    const outcome = facts.attributes[ATTR_JOB_OUTCOME];
    if (!JOB_OUTCOMES.includes(outcome as JobOutcome)) return undefined;
    event = eventForOutcome(outcome as JobOutcome, facts.timeMs, facts.spanId);
  }
  return {
    service: facts.service,
    jobName: facts.jobName,
    ...(facts.monitorSlug ? { monitorSlug: facts.monitorSlug } : {}),
    event,
    detail: { traceId: facts.traceId, spanId: facts.spanId, jobId: facts.jobId, worker: facts.worker },
  };
}

/** A job naming the slug checks in to it, and so does one whose job name (and service, when the monitor sets one) matches. */
function signalMatches(definition: MonitorDefinition, signal: TelemetrySignal): boolean {
  if (signal.monitorSlug === definition.slug) return true;
  if (definition.jobName === undefined || definition.jobName !== signal.jobName) return false;
  return definition.service === undefined || definition.service === signal.service;
}

/** The signals each monitor takes, by slug; a signal matching several monitors checks in to each. */
export function signalsBySlug(
  definitions: readonly MonitorDefinition[],
  signals: readonly TelemetrySignal[],
): Map<string, TelemetrySignal[]> {
  const bySlug = new Map<string, TelemetrySignal[]>();
  for (const signal of signals) {
    for (const definition of definitions) {
      if (!signalMatches(definition, signal)) continue;
      const taken = bySlug.get(definition.slug) ?? [];
      taken.push(signal);
      bySlug.set(definition.slug, taken);
    }
  }
  return bySlug;
}
