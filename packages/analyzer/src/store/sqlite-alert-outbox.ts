import type { AlertOutbox, OutboxEntry, OutboxStatus } from '../alerts/alert-outbox.js';
import { DEAD_LETTERS_KEPT, DELIVERED_KEPT_MILLIS } from '../alerts/alert-outbox.js';
import type { AlertEvent } from '../findings/alert-event.js';
import type { QueuedAlert } from '../findings/finding-store.js';
import { ALERT_OUTBOX_MIGRATIONS, ALERT_OUTBOX_SCHEMA } from './alert-outbox-schema.js';
import { migrate } from './migrate.js';
import type { SqliteDatabase } from './open-database.js';

export type { OutboxEntry, OutboxStatus } from '../alerts/alert-outbox.js';

/** An `alert_outbox` row as SQLite and PostgreSQL return it. */
export interface OutboxRow {
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

/**
 * The alert outbox in the analyzer's SQLite file. `write` is one statement per row inside whatever
 * transaction the caller holds, so the finding store writes a finding's transition and its alerts
 * together: once that commits (synchronous=FULL), a kill -9 cannot lose the alerts.
 */
export class SqliteAlertOutbox implements AlertOutbox {
  private readonly insert;
  private readonly selectDue;
  private readonly claim;
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
      db.prepare(`SELECT * FROM alert_outbox o WHERE status = 'pending' AND next_attempt_at <= @now
      AND (claimed_until IS NULL OR claimed_until <= @now)
      AND NOT EXISTS (SELECT 1 FROM alert_outbox p WHERE p.status = 'pending' AND p.channel = o.channel
        AND p.finding_id = o.finding_id AND p.rowid < o.rowid)
      ORDER BY next_attempt_at, rowid LIMIT @limit`);
    this.claim = db.prepare('UPDATE alert_outbox SET claimed_until = ? WHERE id = ?');
    this.update = db.prepare(`UPDATE alert_outbox SET status = @status, attempts = @attempts,
      next_attempt_at = @next_attempt_at, last_error = @last_error, finished_at = @finished_at,
      claimed_until = NULL WHERE id = @id`);
    this.selectByStatus = db.prepare(
      'SELECT * FROM alert_outbox WHERE status = ? ORDER BY COALESCE(finished_at, created_at) DESC LIMIT ?',
    );
    this.countByStatus = db.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE status = ?');
  }

  /** Writes the rows inside the caller's transaction (the finding store's save). */
  write(alerts: readonly QueuedAlert[]): void {
    for (const { event, channels, at } of alerts) {
      const json = JSON.stringify(event);
      for (const channel of channels)
        this.insert.run(`${event.id}:${channel}`, event.id, channel, event.finding.id, json, at, at);
    }
  }

  async enqueue(alerts: readonly QueuedAlert[]): Promise<void> {
    this.db.transaction(() => this.write(alerts))();
  }

  async claimDue(now: number, limit: number, leaseMillis: number): Promise<OutboxEntry[]> {
    return this.db.transaction(() => {
      const rows = this.selectDue.all({ now, limit }) as OutboxRow[];
      for (const row of rows) this.claim.run(now + leaseMillis, row.id);
      return rows.map(fromOutboxRow);
    })();
  }

  /** A SQLite file has one analyzer: every claim in it was left by this analyzer's previous process. */
  async releaseClaims(): Promise<void> {
    this.db.prepare('UPDATE alert_outbox SET claimed_until = NULL WHERE claimed_until IS NOT NULL').run();
  }

  async record(entry: OutboxEntry): Promise<void> {
    this.update.run({
      id: entry.id,
      status: entry.status,
      attempts: entry.attempts,
      next_attempt_at: entry.nextAttemptAt,
      last_error: entry.lastError ?? null,
      finished_at: entry.finishedAt ?? null,
    });
  }

  async list(status: OutboxStatus, limit = 100): Promise<OutboxEntry[]> {
    return (this.selectByStatus.all(status, limit) as OutboxRow[]).map(fromOutboxRow);
  }

  async count(status: OutboxStatus): Promise<number> {
    return (this.countByStatus.get(status) as { n: number }).n;
  }

  async retry(id: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare(`UPDATE alert_outbox SET status = 'pending', created_at = ?, next_attempt_at = ?, finished_at = NULL,
          claimed_until = NULL WHERE id = ? AND status = 'dead'`)
        .run(now, now, id).changes > 0
    );
  }

  async prune(now: number): Promise<void> {
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

export function fromOutboxRow(row: OutboxRow): OutboxEntry {
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
