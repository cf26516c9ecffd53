import { migrate } from '../store/migrate.js';
import type { SqliteDatabase } from '../store/open-database.js';
import type { MonitorTransition } from './evaluate-monitor.js';
import type { MonitorCursor } from './monitor-cursor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import type { MonitorEvent } from './monitor-event.js';
import { MONITORS_MIGRATIONS, MONITORS_SCHEMA } from './monitor-schema.js';

/** Where a monitor came from: the config file (re-read at each start), the API, or its first ping. */
export type MonitorOrigin = 'config' | 'api' | 'auto';

export interface MonitorRecord {
  definition: MonitorDefinition;
  origin: MonitorOrigin;
  createdAtMs: number;
  updatedAtMs: number;
  cursor: MonitorCursor;
}

/** One stored signal or pause/resume, with how it arrived. */
export interface PingRecord {
  seq: number;
  slug: string;
  event: MonitorEvent;
  /** `http` (a ping), `telemetry` (an attempt span or log record), `api` (pause, resume). */
  source: string;
  /** A POST body, truncated; the run's log for `joblens run`. */
  body?: string;
  detail: Record<string, unknown>;
}

export interface StoredTransition extends MonitorTransition {
  slug: string;
}

/** History kept per monitor; older pings and transitions are pruned as new ones arrive. */
export const MAX_PINGS_PER_MONITOR = 1000;
export const MAX_TRANSITIONS_PER_MONITOR = 1000;
/** Bodies (up to 100 KB each) are kept for the newest pings only, so a monitor's history stays a few MB. */
export const MAX_PING_BODIES_PER_MONITOR = 50;

interface MonitorRow {
  slug: string;
  definition: string;
  origin: MonitorOrigin;
  created_at: number;
  updated_at: number;
  cursor: string;
}

/**
 * The monitors' tables in the analyzer's database. Every method is synchronous (better-sqlite3):
 * a ping is durable before its 200 goes out. Callers group writes with `transaction`.
 */
export class MonitorStore {
  private readonly writesSincePrune = new Map<string, number>();

  constructor(private readonly db: SqliteDatabase) {
    migrate(db, MONITORS_SCHEMA, MONITORS_MIGRATIONS);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  list(): MonitorRecord[] {
    const rows = this.db.prepare('SELECT * FROM monitors ORDER BY slug').all() as MonitorRow[];
    return rows.map(fromRow);
  }

  get(slug: string): MonitorRecord | undefined {
    const row = this.db.prepare('SELECT * FROM monitors WHERE slug = ?').get(slug) as MonitorRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  put(record: MonitorRecord): void {
    this.db
      .prepare(
        `INSERT INTO monitors (slug, definition, origin, created_at, updated_at, cursor) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(slug) DO UPDATE SET definition = excluded.definition, origin = excluded.origin,
           updated_at = excluded.updated_at, cursor = excluded.cursor`,
      )
      .run(
        record.definition.slug,
        JSON.stringify(record.definition),
        record.origin,
        record.createdAtMs,
        record.updatedAtMs,
        JSON.stringify(record.cursor),
      );
  }

  saveCursor(slug: string, cursor: MonitorCursor): void {
    this.db.prepare('UPDATE monitors SET cursor = ? WHERE slug = ?').run(JSON.stringify(cursor), slug);
  }

  delete(slug: string): boolean {
    this.writesSincePrune.delete(slug);
    return this.transaction(() => {
      this.db.prepare('DELETE FROM monitor_pings WHERE slug = ?').run(slug);
      this.db.prepare('DELETE FROM monitor_transitions WHERE slug = ?').run(slug);
      return this.db.prepare('DELETE FROM monitors WHERE slug = ?').run(slug).changes > 0;
    });
  }

  addPing(
    slug: string,
    event: MonitorEvent,
    source: string,
    body: string | undefined,
    detail: Record<string, unknown>,
  ): void {
    this.db
      .prepare(
        'INSERT INTO monitor_pings (slug, at, type, run_id, exit_code, source, body, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        slug,
        event.atMs,
        event.type,
        'runId' in event && event.runId ? event.runId : null,
        event.type === 'failure' && event.exitCode !== undefined ? event.exitCode : null,
        source,
        body ?? null,
        JSON.stringify(detail),
      );
    this.pruneNowAndThen(slug);
  }

  addTransitions(slug: string, transitions: readonly MonitorTransition[]): void {
    const insert = this.db.prepare(
      'INSERT INTO monitor_transitions (slug, at, from_state, to_state, reason, run_id, exit_code) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const t of transitions)
      insert.run(slug, t.atMs, t.from, t.to, t.reason, t.runId ?? null, t.exitCode ?? null);
    if (transitions.length > 0) this.pruneNowAndThen(slug);
  }

  /** Newest last, at most `limit`. */
  pings(slug: string, limit = 50): PingRecord[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM (SELECT * FROM monitor_pings WHERE slug = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      )
      .all(slug, limit) as Array<Record<string, unknown>>;
    return rows.map((row) => {
      const event = { type: row.type, atMs: row.at } as Record<string, unknown>;
      if (row.run_id !== null) event.runId = row.run_id;
      if (row.exit_code !== null) event.exitCode = row.exit_code;
      const ping: PingRecord = {
        seq: row.seq as number,
        slug,
        event: event as unknown as MonitorEvent,
        source: row.source as string,
        detail: JSON.parse(row.detail as string),
      };
      if (row.body !== null) ping.body = row.body as string;
      return ping;
    });
  }

  /** Newest last, at most `limit`. */
  transitions(slug: string, limit = 100): StoredTransition[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM (SELECT * FROM monitor_transitions WHERE slug = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      )
      .all(slug, limit) as Array<Record<string, unknown>>;
    return rows.map((row) => {
      const t: StoredTransition = {
        slug,
        atMs: row.at as number,
        from: row.from_state as StoredTransition['from'],
        to: row.to_state as StoredTransition['to'],
        reason: row.reason as string,
      };
      if (row.run_id !== null) t.runId = row.run_id as string;
      if (row.exit_code !== null) t.exitCode = row.exit_code as number;
      return t;
    });
  }

  // Pruning on every write would double the cost of a ping; every 100th write to a monitor keeps it bounded.
  private pruneNowAndThen(slug: string): void {
    const writes = (this.writesSincePrune.get(slug) ?? 0) + 1;
    this.writesSincePrune.set(slug, writes);
    if (writes < 100) return;
    this.writesSincePrune.delete(slug);
    const cutoff = (table: string) =>
      `(SELECT seq FROM ${table} WHERE slug = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`;
    this.db
      .prepare(`DELETE FROM monitor_pings WHERE slug = ? AND seq <= ${cutoff('monitor_pings')}`)
      .run(slug, slug, MAX_PINGS_PER_MONITOR);
    this.db
      .prepare(`DELETE FROM monitor_transitions WHERE slug = ? AND seq <= ${cutoff('monitor_transitions')}`)
      .run(slug, slug, MAX_TRANSITIONS_PER_MONITOR);
    this.db
      .prepare(
        `UPDATE monitor_pings SET body = NULL WHERE slug = ? AND body IS NOT NULL AND seq <= ${cutoff('monitor_pings')}`,
      )
      .run(slug, slug, MAX_PING_BODIES_PER_MONITOR);
  }
}

function fromRow(row: MonitorRow): MonitorRecord {
  return {
    definition: JSON.parse(row.definition),
    origin: row.origin,
    createdAtMs: row.created_at,
    updatedAtMs: row.updated_at,
    cursor: JSON.parse(row.cursor),
  };
}
