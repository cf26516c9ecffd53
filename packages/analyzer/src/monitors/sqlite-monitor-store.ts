import { migrate } from '../store/migrate.js';
import type { SqliteDatabase } from '../store/open-database.js';
import type { MonitorTransition } from './evaluate-monitor.js';
import type { MonitorCursor } from './monitor-cursor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import { pingFromRow, transitionFromRow } from './monitor-rows.js';
import { MONITORS_MIGRATIONS, MONITORS_SCHEMA } from './monitor-schema.js';
import {
  type AdvancedMonitor,
  MAX_PING_BODIES_PER_MONITOR,
  MAX_PINGS_PER_MONITOR,
  MAX_TRANSITIONS_PER_MONITOR,
  type MonitorAlertRows,
  type MonitorOrigin,
  type MonitorRecord,
  type MonitorStep,
  type MonitorStore,
  type NewPing,
  type PingRecord,
  PruneCounter,
  type StoredTransition,
} from './monitor-store.js';

interface MonitorRow {
  slug: string;
  definition: string;
  origin: MonitorOrigin;
  created_at: number;
  updated_at: number;
  cursor: string;
}

/**
 * The monitors' tables in the analyzer's SQLite file. better-sqlite3 is synchronous, so every method
 * does its work before the promise it returns is even created: a ping is durable before its 200 goes
 * out, and telemetry check-ins are stored before ingest answers. One analyzer owns the file, so there
 * is nothing to lock against.
 */
export class SqliteMonitorStore implements MonitorStore {
  readonly shared = false;
  private readonly prunes = new PruneCounter();

  /**
   * `writeAlerts` writes outbox rows inside the caller's transaction (the SQLite outbox in the same file);
   * without it, a step's alerts are dropped.
   */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly writeAlerts: (alerts: readonly MonitorAlertRows[]) => void = () => {},
  ) {}

  async open(): Promise<void> {
    migrate(this.db, MONITORS_SCHEMA, MONITORS_MIGRATIONS);
  }

  async list(): Promise<MonitorRecord[]> {
    const rows = this.db.prepare('SELECT * FROM monitors ORDER BY slug').all() as MonitorRow[];
    return rows.map(fromRow);
  }

  async get(slug: string): Promise<MonitorRecord | undefined> {
    return this.read(slug);
  }

  async define(
    definition: MonitorDefinition,
    origin: MonitorOrigin,
    atMs: number,
    cursor: MonitorCursor,
  ): Promise<MonitorRecord> {
    this.db
      .prepare(
        `INSERT INTO monitors (slug, definition, origin, created_at, updated_at, cursor) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(slug) DO UPDATE SET definition = excluded.definition, origin = excluded.origin,
           updated_at = excluded.updated_at`,
      )
      .run(definition.slug, JSON.stringify(definition), origin, atMs, atMs, JSON.stringify(cursor));
    return this.read(definition.slug) as MonitorRecord;
  }

  async delete(slug: string): Promise<boolean> {
    this.prunes.forget(slug);
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM monitor_pings WHERE slug = ?').run(slug);
      this.db.prepare('DELETE FROM monitor_transitions WHERE slug = ?').run(slug);
      return this.db.prepare('DELETE FROM monitors WHERE slug = ?').run(slug).changes > 0;
    })();
  }

  async advance(
    slug: string,
    pings: readonly NewPing[],
    step: (record: MonitorRecord) => MonitorStep,
  ): Promise<AdvancedMonitor | undefined> {
    return this.db.transaction(() => {
      const record = this.read(slug);
      if (!record) return undefined;
      for (const ping of pings) this.addPing(slug, ping);
      const { cursor, transitions, alerts } = step(record);
      this.addTransitions(slug, transitions);
      if (alerts && alerts.length > 0) this.writeAlerts(alerts);
      this.db.prepare('UPDATE monitors SET cursor = ? WHERE slug = ?').run(JSON.stringify(cursor), slug);
      const writes = pings.length + (transitions.length > 0 ? 1 : 0);
      if (writes > 0 && this.prunes.due(slug, writes)) this.prune(slug);
      return { record: { ...record, cursor }, transitions };
    })();
  }

  async pings(slug: string, limit = 50): Promise<PingRecord[]> {
    const rows = this.db
      .prepare(
        'SELECT * FROM (SELECT * FROM monitor_pings WHERE slug = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      )
      .all(slug, limit) as Array<Record<string, unknown>>;
    return rows.map((row) => pingFromRow(slug, { ...row, detail: JSON.parse(row.detail as string) }));
  }

  async transitions(slug: string, limit = 100): Promise<StoredTransition[]> {
    const rows = this.db
      .prepare(
        'SELECT * FROM (SELECT * FROM monitor_transitions WHERE slug = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      )
      .all(slug, limit) as Array<Record<string, unknown>>;
    return rows.map((row) => transitionFromRow(slug, row));
  }

  private read(slug: string): MonitorRecord | undefined {
    const row = this.db.prepare('SELECT * FROM monitors WHERE slug = ?').get(slug) as MonitorRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  private addPing(slug: string, { event, source, body, detail }: NewPing): void {
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
  }

  private addTransitions(slug: string, transitions: readonly MonitorTransition[]): void {
    const insert = this.db.prepare(
      'INSERT INTO monitor_transitions (slug, at, from_state, to_state, reason, run_id, exit_code) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const t of transitions)
      insert.run(slug, t.atMs, t.from, t.to, t.reason, t.runId ?? null, t.exitCode ?? null);
  }

  private prune(slug: string): void {
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
