import type { Finding, FindingFilter, FindingTransition } from '../../findings/finding.js';
import type { FindingStore, SaveOptions } from '../../findings/finding-store.js';
import {
  recordedTransitions,
  type StoredState,
  statusChangedIds,
} from '../../findings/recorded-transitions.js';
import { ALERT_OUTBOX_SCHEMA } from '../alert-outbox-schema.js';
import {
  type FindingRow,
  fromFindingRow,
  fromTransitionRow,
  type TransitionRow,
  toFindingRow,
} from '../finding-rows.js';
import { FINDINGS_SCHEMA } from '../finding-schema.js';
import { DEFAULT_LIST_LIMIT } from '../sqlite-finding-store.js';
import { schemaOnFirstUse } from './ensure-schema.js';
import { inTransaction, type PgPool } from './open-postgres.js';
import { insertOutboxRows } from './postgres-alert-outbox.js';
import { PG_ALERT_OUTBOX_MIGRATIONS, PG_FINDINGS_MIGRATIONS } from './postgres-schema.js';

export interface PostgresFindingStoreOptions {
  /** Who saves through this store (the analyzer's instance name), recorded with each status change it makes. */
  owner: string;
}

const UPDATE_FINDINGS = `UPDATE findings f SET status = v.status, severity = v.severity, service = v.service,
  queue = v.queue, worker = v.worker, subject = v.subject, summary = v.summary, next_step = v.next_step,
  evidence = v.evidence, since = v.since, last_seen = v.last_seen, resolved_at = v.resolved_at,
  acknowledged_by = v.acknowledged_by, acknowledged_at = v.acknowledged_at, snoozed_until = v.snoozed_until,
  reminded_at = v.reminded_at, owner = COALESCE(v.owner, f.owner)
  FROM json_populate_recordset(NULL::findings, $1) v WHERE f.id = v.id`;

const INSERT_TRANSITIONS = `INSERT INTO finding_transitions (finding_id, at, from_status, to_status, summary, event, actor)
  SELECT e->>'finding_id', (e->>'at')::DOUBLE PRECISION, e->>'from_status', e->>'to_status', e->>'summary',
    e->>'event', e->>'actor'
  FROM json_array_elements($1) WITH ORDINALITY AS x(e, n) ORDER BY n`;

/**
 * Findings and their transitions in PostgreSQL, shared by every analyzer on the database. A save is one
 * transaction: new findings are inserted first (`ON CONFLICT DO NOTHING` waits for another analyzer's
 * insert of the same id, so exactly one of them inserts it), the others are locked (`FOR UPDATE`) and
 * read, and only transitions that change what was stored are recorded, with their alerts. Each
 * transition therefore alerts once, whichever analyzers saw it.
 */
export class PostgresFindingStore implements FindingStore {
  private readonly ready: () => Promise<void>;

  constructor(
    private readonly pool: PgPool,
    private readonly options: PostgresFindingStoreOptions,
  ) {
    this.ready = schemaOnFirstUse(pool, [
      [FINDINGS_SCHEMA, PG_FINDINGS_MIGRATIONS],
      [ALERT_OUTBOX_SCHEMA, PG_ALERT_OUTBOX_MIGRATIONS],
    ]);
  }

  async save(
    findings: Finding[],
    transitions: FindingTransition[],
    options: SaveOptions = {},
  ): Promise<FindingTransition[]> {
    if (findings.length === 0 && transitions.length === 0) return [];
    await this.ready();
    const owner = this.options.owner;
    // One order for every analyzer, so two saves of the same findings lock them alike and cannot deadlock.
    const sorted = [...findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return inTransaction(this.pool, async (client) => {
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO findings SELECT * FROM json_populate_recordset(NULL::findings, $1)
          ON CONFLICT (id) DO NOTHING RETURNING id`,
        [JSON.stringify(sorted.map((f) => ({ ...toFindingRow(f), owner })))],
      );
      const insertedIds = new Set(inserted.rows.map((r) => r.id));
      const existing = [...new Set([...sorted.map((f) => f.id), ...transitions.map((t) => t.findingId)])]
        .filter((id) => !insertedIds.has(id))
        .sort();
      const { rows } = await client.query<StoredState & { id: string }>(
        'SELECT id, status, severity FROM findings WHERE id = ANY($1) ORDER BY id FOR UPDATE',
        [existing],
      );
      const recorded = recordedTransitions(
        findings,
        transitions,
        new Map(rows.map((r) => [r.id, { status: r.status, severity: r.severity }])),
      );
      const changed = statusChangedIds(recorded);
      const updates = sorted
        .filter((f) => !insertedIds.has(f.id))
        .map((f) => ({ ...toFindingRow(f), owner: changed.has(f.id) ? owner : null }));
      if (updates.length > 0) await client.query(UPDATE_FINDINGS, [JSON.stringify(updates)]);
      if (recorded.length > 0)
        await client.query(INSERT_TRANSITIONS, [
          JSON.stringify(
            recorded.map((t) => ({
              finding_id: t.findingId,
              at: t.at,
              from_status: t.from,
              to_status: t.to,
              summary: t.summary,
              event: t.event ?? null,
              actor: t.actor ?? null,
            })),
          ),
        ]);
      if (options.alertsFor) await insertOutboxRows(client, options.alertsFor(recorded));
      return recorded;
    });
  }

  async get(id: string): Promise<Finding | undefined> {
    await this.ready();
    const { rows } = await this.pool.query<FindingRow>('SELECT * FROM findings WHERE id = $1', [id]);
    return rows[0] ? fromFindingRow(rows[0]) : undefined;
  }

  async list(filter: FindingFilter = {}): Promise<Finding[]> {
    await this.ready();
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['type', filter.type],
      ['status', filter.status],
      ['service', filter.service],
      ['queue', filter.queue],
      ['worker', filter.worker],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    params.push(filter.limit ?? DEFAULT_LIST_LIMIT);
    // COLLATE "C": ties on last_seen break by id in byte order, as SQLite's do.
    const sql = `SELECT * FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY last_seen DESC, id COLLATE "C" LIMIT $${params.length}`;
    const { rows } = await this.pool.query<FindingRow>(sql, params);
    return rows.map(fromFindingRow);
  }

  async open(filter: { owner?: string } = {}): Promise<Finding[]> {
    await this.ready();
    const { rows } =
      filter.owner === undefined
        ? await this.pool.query<FindingRow>(
            "SELECT * FROM findings WHERE status = 'open' ORDER BY last_seen DESC",
          )
        : await this.pool.query<FindingRow>(
            "SELECT * FROM findings WHERE status = 'open' AND owner = $1 ORDER BY last_seen DESC",
            [filter.owner],
          );
    return rows.map(fromFindingRow);
  }

  async transitions(findingId: string): Promise<FindingTransition[]> {
    await this.ready();
    const { rows } = await this.pool.query<TransitionRow>(
      `SELECT finding_id, at, from_status, to_status, summary, event, actor FROM finding_transitions
        WHERE finding_id = $1 ORDER BY seq`,
      [findingId],
    );
    return rows.map(fromTransitionRow);
  }

  async prune(resolvedBefore: number): Promise<number> {
    await this.ready();
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        "DELETE FROM findings WHERE status = 'resolved' AND resolved_at < $1 RETURNING id",
        [resolvedBefore],
      );
      if (rows.length > 0)
        await client.query('DELETE FROM finding_transitions WHERE finding_id = ANY($1)', [
          rows.map((r) => r.id),
        ]);
      return rows.length;
    });
  }

  /** The pool belongs to the analyzer, which ends it once every store is done. */
  async close(): Promise<void> {}
}
