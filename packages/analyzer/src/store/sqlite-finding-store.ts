import type { Finding, FindingFilter, FindingTransition } from '../findings/finding.js';
import type { FindingStore, SaveOptions } from '../findings/finding-store.js';
import { recordedTransitions, type StoredState, statusChangedIds } from '../findings/recorded-transitions.js';
import {
  type FindingRow,
  fromFindingRow,
  fromTransitionRow,
  type TransitionRow,
  toFindingRow,
} from './finding-rows.js';
import { FINDINGS_MIGRATIONS, FINDINGS_SCHEMA } from './finding-schema.js';
import { migrate } from './migrate.js';
import type { SqliteDatabase } from './open-database.js';
import { SqliteAlertOutbox } from './sqlite-alert-outbox.js';

/** Used when a filter sets no limit, so one request cannot read the whole history into memory. */
export const DEFAULT_LIST_LIMIT = 1000;

export interface SqliteFindingStoreOptions {
  /** Closes the database on `close()`; by default the handle is shared (monitors use the same file). */
  ownsDatabase?: boolean;
  /** Who saves through this store, recorded with each status change it makes. Default `local`. */
  owner?: string;
}

/**
 * Findings and their transitions in SQLite. `save()` writes everything in one transaction; with the
 * database opened by `openDatabase` (WAL, synchronous=FULL) it is on disk when `save()` resolves.
 * Alerts the save raises go to the outbox table of the same file in that transaction.
 */
export class SqliteFindingStore implements FindingStore {
  private readonly upsert;
  private readonly insertTransition;
  private readonly selectState;
  private readonly selectById;
  private readonly selectOpen;
  private readonly selectTransitions;
  private readonly saveAll;
  private readonly outbox: SqliteAlertOutbox;
  private readonly owner: string;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: SqliteFindingStoreOptions = {},
  ) {
    migrate(db, FINDINGS_SCHEMA, FINDINGS_MIGRATIONS);
    this.outbox = new SqliteAlertOutbox(db);
    this.owner = options.owner ?? 'local';
    this.upsert = db.prepare(`
      INSERT INTO findings (id, type, key, status, severity, service, queue, worker, subject, summary, next_step,
        evidence, since, first_seen, last_seen, resolved_at, acknowledged_by, acknowledged_at, snoozed_until,
        reminded_at, owner)
      VALUES (@id, @type, @key, @status, @severity, @service, @queue, @worker, @subject, @summary, @next_step,
        @evidence, @since, @first_seen, @last_seen, @resolved_at, @acknowledged_by, @acknowledged_at,
        @snoozed_until, @reminded_at, @owner)
      ON CONFLICT(id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
        service = excluded.service, queue = excluded.queue, worker = excluded.worker, subject = excluded.subject,
        summary = excluded.summary, next_step = excluded.next_step, evidence = excluded.evidence,
        since = excluded.since, last_seen = excluded.last_seen, resolved_at = excluded.resolved_at,
        acknowledged_by = excluded.acknowledged_by, acknowledged_at = excluded.acknowledged_at,
        snoozed_until = excluded.snoozed_until, reminded_at = excluded.reminded_at,
        owner = COALESCE(@new_owner, findings.owner)`);
    this.insertTransition = db.prepare(
      'INSERT INTO finding_transitions (finding_id, at, from_status, to_status, summary, event, actor) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectState = db.prepare('SELECT status, severity FROM findings WHERE id = ?');
    this.selectById = db.prepare('SELECT * FROM findings WHERE id = ?');
    this.selectOpen = db.prepare("SELECT * FROM findings WHERE status = 'open' ORDER BY last_seen DESC");
    this.selectTransitions = db.prepare(
      'SELECT finding_id, at, from_status, to_status, summary, event, actor FROM finding_transitions WHERE finding_id = ? ORDER BY seq',
    );
    this.saveAll = db.transaction(
      (findings: Finding[], transitions: FindingTransition[], options: SaveOptions): FindingTransition[] => {
        const before = new Map<string, StoredState>();
        for (const id of new Set([...findings.map((f) => f.id), ...transitions.map((t) => t.findingId)])) {
          const state = this.selectState.get(id) as StoredState | undefined;
          if (state) before.set(id, state);
        }
        const recorded = recordedTransitions(findings, transitions, before);
        const changed = statusChangedIds(recorded);
        for (const finding of findings)
          this.upsert.run({
            ...toFindingRow(finding),
            owner: this.owner,
            new_owner: changed.has(finding.id) ? this.owner : null,
          });
        for (const t of recorded)
          this.insertTransition.run(
            t.findingId,
            t.at,
            t.from,
            t.to,
            t.summary,
            t.event ?? null,
            t.actor ?? null,
          );
        if (options.alertsFor) this.outbox.write(options.alertsFor(recorded));
        return recorded;
      },
    );
  }

  async save(
    findings: Finding[],
    transitions: FindingTransition[],
    options: SaveOptions = {},
  ): Promise<FindingTransition[]> {
    if (findings.length === 0 && transitions.length === 0) return [];
    return this.saveAll(findings, transitions, options);
  }

  async get(id: string): Promise<Finding | undefined> {
    const row = this.selectById.get(id) as FindingRow | undefined;
    return row ? fromFindingRow(row) : undefined;
  }

  async list(filter: FindingFilter = {}): Promise<Finding[]> {
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
      where.push(`${column} = ?`);
      params.push(value);
    }
    const sql = `SELECT * FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen DESC, id LIMIT ?`;
    params.push(filter.limit ?? DEFAULT_LIST_LIMIT);
    return (this.db.prepare(sql).all(...params) as FindingRow[]).map(fromFindingRow);
  }

  async open(filter: { owner?: string } = {}): Promise<Finding[]> {
    const rows = this.selectOpen.all() as FindingRow[];
    const owned = filter.owner === undefined ? rows : rows.filter((row) => row.owner === filter.owner);
    return owned.map(fromFindingRow);
  }

  async transitions(findingId: string): Promise<FindingTransition[]> {
    return (this.selectTransitions.all(findingId) as TransitionRow[]).map(fromTransitionRow);
  }

  async prune(resolvedBefore: number): Promise<number> {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM finding_transitions WHERE finding_id IN
            (SELECT id FROM findings WHERE status = 'resolved' AND resolved_at < ?)`,
        )
        .run(resolvedBefore);
      return this.db
        .prepare("DELETE FROM findings WHERE status = 'resolved' AND resolved_at < ?")
        .run(resolvedBefore).changes;
    })();
  }

  async close(): Promise<void> {
    if (this.options.ownsDatabase && this.db.open) this.db.close();
  }
}
