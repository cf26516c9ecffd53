import type { AlertEvent } from '../alerts/alert-event.js';
import { ALERT_OUTBOX_MIGRATIONS, ALERT_OUTBOX_SCHEMA } from './alert-outbox-schema.js';
import { migrate } from './migrate.js';
import type { SqliteDatabase } from './open-database.js';

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** One event for one channel, as the delivery loop sees it. */
export interface OutboxEntry {
  /** The delivery id: `<event id>:<channel>`. */
  id: string;
  channel: string;
  event: AlertEvent;
  status: OutboxStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastError?: string;
  finishedAt?: number;
}

interface OutboxRow {
  id: string;
  channel: string;
  event: string;
  status: OutboxStatus;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  last_error: string | null;
  finished_at: number | null;
}

/** Delivered rows are only history; a week of it is enough to answer "did that page go out?". */
const DELIVERED_KEPT_MILLIS = 7 * 24 * 3600_000;
/** Dead letters stay until someone looks, but a receiver dead for months must not grow the file forever. */
const DEAD_LETTERS_KEPT = 1000;

/**
 * The alert outbox in the analyzer's SQLite file. `enqueue` is one statement per row inside whatever
 * transaction the caller holds, so the analyzer writes a finding's transition and its alerts together:
 * once that commits (synchronous=FULL), a kill -9 cannot lose the alerts.
 */
export class SqliteAlertOutbox {
  private readonly insert;
  private readonly selectDue;
  private readonly update;
  private readonly selectByStatus;
  private readonly countByStatus;

  constructor(private readonly db: SqliteDatabase) {
    migrate(db, ALERT_OUTBOX_SCHEMA, ALERT_OUTBOX_MIGRATIONS);
    // OR IGNORE: an event enqueued twice (a retried evaluation) is still one delivery per channel.
    this.insert = db.prepare(`INSERT OR IGNORE INTO alert_outbox (id, event_id, channel, finding_id, event,
      status, attempts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`);
    // Only the oldest pending row of each (channel, finding): the next one waits until it is sent or dead.
    this.selectDue =
      db.prepare(`SELECT * FROM alert_outbox o WHERE status = 'pending' AND next_attempt_at <= ?
      AND NOT EXISTS (SELECT 1 FROM alert_outbox p WHERE p.status = 'pending' AND p.channel = o.channel
        AND p.finding_id = o.finding_id AND p.rowid < o.rowid)
      ORDER BY next_attempt_at LIMIT ?`);
    this.update = db.prepare(`UPDATE alert_outbox SET status = @status, attempts = @attempts,
      next_attempt_at = @next_attempt_at, last_error = @last_error, finished_at = @finished_at WHERE id = @id`);
    this.selectByStatus = db.prepare(
      'SELECT * FROM alert_outbox WHERE status = ? ORDER BY COALESCE(finished_at, created_at) DESC LIMIT ?',
    );
    this.countByStatus = db.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE status = ?');
  }

  /** Adds one pending row per channel; durable when the surrounding transaction commits. */
  enqueue(event: AlertEvent, channels: readonly string[], now: number): void {
    const json = JSON.stringify(event);
    for (const channel of channels)
      this.insert.run(`${event.id}:${channel}`, event.id, channel, event.finding.id, json, now, now);
  }

  /** Pending rows whose time has come, oldest first, at most one per channel and finding (its oldest). */
  due(now: number, limit: number): OutboxEntry[] {
    return (this.selectDue.all(now, limit) as OutboxRow[]).map(fromRow);
  }

  /** Saves what the delivery loop decided for one row. */
  record(entry: OutboxEntry): void {
    this.update.run({
      id: entry.id,
      status: entry.status,
      attempts: entry.attempts,
      next_attempt_at: entry.nextAttemptAt,
      last_error: entry.lastError ?? null,
      finished_at: entry.finishedAt ?? null,
    });
  }

  list(status: OutboxStatus, limit = 100): OutboxEntry[] {
    return (this.selectByStatus.all(status, limit) as OutboxRow[]).map(fromRow);
  }

  count(status: OutboxStatus): number {
    return (this.countByStatus.get(status) as { n: number }).n;
  }

  /**
   * Puts a dead letter back in line, as if just queued (its retry window starts again); false when no
   * dead letter has that id.
   */
  retry(id: string, now: number): boolean {
    return (
      this.db
        .prepare(`UPDATE alert_outbox SET status = 'pending', created_at = ?, next_attempt_at = ?, finished_at = NULL
          WHERE id = ? AND status = 'dead'`)
        .run(now, now, id).changes > 0
    );
  }

  /** Forgets old delivered rows and all but the newest dead letters. */
  prune(now: number): void {
    this.db
      .prepare("DELETE FROM alert_outbox WHERE status = 'delivered' AND finished_at < ?")
      .run(now - DELIVERED_KEPT_MILLIS);
    this.db
      .prepare(
        `DELETE FROM alert_outbox WHERE status = 'dead' AND id NOT IN
          (SELECT id FROM alert_outbox WHERE status = 'dead' ORDER BY finished_at DESC LIMIT ?)`,
      )
      .run(DEAD_LETTERS_KEPT);
  }
}

function fromRow(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    channel: row.channel,
    event: JSON.parse(row.event) as AlertEvent,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
    finishedAt: row.finished_at ?? undefined,
  };
}
