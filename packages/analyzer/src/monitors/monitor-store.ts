import type { AlertEvent } from '../findings/alert-event.js';
import type { MonitorTransition } from './evaluate-monitor.js';
import type { MonitorCursor } from './monitor-cursor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';

/** Where a monitor came from: the config file (re-read at each start), the API, or its first ping. */
export type MonitorOrigin = 'config' | 'api' | 'auto';

export interface MonitorRecord {
  definition: MonitorDefinition;
  origin: MonitorOrigin;
  createdAtMs: number;
  updatedAtMs: number;
  cursor: MonitorCursor;
}

/** A signal or pause/resume to store, with how it arrived. */
export interface NewPing {
  event: MonitorEvent;
  /** `http` (a ping), `telemetry` (an attempt span or log record), `api` (pause, resume). */
  source: string;
  /** A POST body, truncated; the run's log for `joblens run`. */
  body?: string;
  detail: Record<string, unknown>;
}

/** One stored signal or pause/resume. */
export interface PingRecord extends NewPing {
  seq: number;
  slug: string;
}

export interface StoredTransition extends MonitorTransition {
  slug: string;
}

/** An alert event and the channels it goes to: outbox rows to write with the transition that raised it. */
export interface MonitorAlertRows {
  event: AlertEvent;
  channels: readonly string[];
  /** Unix ms the rows are queued at. */
  at: number;
}

/** What one step of a monitor produced: its changes, where evaluation carries on from, and their alerts. */
export interface MonitorStep {
  cursor: MonitorCursor;
  transitions: readonly MonitorTransition[];
  /**
   * Written to the alert outbox in the step's transaction: a transition stored is a transition announced,
   * once, by the analyzer that stored it, and a kill -9 between the two cannot happen.
   */
  alerts?: readonly MonitorAlertRows[];
}

export interface AdvanceOptions {
  /**
   * Give up (undefined) rather than wait when another analyzer holds the monitor: it is advancing the
   * same monitor to the same instant, so waiting would only find nothing left to do. Default false.
   */
  skipLocked?: boolean;
}

export interface AdvancedMonitor {
  record: MonitorRecord;
  transitions: readonly MonitorTransition[];
}

/** History kept per monitor; older pings and transitions are pruned as new ones arrive. */
export const MAX_PINGS_PER_MONITOR = 1000;
export const MAX_TRANSITIONS_PER_MONITOR = 1000;
/** Bodies (up to 100 KB each) are kept for the newest pings only, so a monitor's history stays a few MB. */
export const MAX_PING_BODIES_PER_MONITOR = 50;
/** Pruning on every write would double the cost of a ping; every 100th write to a monitor keeps it bounded. */
const WRITES_BETWEEN_PRUNES = 100;

/**
 * Where monitors, their cursors, pings and transitions live: the analyzer's SQLite file, or PostgreSQL
 * shared by several analyzers. Correctness across analyzers rests on `advance`: a monitor's cursor only
 * moves under its lock, so each change of state is computed, stored and announced by exactly one of them.
 */
export interface MonitorStore {
  /** Other analyzers write the same monitors: a copy kept in memory can lag them. */
  readonly shared: boolean;
  /** Creates or migrates the tables; call once before anything else. */
  open(): Promise<void>;
  /** Every monitor, by slug. */
  list(): Promise<MonitorRecord[]>;
  get(slug: string): Promise<MonitorRecord | undefined>;
  /**
   * Creates the monitor with `cursor`, or replaces the definition and origin of an existing one while
   * keeping its cursor and creation time (so analyzers upserting the same config never rewind it).
   */
  define(
    definition: MonitorDefinition,
    origin: MonitorOrigin,
    atMs: number,
    cursor: MonitorCursor,
  ): Promise<MonitorRecord>;
  /** Removes the monitor with its pings and transitions; false when there was none. */
  delete(slug: string): Promise<boolean>;
  /**
   * One step, atomically and under the monitor's lock: stores `pings`, hands the locked record to
   * `step`, and stores the transitions and cursor it returns. Undefined when there is no such monitor
   * (or, with `skipLocked`, when another holds it). `step` must be pure: it runs inside the transaction.
   */
  advance(
    slug: string,
    pings: readonly NewPing[],
    step: (record: MonitorRecord) => MonitorStep,
    options?: AdvanceOptions,
  ): Promise<AdvancedMonitor | undefined>;
  /** Newest last, at most `limit` (default 50). */
  pings(slug: string, limit?: number): Promise<PingRecord[]>;
  /** Newest last, at most `limit` (default 100). */
  transitions(slug: string, limit?: number): Promise<StoredTransition[]>;
}

/** Counts writes per monitor and says when one is due for pruning; the map holds monitors only until their next prune. */
export class PruneCounter {
  private readonly writes = new Map<string, number>();

  due(slug: string, count = 1): boolean {
    const writes = (this.writes.get(slug) ?? 0) + count;
    if (writes < WRITES_BETWEEN_PRUNES) {
      this.writes.set(slug, writes);
      return false;
    }
    this.writes.delete(slug);
    return true;
  }

  forget(slug: string): void {
    this.writes.delete(slug);
  }
}
