import { inTransaction, type PgClient, type PgPool } from '../store/postgres/open-postgres.js';
import { pgMigrate } from '../store/postgres/pg-migrate.js';
import type { MonitorTransition } from './evaluate-monitor.js';
import type { MonitorCursor } from './monitor-cursor.js';
import type { MonitorDefinition } from './monitor-definition.js';
import { pingFromRow, transitionFromRow } from './monitor-rows.js';
import { MONITORS_SCHEMA } from './monitor-schema.js';
import {
  type AdvancedMonitor,
  type AdvanceOptions,
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
import { PG_MONITORS_MIGRATIONS } from './postgres-monitor-schema.js';

interface MonitorRow {
  slug: string;
  definition: string;
  origin: MonitorOrigin;
  created_at: number;
  updated_at: number;
  cursor: string;
}

/** Writes outbox rows on `client`, inside the step's transaction. */
export type PgAlertWriter = (client: PgClient, alerts: readonly MonitorAlertRows[]) => Promise<void>;

/**
 * The monitors in PostgreSQL, shared by every analyzer on the database. A step (`advance`) takes the
 * monitor's row with `SELECT … FOR UPDATE`: pings wait their turn, while the evaluation timers pass
 * `skipLocked` and leave a monitor another analyzer holds to it. The cursor read under the lock is the
 * only one a step builds on, so a deadline turns into one transition and one alert however many
 * analyzers notice it; no process has to be the leader.
 */
export class PostgresMonitorStore implements MonitorStore {
  readonly shared = true;
  private readonly prunes = new PruneCounter();

  constructor(
    private readonly pool: PgPool,
    private readonly writeAlerts: PgAlertWriter = async () => {},
  ) {}

  async open(): Promise<void> {
    await pgMigrate(this.pool, MONITORS_SCHEMA, PG_MONITORS_MIGRATIONS);
  }

  async list(): Promise<MonitorRecord[]> {
    const { rows } = await this.pool.query<MonitorRow>('SELECT * FROM monitors ORDER BY slug');
    return rows.map(fromRow);
  }

  async get(slug: string): Promise<MonitorRecord | undefined> {
    const { rows } = await this.pool.query<MonitorRow>('SELECT * FROM monitors WHERE slug = $1', [slug]);
    return rows[0] && fromRow(rows[0]);
  }

  async define(
    definition: MonitorDefinition,
    origin: MonitorOrigin,
    atMs: number,
    cursor: MonitorCursor,
  ): Promise<MonitorRecord> {
    // The cursor is written only by the insert: an analyzer upserting its config never rewinds a monitor.
    const { rows } = await this.pool.query<MonitorRow>(
      `INSERT INTO monitors (slug, definition, origin, created_at, updated_at, cursor) VALUES ($1, $2, $3, $4, $4, $5)
       ON CONFLICT (slug) DO UPDATE SET definition = excluded.definition, origin = excluded.origin,
         updated_at = excluded.updated_at
       RETURNING *`,
      [definition.slug, JSON.stringify(definition), origin, atMs, JSON.stringify(cursor)],
    );
    return fromRow(rows[0]);
  }

  async delete(slug: string): Promise<boolean> {
    this.prunes.forget(slug);
    return inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM monitor_pings WHERE slug = $1', [slug]);
      await client.query('DELETE FROM monitor_transitions WHERE slug = $1', [slug]);
      const { rowCount } = await client.query('DELETE FROM monitors WHERE slug = $1', [slug]);
      return (rowCount ?? 0) > 0;
    });
  }

  async advance(
    slug: string,
    pings: readonly NewPing[],
    step: (record: MonitorRecord) => MonitorStep,
    options: AdvanceOptions = {},
  ): Promise<AdvancedMonitor | undefined> {
    const lock = options.skipLocked ? 'FOR UPDATE SKIP LOCKED' : 'FOR UPDATE';
    const advanced = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<MonitorRow>(`SELECT * FROM monitors WHERE slug = $1 ${lock}`, [
        slug,
      ]);
      if (!rows[0]) return undefined;
      const record = fromRow(rows[0]);
      await insertPings(client, slug, pings);
      const { cursor, transitions, alerts } = step(record);
      await insertTransitions(client, slug, transitions);
      await client.query('UPDATE monitors SET cursor = $2 WHERE slug = $1', [slug, JSON.stringify(cursor)]);
      if (alerts && alerts.length > 0) await this.writeAlerts(client, alerts);
      return { record: { ...record, cursor }, transitions };
    });
    const writes = pings.length + (advanced && advanced.transitions.length > 0 ? 1 : 0);
    if (advanced && writes > 0 && this.prunes.due(slug, writes)) await this.prune(slug);
    return advanced;
  }

  async pings(slug: string, limit = 50): Promise<PingRecord[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM (SELECT * FROM monitor_pings WHERE slug = $1 ORDER BY seq DESC LIMIT $2) AS newest ORDER BY seq',
      [slug, limit],
    );
    return rows.map((row) => pingFromRow(slug, { ...row, detail: JSON.parse(row.detail) }));
  }

  async transitions(slug: string, limit = 100): Promise<StoredTransition[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM (SELECT * FROM monitor_transitions WHERE slug = $1 ORDER BY seq DESC LIMIT $2) AS newest ORDER BY seq',
      [slug, limit],
    );
    return rows.map((row) => transitionFromRow(slug, row));
  }

  /** Outside the step's transaction: trimming history must not hold the monitor's lock. */
  private async prune(slug: string): Promise<void> {
    const cutoff = (table: string) =>
      `(SELECT seq FROM ${table} WHERE slug = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2)`;
    await this.pool.query(`DELETE FROM monitor_pings WHERE slug = $1 AND seq <= ${cutoff('monitor_pings')}`, [
      slug,
      MAX_PINGS_PER_MONITOR,
    ]);
    await this.pool.query(
      `DELETE FROM monitor_transitions WHERE slug = $1 AND seq <= ${cutoff('monitor_transitions')}`,
      [slug, MAX_TRANSITIONS_PER_MONITOR],
    );
    await this.pool.query(
      `UPDATE monitor_pings SET body = NULL WHERE slug = $1 AND body IS NOT NULL AND seq <= ${cutoff('monitor_pings')}`,
      [slug, MAX_PING_BODIES_PER_MONITOR],
    );
  }
}

