import type { Finding, FindingFilter, FindingTransition } from '../findings/finding.js';
import type { FindingStore } from '../findings/finding-store.js';
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

/** Used when a filter sets no limit, so one request cannot read the whole history into memory. */
export const DEFAULT_LIST_LIMIT = 1000;

/**
 * Findings and their transitions in SQLite. `save()` writes everything in one transaction; with the
 * database opened by `openDatabase` (WAL, synchronous=FULL) it is on disk when `save()` returns.
 * The store does not own the database handle unless `ownsDatabase` is set: monitors share the file.
 */
export class SqliteFindingStore implements FindingStore {
  private readonly upsert;
  private readonly insertTransition;
  private readonly selectById;
  private readonly selectOpen;
  private readonly selectTransitions;
  private readonly saveAll;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: { ownsDatabase?: boolean } = {},
  ) {
    migrate(db, FINDINGS_SCHEMA, FINDINGS_MIGRATIONS);
    this.upsert = db.prepare(`
      INSERT INTO findings (id, type, key, status, severity, service, queue, worker, subject, summary, next_step,
        evidence, since, first_seen, last_seen, resolved_at, acknowledged_by, acknowledged_at, snoozed_until,
        reminded_at)
      VALUES (@id, @type, @key, @status, @severity, @service, @queue, @worker, @subject, @summary, @next_step,
        @evidence, @since, @first_seen, @last_seen, @resolved_at, @acknowledged_by, @acknowledged_at,
        @snoozed_until, @reminded_at)
      ON CONFLICT(id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
        service = excluded.service, queue = excluded.queue, worker = excluded.worker, subject = excluded.subject,
        summary = excluded.summary, next_step = excluded.next_step, evidence = excluded.evidence,
        since = excluded.since, last_seen = excluded.last_seen, resolved_at = excluded.resolved_at,
        acknowledged_by = excluded.acknowledged_by, acknowledged_at = excluded.acknowledged_at,
        snoozed_until = excluded.snoozed_until, reminded_at = excluded.reminded_at`);
    this.insertTransition = db.prepare(
      'INSERT INTO finding_transitions (finding_id, at, from_status, to_status, summary, event, actor) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectById = db.prepare('SELECT * FROM findings WHERE id = ?');
    this.selectOpen = db.prepare("SELECT * FROM findings WHERE status = 'open' ORDER BY last_seen DESC");
    this.selectTransitions = db.prepare(
      'SELECT finding_id, at, from_status, to_status, summary, event, actor FROM finding_transitions WHERE finding_id = ? ORDER BY seq',
    );
    this.saveAll = db.transaction((findings: Finding[], transitions: FindingTransition[]) => {
      for (const finding of findings) this.upsert.run(toFindingRow(finding));
      for (const t of transitions)
        this.insertTransition.run(
          t.findingId,
          t.at,
          t.from,
          t.to,
          t.summary,
          t.event ?? null,
          t.actor ?? null,
        );
    });
  }

  save(findings: Finding[], transitions: FindingTransition[]): void {
    if (findings.length === 0 && transitions.length === 0) return;
    this.saveAll(findings, transitions);
  }

  get(id: string): Finding | undefined {
    const row = this.selectById.get(id) as FindingRow | undefined;
    return row ? fromFindingRow(row) : undefined;
  }

  list(filter: FindingFilter = {}): Finding[] {
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

  open(): Finding[] {
    return (this.selectOpen.all() as FindingRow[]).map(fromFindingRow);
  }

  transitions(findingId: string): FindingTransition[] {
    return (this.selectTransitions.all(findingId) as TransitionRow[]).map(fromTransitionRow);
  }

  close(): void {
    if (this.options.ownsDatabase && this.db.open) this.db.close();
  }
}
