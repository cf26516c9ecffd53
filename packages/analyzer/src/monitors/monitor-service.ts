import { type Logger, stderrLogger } from '../log/logger.js';
import type { ModelListener } from '../model/model-listener.js';
import type { MonitorTransition } from './evaluate-monitor.js';
import { MonitorCopy, type MonitorStatus, nextChangeOf, statusAt } from './monitor-copy.js';
import { initialCursor } from './monitor-cursor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';
import { type AlertsFor, monitorStep } from './monitor-step.js';
import type {
  AdvanceOptions,
  MonitorOrigin,
  MonitorStore,
  NewPing,
  PingRecord,
  StoredTransition,
} from './monitor-store.js';
import type { MonitorsConfig } from './parse-monitors-config.js';
import { parseMonitorsConfig } from './parse-monitors-config.js';
import {
  signalFromAttempt,
  signalFromJobLog,
  signalsBySlug,
  type TelemetrySignal,
} from './telemetry-signals.js';

export interface MonitorServiceOptions {
  /** Where monitors live: `SqliteMonitorStore` (one analyzer) or `PostgresMonitorStore` (shared). Required. */
  store: MonitorStore;
  /** The config's `monitors` section, raw or parsed. Default: none, auto-create off. */
  config?: unknown;
  /** The clock. Default `Date.now`. */
  now?: () => number;
  /** Told of every state change after it is stored (logs, tests). Errors it throws are swallowed. */
  onTransition?: (monitor: MonitorDefinition, transition: MonitorTransition) => void;
  /**
   * The outbox rows a step's transitions raise, written in the step's transaction (pure: it runs under
   * the monitor's lock). Default: none.
   */
  alertsFor?: AlertsFor;
  /** Called after a step that wrote outbox rows commits (the delivery loop's wake-up). */
  onAlertsQueued?: () => void;
  /**
   * With a shared store: how often the copy in memory is re-read, so monitors and check-ins that other
   * analyzers stored reach this one's detectors, metrics and page. Default 1000.
   */
  refreshIntervalMillis?: number;
  /** Where failures of the store and of telemetry are told, once per kind until it works again. Default {@link stderrLogger}. */
  logger?: Logger;
}

export type { MonitorStatus } from './monitor-copy.js';

/** How a signal went: stored and applied, or refused because no such monitor exists. */
export type SignalResult = { ok: true; created: boolean } | { ok: false; reason: 'unknown_monitor' };

export interface SignalOrigin {
  source: 'http' | 'telemetry' | 'api';
  body?: string;
  detail?: Record<string, unknown>;
}

/** Auto-create stops here: pings to random slugs must not grow the database without bound. */
const MAX_AUTO_CREATED_MONITORS = 1000;

// setTimeout's ceiling; a later deadline wakes up early and simply sets the timer again.
const MAX_TIMER_DELAY_MS = 2_147_483_647;
/** A due monitor another analyzer holds is looked at again this much later, not in a tight loop. */
const HELD_ELSEWHERE_RETRY_MS = 250;
/** After the store failed, the timer tries again this much later. */
const FAILURE_RETRY_MS = 1000;

/**
 * Applies signals to monitors, stores what changed and wakes up at the next deadline. Each signal is one
 * `advance` of the store (ping, transitions, new cursor under the monitor's lock), so a ping acknowledged
 * is a ping kept, a restart carries on from the cursor, and analyzers sharing a store never compute the
 * same change twice. Deadlines that passed while nobody evaluated are stamped when they fell.
 *
 * The store is the truth; `monitors` is this analyzer's copy of it, for readers that cannot wait (the
 * detector runner, metrics, the page) and for deciding when to wake. On a shared store it is re-read at
 * each wake-up and at least every `refreshIntervalMillis`.
 */