async function insertPings(client: PgClient, slug: string, pings: readonly NewPing[]): Promise<void> {
  if (pings.length === 0) return;
  const rows = pings.map(({ event, source, body, detail }, i) => ({
    i,
    at: event.atMs,
    type: event.type,
    run_id: 'runId' in event && event.runId ? event.runId : null,
    exit_code: event.type === 'failure' && event.exitCode !== undefined ? event.exitCode : null,
    source,
    body: body ?? null,
    detail: JSON.stringify(detail),
  }));
  // One statement for a batch of check-ins; ordering by `i` keeps their order in `seq`.
  await client.query(
    `INSERT INTO monitor_pings (slug, at, type, run_id, exit_code, source, body, detail)
     SELECT $1, r.at, r.type, r.run_id, r.exit_code, r.source, r.body, r.detail
     FROM json_to_recordset($2) AS r(i INTEGER, at DOUBLE PRECISION, type TEXT, run_id TEXT,
       exit_code INTEGER, source TEXT, body TEXT, detail TEXT)
     ORDER BY r.i`,
    [slug, JSON.stringify(rows)],
  );
}

async function insertTransitions(
  client: PgClient,
  slug: string,
  transitions: readonly MonitorTransition[],
): Promise<void> {
  if (transitions.length === 0) return;
  const rows = transitions.map((t, i) => ({
    i,
    at: t.atMs,
    from_state: t.from,
    to_state: t.to,
    reason: t.reason,
    run_id: t.runId ?? null,
    exit_code: t.exitCode ?? null,
  }));
  await client.query(
    `INSERT INTO monitor_transitions (slug, at, from_state, to_state, reason, run_id, exit_code)
     SELECT $1, r.at, r.from_state, r.to_state, r.reason, r.run_id, r.exit_code
     FROM json_to_recordset($2) AS r(i INTEGER, at DOUBLE PRECISION, from_state TEXT, to_state TEXT,
       reason TEXT, run_id TEXT, exit_code INTEGER)
     ORDER BY r.i`,
    [slug, JSON.stringify(rows)],
  );
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
