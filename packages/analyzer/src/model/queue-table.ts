import { QUEUE_STATES, type QueueState } from '@joblens/semconv';
import { MAX_RECENT_READY_AGES, type QueueView } from './analyzer-view.js';
import { MapTable } from './table/map-table.js';
import type { Table } from './table/table.js';

const STATES: ReadonlySet<string> = new Set(QUEUE_STATES);

/** The newest queue gauges per service + queue. */
export class QueueTable {
  /** Few, keyed by names senders choose: a Map, not a ring sized ahead. */
  private readonly byKey: Table<QueueView>;

  /** `maxQueues`: past it the queues seen first are forgotten (queue names come from senders). */
  constructor(maxQueues: number = Number.POSITIVE_INFINITY) {
    this.byKey = new MapTable<QueueView>(maxQueues);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Held queues, first seen first. */
  values(): IterableIterator<QueueView> {
    return this.byKey.values();
  }

  private entry(service: string, queue: string): QueueView {
    const key = `${service}\u0000${queue}`;
    let view = this.byKey.get(key);
    if (view === undefined) {
      view = { service, queue, depthByState: {} };
      this.byKey.set(key, view);
    }
    return view;
  }

  get(service: string, queue: string): QueueView | undefined {
    return this.byKey.get(`${service}\u0000${queue}`);
  }

  recordDepth(service: string, queue: string, state: string, depth: number, timeMs: number): void {
    if (!STATES.has(state) || !Number.isFinite(depth)) return;
    const view = this.entry(service, queue);
    // Points of one export share a time; an older export must not overwrite a newer one.
    if (view.depthTimeMs !== undefined && timeMs < view.depthTimeMs) return;
    view.depthByState[state as QueueState] = depth;
    view.depthTimeMs = timeMs;
  }

  recordOldestReadyAge(service: string, queue: string, ageSeconds: number, timeMs: number): void {
    if (!Number.isFinite(ageSeconds)) return;
    const view = this.entry(service, queue);
    if (view.oldestReadyTimeMs !== undefined && timeMs < view.oldestReadyTimeMs) return;
    view.oldestReadyAgeSeconds = ageSeconds;
    view.oldestReadyTimeMs = timeMs;
    const recent = (view.recentOldestReadyAges ?? []) as { timeMs: number; seconds: number }[];
    recent.push({ timeMs, seconds: ageSeconds });
    if (recent.length > MAX_RECENT_READY_AGES) recent.shift();
    view.recentOldestReadyAges = recent;
  }

  /** Forgets queues with no gauge since `cutoffMs`. */
  prune(cutoffMs: number): void {
    this.byKey.forEach((view, key) => {
      const newest = Math.max(view.depthTimeMs ?? 0, view.oldestReadyTimeMs ?? 0);
      if (newest < cutoffMs) this.byKey.delete(key);
    });
  }
}