export class MonitorService {
  readonly config: MonitorsConfig;
  /** The service's clock (unix ms); pings are stamped with it. */
  readonly now: () => number;
  /** Also the monitors' routers': a ping or API call that fails is told here. */
  readonly logger: Logger;
  private readonly store: MonitorStore;
  private readonly onTransition: NonNullable<MonitorServiceOptions['onTransition']>;
  private readonly alertsFor: MonitorServiceOptions['alertsFor'];
  private readonly onAlertsQueued: NonNullable<MonitorServiceOptions['onAlertsQueued']>;
  private readonly refreshIntervalMillis: number;
  private readonly monitors: MonitorCopy;
  /** Check-ins read from the batch being ingested, applied by flushTelemetry. */
  private gathered: TelemetrySignal[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private startRetry: NodeJS.Timeout | undefined;
  private readonly failing = new Set<'read' | 'evaluate' | 'telemetry'>();
  private stopped = true;

  constructor(options: MonitorServiceOptions) {
    this.config = parseMonitorsConfig(options.config);
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? stderrLogger;
    this.onTransition = options.onTransition ?? (() => {});
    this.alertsFor = options.alertsFor;
    this.onAlertsQueued = options.onAlertsQueued ?? (() => {});
    this.refreshIntervalMillis = options.refreshIntervalMillis ?? 1000;
    this.monitors = new MonitorCopy(this.store, this.now);
  }

  /**
   * Opens the store, brings the config's monitors in (every analyzer does: the upsert keeps cursors),
   * catches up on deadlines passed while nobody evaluated, and starts the timer.
   */
  async start(): Promise<void> {
    this.stopped = false;
    await this.begin();
  }

  /**
   * A database away at start must not keep the analyzer from starting: ingest answers 503 meanwhile, and
   * the monitors come in at the first try that works.
   */
  private async begin(): Promise<void> {
    this.startRetry = undefined;
    try {
      await this.store.open();
      await this.monitors.refresh();
      await this.bringConfigIn();
    } catch (error) {
      this.warn('read', new Error('opening the monitors; trying again every second', { cause: error }));
      if (!this.stopped) {
        this.startRetry = setTimeout(() => void this.begin(), FAILURE_RETRY_MS);
        this.startRetry.unref();
      }
      return;
    }
    this.failing.delete('read');
    await this.tick();
  }

  /** Every analyzer upserts the config's monitors; the store keeps the cursors of those that exist. */
  private async bringConfigIn(): Promise<void> {
    const now = this.now();
    const configured = new Set(this.config.definitions.map((d) => d.slug));
    for (const record of this.monitors.all()) {
      if (record.origin === 'config' && !configured.has(record.definition.slug))
        await this.delete(record.definition.slug);
    }
    for (const definition of this.config.definitions) {
      const existing = this.monitors.get(definition.slug);
      if (existing && JSON.stringify(existing.definition) === JSON.stringify(definition)) continue;
      await this.define(definition, 'config', now);
    }
  }

  /** Stops the timer and waits for a wake-up under way, so the store can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.startRetry);
    this.timer = undefined;
    await this.ticking;
  }

  /** Whether the copy in memory knows the slug (a monitor created elsewhere arrives with the next refresh). */
  has(slug: string): boolean {
    return this.monitors.get(slug) !== undefined;
  }

  definition(slug: string): MonitorDefinition | undefined {
    return this.monitors.get(slug)?.definition;
  }

  /** Creates or replaces a definition; a replaced monitor keeps its history and carries on from its cursor. */
  async put(definition: MonitorDefinition, origin: MonitorOrigin): Promise<MonitorStatus> {
    await this.define(definition, origin, this.now());
    return (await this.status(definition.slug)) as MonitorStatus;
  }

  async delete(slug: string): Promise<boolean> {
    const existed = await this.store.delete(slug);
    this.monitors.forget(slug);
    this.schedule();
    return existed;
  }

  pause(slug: string): Promise<SignalResult> {
    return this.record(slug, { type: 'pause', atMs: this.now() }, { source: 'api' });
  }

  resume(slug: string): Promise<SignalResult> {
    return this.record(slug, { type: 'resume', atMs: this.now() }, { source: 'api' });
  }

  /**
   * Stores a signal and applies it, in one step of the store, before resolving. An unknown slug is
   * refused, unless it came over HTTP and `autoCreate` is on: then a monitor with the default period is made.
   */
  async record(slug: string, event: MonitorEvent, origin: SignalOrigin): Promise<SignalResult> {
    if (await this.apply(slug, [{ event, origin }])) return { ok: true, created: false };
    const canCreate =
      this.config.autoCreate && origin.source === 'http' && this.monitors.size < MAX_AUTO_CREATED_MONITORS;
    if (!canCreate) return { ok: false, reason: 'unknown_monitor' };
    await this.define(this.autoDefinition(slug), 'auto', this.now());
    if (!(await this.apply(slug, [{ event, origin }]))) return { ok: false, reason: 'unknown_monitor' };
    return { ok: true, created: true };
  }

  /**
   * Takes check-ins from the records the model reads (attempt ends, `job started` and `job ended` log
   * records), gathered while a batch is ingested; `flushTelemetry` then applies them. Nothing is gathered
   * while no monitor exists.
   */
  readonly telemetryListener: ModelListener = {
    attemptSpan: (facts) => {
      if (this.monitors.size > 0) this.gathered.push(signalFromAttempt(facts));
    },
    jobLog: (facts) => {
      if (this.monitors.size === 0) return;
      const signal = signalFromJobLog(facts);
      if (signal !== undefined) this.gathered.push(signal);
    },
  };

  /**
   * Applies the check-ins gathered from the batch just ingested, one step per monitor. Never rejects; on
   * SQLite they are stored before it returns.
   */
  flushTelemetry(): Promise<void> {
    if (this.gathered.length === 0) return Promise.resolve();
    const signals = this.gathered;
    this.gathered = [];
    return this.acceptSignals(signals);
  }

  /** Every monitor's state now, read from the store. */
  async list(): Promise<MonitorStatus[]> {
    const now = this.now();
    return (await this.store.list()).map((record) => statusAt(record, now));
  }

  /** One monitor's state now, read from the store. */
  async status(slug: string): Promise<MonitorStatus | undefined> {
    const record = await this.store.get(slug);
    return record && statusAt(record, this.now());
  }

  /**
   * Every monitor's state from the copy in memory, for readers that cannot wait. Read-only: the timer
   * stores changes as they fall due. On a shared store it answers as of the last refresh, never later:
   * a check-in another analyzer took since then must not show as a missed deadline here.
   */
  snapshot(): MonitorStatus[] {
    return this.monitors.statuses();
  }

  /** The newest transitions of a monitor from the copy in memory (at most 20), newest last. */
  recentTransitionsOf(slug: string): StoredTransition[] {
    return this.monitors.recentTransitionsOf(slug);
  }

  transitions(slug: string, limit?: number): Promise<StoredTransition[]> {
    return this.store.transitions(slug, limit);
  }

  pings(slug: string, limit?: number): Promise<PingRecord[]> {
    return this.store.pings(slug, limit);
  }

  /** Re-reads the shared store, then advances every monitor that is due and sets the timer again. */
  tick(): Promise<void> {
    const pass = (this.ticking ?? Promise.resolve()).then(() => this.tickOnce());
    this.ticking = pass;
    return pass;
  }

  private async tickOnce(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    let heldElsewhere = false;
    let failed = false;
    try {
      if (this.store.shared) await this.monitors.refresh();
      const now = this.now();
      for (const record of this.monitors.all()) {
        const slug = record.definition.slug;
        // Only monitors with a deadline due are written: a wake-up costs one step per change, not per monitor.
        const due = nextChangeOf(record);
        if (due === undefined || due > now) continue;
        // Another analyzer holding the monitor is advancing it to this instant: skip rather than queue.
        const applied = await this.apply(slug, [], { skipLocked: true }).catch((error: unknown) => {
          failed = true;
          this.warn('evaluate', new Error(`evaluating monitor ${slug}`, { cause: error }));
          return true;
        });
        if (!applied) heldElsewhere = true;
      }
    } catch (error) {
      failed = true;
      this.warn('read', new Error('reading the monitors', { cause: error }));
    }
    if (!failed) this.failing.clear();
    // A monitor still due after a failure would otherwise wake the timer at once, again and again.
    this.schedule(failed ? FAILURE_RETRY_MS : heldElsewhere ? HELD_ELSEWHERE_RETRY_MS : 0);
  }

  private async define(definition: MonitorDefinition, origin: MonitorOrigin, now: number): Promise<void> {
    const record = await this.store.define(definition, origin, now, initialCursor(now));
    this.monitors.update(record);
    await this.apply(definition.slug, []);
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

  private async acceptSignals(signals: readonly TelemetrySignal[]): Promise<void> {
    try {
      if (this.monitors.size === 0) return;
      // One step per monitor per batch: an export of many matching spans costs one transaction, not one each.
      const definitions = this.monitors.all().map((record) => record.definition);
      const bySlug = [...signalsBySlug(definitions, signals)].map(
        ([slug, signals]) =>
          [
            slug,
            signals.map((signal) => ({
              event: signal.event,
              origin: { source: 'telemetry', detail: signal.detail } satisfies SignalOrigin,
            })),
          ] as const,
      );
      // All steps start before the first await: on SQLite they are stored before ingest answers.
      await Promise.all(bySlug.map(([slug, entries]) => this.apply(slug, entries)));
      this.failing.delete('telemetry');
    } catch (error) {
      // A bad record or a failing store must not stop ingest; the span still reaches the model through the sink.
      this.warn('telemetry', new Error('applying telemetry to monitors', { cause: error }));
    }
  }

  /** One warning per kind of failure until it works again: a database away for an hour is not 3600 lines. */
  private warn(kind: 'read' | 'evaluate' | 'telemetry', error: Error): void {
    if (this.failing.has(kind)) return;
    this.failing.add(kind);
    this.logger.warn(error.message, error.cause);
  }

  /** One step of the store for this monitor; false when it does not exist (or is held elsewhere, with skipLocked). */
  private async apply(
    slug: string,
    entries: ReadonlyArray<{ event: MonitorEvent; origin: SignalOrigin }>,
    options: AdvanceOptions = {},
  ): Promise<boolean> {
    const now = this.now();
    const events = entries.map((entry) => entry.event);
    const pings: NewPing[] = entries.map(({ event, origin }) => ({
      event,
      source: origin.source,
      ...(origin.body !== undefined ? { body: origin.body } : {}),
      detail: origin.detail ?? {},
    }));
    let alertsQueued = false;
    const advanced = await this.store.advance(
      slug,
      pings,
      (record) => {
        const step = monitorStep(record, events, now, this.alertsFor);
        alertsQueued = step.alerts !== undefined;
        return step;
      },
      options,
    );
    if (!advanced) return false;
    if (alertsQueued) this.onAlertsQueued();
    this.monitors.update(advanced.record, advanced.transitions);
    for (const transition of advanced.transitions) {
      try {
        this.onTransition(advanced.record.definition, transition);
      } catch {
        // A listener's failure is the listener's (alerts count their own errors).
      }
    }
    this.schedule();
    return true;
  }

  private schedule(minimumDelayMs = 0): void {
    if (this.stopped) return;
    const now = this.now();
    let next: number | undefined = this.store.shared ? now + this.refreshIntervalMillis : undefined;
    for (const record of this.monitors.all()) {
      const change = nextChangeOf(record);
      if (change !== undefined && (next === undefined || change < next)) next = change;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (next === undefined) return;
    const delay = Math.min(Math.max(minimumDelayMs, next - now), MAX_TIMER_DELAY_MS);
    // A few ms late rather than early: a timer that fires before the deadline would find nothing due.
    this.timer = setTimeout(() => void this.tick(), delay + 2);
    this.timer.unref();
  }
}
