import { evaluateMonitor, type MonitorEvaluation, type MonitorTransition } from './evaluate-monitor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import type { MonitorOrigin, MonitorRecord, MonitorStore, StoredTransition } from './monitor-store.js';

/** A monitor as the API and the page show it: the definition and its state now. */
export interface MonitorStatus {
  definition: MonitorDefinition;
  origin: MonitorOrigin;
  evaluation: MonitorEvaluation;
}

/** Transitions kept in memory per monitor for the page's history column. */
const RECENT_TRANSITIONS = 20;

/** The state of a stored monitor at `now` (never before its cursor), without storing anything. */
export function statusAt(record: MonitorRecord, now: number): MonitorStatus {
  const evaluation = evaluateMonitor(
    record.definition,
    { cursor: record.cursor, events: [] },
    Math.max(now, record.cursor.atMs),
  );
  return { definition: record.definition, origin: record.origin, evaluation };
}

/** When time alone next changes this monitor's state, as of its last evaluation. */
export function nextChangeOf(record: MonitorRecord): number | undefined {
  return evaluateMonitor(record.definition, { cursor: record.cursor, events: [] }, record.cursor.atMs)
    .nextChangeMs;
}

/**
 * One analyzer's copy of the stored monitors, with each one's newest transitions: what the detector
 * runner, the metrics and the page read, as they cannot wait for a database, and what the timer reads to
 * know when to wake. Bounded by the stored monitors (auto-create stops at 1000) and 20 transitions each.
 */
export class MonitorCopy {
  private records = new Map<string, MonitorRecord>();
  private readonly recent = new Map<string, StoredTransition[]>();
  /** When the copy was last read whole from a shared store; it tells the state as of then. */
  private refreshedAtMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly store: MonitorStore,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.records.size;
  }

  get(slug: string): MonitorRecord | undefined {
    return this.records.get(slug);
  }

  all(): MonitorRecord[] {
    return [...this.records.values()];
  }

  /** Reads every monitor from the store, and the history of those whose state changed since. */
  async refresh(): Promise<void> {
    const readAt = this.now();
    const fresh = new Map((await this.store.list()).map((r) => [r.definition.slug, r]));
    const changed: string[] = [];
    for (const [slug, record] of fresh) {
      const known = this.records.get(slug);
      // A step this analyzer finished after the read began is newer than what the read returned.
      if (known && known.cursor.atMs > record.cursor.atMs) fresh.set(slug, known);
      // Another analyzer changed its state: the page's history column needs the new transitions.
      if (!known || known.cursor.stateSinceMs !== record.cursor.stateSinceMs || !this.recent.has(slug))
        changed.push(slug);
    }
    // Side by side: at the first read that is every monitor, and the pool queues what it cannot take at once.
    const histories = await Promise.all(
      changed.map((slug) => this.store.transitions(slug, RECENT_TRANSITIONS)),
    );
    for (const [i, slug] of changed.entries()) this.recent.set(slug, histories[i]);
    for (const slug of this.recent.keys()) if (!fresh.has(slug)) this.recent.delete(slug);
    this.records = fresh;
    if (this.store.shared) this.refreshedAtMs = readAt;
  }

  /** Keeps what a step stored, unless the copy already holds a later cursor (steps can finish out of order). */
  update(record: MonitorRecord, transitions: readonly MonitorTransition[] = []): void {
    const slug = record.definition.slug;
    const known = this.records.get(slug);
    if (!known || known.cursor.atMs <= record.cursor.atMs) this.records.set(slug, record);
    if (transitions.length === 0) return;
    const recent = [...(this.recent.get(slug) ?? []), ...transitions.map((t) => ({ ...t, slug }))];
    this.recent.set(slug, recent.slice(-RECENT_TRANSITIONS));
  }

  forget(slug: string): void {
    this.records.delete(slug);
    this.recent.delete(slug);
  }

  /**
   * Every monitor's state, by slug. On a shared store it answers as of the last refresh, never later: a
   * check-in another analyzer took since then must not show as a missed deadline here.
   */
  statuses(): MonitorStatus[] {
    const at = Math.min(this.now(), this.refreshedAtMs);
    return [...this.records.keys()]
      .sort()
      .map((slug) => statusAt(this.records.get(slug) as MonitorRecord, at));
  }

  /** At most the 20 newest, newest last. */
  recentTransitionsOf(slug: string): StoredTransition[] {
    return this.recent.get(slug) ?? [];
  }
}
