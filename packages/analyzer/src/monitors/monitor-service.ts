import type { SqliteDatabase } from '../store/open-database.js';
import type { LogRecordData, SpanRecord } from '../telemetry/records.js';
import { evaluateMonitor, type MonitorEvaluation, type MonitorTransition } from './evaluate-monitor.js';
import { initialCursor } from './monitor-cursor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';
import {
  type MonitorOrigin,
  type MonitorRecord,
  MonitorStore,
  type PingRecord,
  type StoredTransition,
} from './monitor-store.js';
import type { MonitorsConfig } from './parse-monitors-config.js';
import { parseMonitorsConfig } from './parse-monitors-config.js';
import {
  signalMatches,
  signalsFromLogs,
  signalsFromSpans,
  type TelemetrySignal,
} from './telemetry-signals.js';

export interface MonitorServiceOptions {
  /** The analyzer's database (`openDatabase(dataDir)`); the service adds its own tables. Required. */
  db: SqliteDatabase;
  /** The config's `monitors` section, raw or parsed. Default: none, auto-create off. */
  config?: unknown;
  /** The clock. Default `Date.now`. */
  now?: () => number;
  /** Told of every state change after it is stored (alerts, logs). Errors it throws are swallowed. */
  onTransition?: (monitor: MonitorDefinition, transition: MonitorTransition) => void;
}

/** A monitor as the API and the page show it: the definition and its state now. */
export interface MonitorStatus {
  definition: MonitorDefinition;
  origin: MonitorOrigin;
  evaluation: MonitorEvaluation;
}

/** How a signal went: stored and applied, or refused because no such monitor exists. */
export type SignalResult = { ok: true; created: boolean } | { ok: false; reason: 'unknown_monitor' };

export interface SignalOrigin {
  source: 'http' | 'telemetry' | 'api';
  body?: string;
  detail?: Record<string, unknown>;
}

/** Auto-create stops here: pings to random slugs must not grow the database without bound. */
export const MAX_AUTO_CREATED_MONITORS = 1000;

// setTimeout's ceiling; a later deadline wakes up early and simply sets the timer again.
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * Applies signals to monitors, stores what changed and wakes up at the next deadline. Each signal is
 * one SQLite transaction (ping, transitions, new cursor), so a ping acknowledged is a ping kept and a
 * restart carries on from the cursor; deadlines that passed while down are stamped when they fell.
 */
export class MonitorService {
  readonly config: MonitorsConfig;
  private readonly store: MonitorStore;
  /** The service's clock (unix ms); pings are stamped with it. */
  readonly now: () => number;
  private readonly onTransition: NonNullable<MonitorServiceOptions['onTransition']>;
  private readonly monitors = new Map<string, MonitorRecord>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(options: MonitorServiceOptions) {
    this.config = parseMonitorsConfig(options.config);
    this.store = new MonitorStore(options.db);
    this.now = options.now ?? Date.now;
    this.onTransition = options.onTransition ?? (() => {});
    for (const record of this.store.list()) this.monitors.set(record.definition.slug, record);
  }

