import type { MonitorRow } from '../findings/finding-sources.js';
import type { MonitorService, MonitorStatus } from './monitor-service.js';
import type { PingRecord, StoredTransition } from './monitor-store.js';
import { describeSchedule, monitorInputOf } from './parse-monitor-definition.js';

/** A monitor in the JSON API: its state now, its deadlines (unix ms) and its definition as written. */
export function monitorView({ definition, origin, evaluation }: MonitorStatus): Record<string, unknown> {
  return {
    slug: definition.slug,
    name: definition.name,
    state: evaluation.state,
    stateSinceMs: evaluation.stateSinceMs,
    schedule: describeSchedule(definition.schedule),
    lastCheckInMs: evaluation.lastCheckInMs ?? null,
    nextExpectedMs: evaluation.nextExpectedMs ?? null,
    /** When it goes down unless a signal comes first. */
    nextDeadlineMs: evaluation.downAtMs ?? null,
    down: evaluation.down ?? null,
    openRuns: evaluation.openRuns,
    consecutiveFailures: evaluation.cursor.consecutiveFailures,
    origin,
    definition: monitorInputOf(definition),
  };
}

export function transitionView(t: StoredTransition): Record<string, unknown> {
  return {
    atMs: t.atMs,
    from: t.from,
    to: t.to,
    reason: t.reason,
    runId: t.runId ?? null,
    exitCode: t.exitCode ?? null,
  };
}

export function pingView(p: PingRecord): Record<string, unknown> {
  return { ...p.event, source: p.source, body: p.body ?? null, detail: p.detail };
}

/** The rows the web page's monitors view shows (`FindingSources.monitors()`). */
export function monitorRows(service: MonitorService): MonitorRow[] {
  return service.snapshot().map(({ definition, evaluation }) => {
    const row: MonitorRow = {
      slug: definition.slug,
      state: evaluation.state,
      schedule: describeSchedule(definition.schedule),
      history: service
        .recentTransitionsOf(definition.slug)
        .map((t) => ({ at: t.atMs, from: t.from, to: t.to, reason: t.reason })),
    };
    if (evaluation.lastCheckInMs !== undefined) row.lastCheckInMs = evaluation.lastCheckInMs;
    if (evaluation.downAtMs !== undefined) row.nextDeadlineMs = evaluation.downAtMs;
    return row;
  });
}
