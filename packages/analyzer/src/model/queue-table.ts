import { QUEUE_STATES, type QueueState } from '@joblens/semconv';
import type { QueueView } from './analyzer-view.js';

const STATES: ReadonlySet<string> = new Set(QUEUE_STATES);

/** The newest queue gauges per service + queue. */
export class QueueTable {
  readonly byKey = new Map<string, QueueView>();

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
  }

  /** Forgets queues with no gauge since `cutoffMs`. */
  prune(cutoffMs: number): void {
    for (const [key, view] of this.byKey) {
      const newest = Math.max(view.depthTimeMs ?? 0, view.oldestReadyTimeMs ?? 0);
      if (newest < cutoffMs) this.byKey.delete(key);
    }
  }
}