  /** Brings the config's monitors in, catches up on deadlines passed while stopped, and starts the timer. */
  start(): void {
    this.stopped = false;
    const now = this.now();
    const configured = new Set(this.config.definitions.map((d) => d.slug));
    for (const record of [...this.monitors.values()]) {
      if (record.origin === 'config' && !configured.has(record.definition.slug))
        this.delete(record.definition.slug);
    }
    for (const definition of this.config.definitions) {
      const existing = this.monitors.get(definition.slug);
      if (existing && JSON.stringify(existing.definition) === JSON.stringify(definition)) continue;
      this.put(definition, 'config', existing?.createdAtMs ?? now);
    }
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  has(slug: string): boolean {
    return this.monitors.has(slug);
  }

  definition(slug: string): MonitorDefinition | undefined {
    return this.monitors.get(slug)?.definition;
  }

  /** Creates or replaces a definition; a replaced monitor keeps its history and carries on from its cursor. */
  put(definition: MonitorDefinition, origin: MonitorOrigin, createdAtMs = this.now()): MonitorStatus {
    const now = this.now();
    const existing = this.monitors.get(definition.slug);
    const record: MonitorRecord = {
      definition,
      origin,
      createdAtMs: existing?.createdAtMs ?? createdAtMs,
      updatedAtMs: now,
      cursor: existing?.cursor ?? initialCursor(now),
    };
    this.store.put(record);
    this.monitors.set(definition.slug, record);
    this.apply(definition.slug, []);
    return this.status(definition.slug) as MonitorStatus;
  }

  delete(slug: string): boolean {
    const existed = this.monitors.delete(slug);
    this.store.delete(slug);
    this.schedule();
    return existed;
  }

  pause(slug: string): SignalResult {
    return this.record(slug, { type: 'pause', atMs: this.now() }, { source: 'api' });
  }

  resume(slug: string): SignalResult {
    return this.record(slug, { type: 'resume', atMs: this.now() }, { source: 'api' });
  }

  /**
   * Stores a signal and applies it, in one transaction, before returning. An unknown slug is refused,
   * unless it came over HTTP and `autoCreate` is on: then a monitor with the default period is made.
   */
  record(slug: string, event: MonitorEvent, origin: SignalOrigin): SignalResult {
    let created = false;
    if (!this.monitors.has(slug)) {
      const canCreate =
        this.config.autoCreate && origin.source === 'http' && this.monitors.size < MAX_AUTO_CREATED_MONITORS;
      if (!canCreate) return { ok: false, reason: 'unknown_monitor' };
      this.put(this.autoDefinition(slug), 'auto');
      created = true;
    }
    this.apply(slug, [{ event, origin }]);
    return { ok: true, created };
  }

  /** Telemetry from the analyzer's sink: attempt ends. Never throws into ingest. */
  acceptSpans(spans: readonly SpanRecord[]): void {
    this.acceptSignals(() => signalsFromSpans(spans));
  }

  /** Telemetry from the analyzer's sink: `job started` (and `job ended`) log records. Never throws into ingest. */
  acceptLogs(logs: readonly LogRecordData[]): void {
    this.acceptSignals(() => signalsFromLogs(logs));
  }

  /** Every monitor's state now, by slug. */
  list(): MonitorStatus[] {
    return [...this.monitors.keys()].sort().map((slug) => this.status(slug) as MonitorStatus);
  }

  status(slug: string): MonitorStatus | undefined {
    const record = this.monitors.get(slug);
    if (!record) return undefined;
    // Read-only: the timer stores changes as they fall due; this only answers for the present instant.
    const evaluation = evaluateMonitor(record.definition, { cursor: record.cursor, events: [] }, this.now());
    return { definition: record.definition, origin: record.origin, evaluation };
  }

  transitions(slug: string, limit?: number): StoredTransition[] {
    return this.store.transitions(slug, limit);
  }

  pings(slug: string, limit?: number): PingRecord[] {
    return this.store.pings(slug, limit);
  }

  private autoDefinition(slug: string): MonitorDefinition {
    return {
      slug,
      name: slug,
      schedule: { kind: 'period', periodSeconds: this.config.autoCreatePeriodSeconds },
      graceSeconds: this.config.autoCreateGraceSeconds,
      failureThreshold: 1,
      maintenanceWindows: [],
    };
  }

  private acceptSignals(read: () => TelemetrySignal[]): void {
    try {
      if (this.monitors.size === 0) return;
      // One transaction per monitor per batch: an export of many matching spans costs one fsync, not one each.
      const bySlug = new Map<string, Array<{ event: MonitorEvent; origin: SignalOrigin }>>();
      for (const signal of read()) {
        for (const record of this.monitors.values()) {
          if (!signalMatches(record.definition, signal)) continue;
          const slug = record.definition.slug;
          const entries = bySlug.get(slug) ?? [];
          entries.push({ event: signal.event, origin: { source: 'telemetry', detail: signal.detail } });
          bySlug.set(slug, entries);
        }
      }
      for (const [slug, entries] of bySlug) this.apply(slug, entries, false);
      if (bySlug.size > 0) this.schedule();
    } catch (error) {
      // A bad record must not stop ingest; the span still reaches the model through the sink.
      process.emitWarning(new Error('applying telemetry to monitors', { cause: error }));
    }
  }

  private apply(
    slug: string,
    entries: Array<{ event: MonitorEvent; origin: SignalOrigin }>,
    reschedule = true,
  ): void {
    const record = this.monitors.get(slug);
    if (!record) return;
    const events = entries.map((entry) => entry.event);
    const evaluation = this.store.transaction(() => {
      for (const { event, origin } of entries)
        this.store.addPing(slug, event, origin.source, origin.body, origin.detail ?? {});
      const result = evaluateMonitor(record.definition, { cursor: record.cursor, events }, this.now());
      this.store.addTransitions(slug, result.transitions);
      this.store.saveCursor(slug, result.cursor);
      return result;
    });
    record.cursor = evaluation.cursor;
    for (const transition of evaluation.transitions) {
      try {
        this.onTransition(record.definition, transition);
      } catch {
        // A listener's failure is the listener's (alerts count their own errors).
      }
    }
    if (reschedule) this.schedule();
  }

  /** Evaluates every monitor now (storing what time alone changed), then sets the timer for the next deadline. */
  private wake(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.now();
    for (const [slug, record] of [...this.monitors]) {
      try {
        // Only monitors with a deadline due are written: a wake-up costs one transaction per change, not per monitor.
        const due = nextChangeOf(record);
        if (due !== undefined && due <= now) this.apply(slug, [], false);
      } catch (error) {
        process.emitWarning(new Error(`evaluating monitor ${slug}`, { cause: error }));
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    let next: number | undefined;
    for (const record of this.monitors.values()) {
      const change = nextChangeOf(record);
      if (change !== undefined && (next === undefined || change < next)) next = change;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - this.now()), MAX_TIMER_DELAY_MS);
    // A few ms late rather than early: a timer that fires before the deadline would find nothing due.
    this.timer = setTimeout(() => this.wake(), delay + 2);
    this.timer.unref();
  }
}

/** When time alone next changes this monitor's state, as of its last evaluation. */
function nextChangeOf(record: MonitorRecord): number | undefined {
  return evaluateMonitor(record.definition, { cursor: record.cursor, events: [] }, record.cursor.atMs)
    .nextChangeMs;
}
