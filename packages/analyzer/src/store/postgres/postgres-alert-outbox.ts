import {
  type AlertOutbox,
  DEAD_LETTERS_KEPT,
  DELIVERED_KEPT_MILLIS,
  type OutboxEntry,
  type OutboxStatus,
} from '../../alerts/alert-outbox.js';
import type { QueuedAlert } from '../../findings/finding-store.js';
import { ALERT_OUTBOX_SCHEMA } from '../alert-outbox-schema.js';
import { fromOutboxRow, type OutboxRow } from '../sqlite-alert-outbox.js';
import { schemaOnFirstUse } from './ensure-schema.js';
import type { PgClient, PgPool } from './open-postgres.js';
import { PG_ALERT_OUTBOX_MIGRATIONS } from './postgres-schema.js';

/**
 * Writes pending rows on `client`, inside its transaction (the finding store's save). `ON CONFLICT DO
 * NOTHING`: an event queued twice is still one delivery per channel.
 */
export async function insertOutboxRows(
  client: PgClient | PgPool,
  alerts: readonly QueuedAlert[],
): Promise<void> {
  const rows = alerts.flatMap(({ event, channels, at }) =>
    channels.map((channel) => ({
      id: `${event.id}:${channel}`,
      event_id: event.id,
      channel,
      finding_id: event.finding.id,
      event: JSON.stringify(event),
      at,
    })),
  );
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO alert_outbox (id, event_id, channel, finding_id, event, status, attempts, created_at, next_attempt_at)
      SELECT e->>'id', e->>'event_id', e->>'channel', e->>'finding_id', e->>'event', 'pending', 0,
        (e->>'at')::DOUBLE PRECISION, (e->>'at')::DOUBLE PRECISION
      FROM json_array_elements($1) WITH ORDINALITY AS x(e, n) ORDER BY n
      ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/**
 * Claims due rows as graphile-worker takes jobs: `FOR UPDATE SKIP LOCKED` so analyzers claiming at once
 * take different rows, and a lease (`claimed_until`) so a row stays taken while its analyzer sends it.
 * Only the oldest pending row of a (channel, finding) is due, even while claimed: events of a finding
 * reach a channel in order.
 */
const CLAIM_DUE = `UPDATE alert_outbox SET claimed_until = $2, claimed_by = $4 WHERE id IN (
    SELECT o.id FROM alert_outbox o WHERE o.status = 'pending' AND o.next_attempt_at <= $1
      AND (o.claimed_until IS NULL OR o.claimed_until <= $1)
      AND NOT EXISTS (SELECT 1 FROM alert_outbox p WHERE p.status = 'pending' AND p.channel = o.channel
        AND p.finding_id = o.finding_id AND p.seq < o.seq)
    ORDER BY o.next_attempt_at, o.seq LIMIT $3
    FOR UPDATE SKIP LOCKED)
  RETURNING *`;

/** The alert outbox in PostgreSQL, delivered from by every analyzer on the database without double sends. */
export class PostgresAlertOutbox implements AlertOutbox {
  private readonly ready: () => Promise<void>;

  /** `owner`: the analyzer's instance name, so that after a restart it takes back its own claims. */
  constructor(
    private readonly pool: PgPool,
    private readonly owner: string,
  ) {
    this.ready = schemaOnFirstUse(pool, [[ALERT_OUTBOX_SCHEMA, PG_ALERT_OUTBOX_MIGRATIONS]]);
  }

  async enqueue(alerts: readonly QueuedAlert[]): Promise<void> {
    await this.ready();
    await insertOutboxRows(this.pool, alerts);
  }

  async claimDue(now: number, limit: number, leaseMillis: number): Promise<OutboxEntry[]> {
    await this.ready();
    const { rows } = await this.pool.query<OutboxRow & { seq: number }>(CLAIM_DUE, [
      now,
      now + leaseMillis,
      limit,
      this.owner,
    ]);
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.seq - b.seq).map(fromOutboxRow);
  }

  async releaseClaims(): Promise<void> {
    await this.ready();
    await this.pool.query(
      'UPDATE alert_outbox SET claimed_until = NULL, claimed_by = NULL WHERE claimed_by = $1',
      [this.owner],
    );
  }

  async record(entry: OutboxEntry): Promise<void> {
    await this.ready();
    await this.pool.query(
      `UPDATE alert_outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5,
        finished_at = $6, claimed_until = NULL, claimed_by = NULL WHERE id = $1`,
      [
        entry.id,
        entry.status,
        entry.attempts,
        entry.nextAttemptAt,
        entry.lastError ?? null,
        entry.finishedAt ?? null,
      ],
    );
  }

  async list(status: OutboxStatus, limit = 100): Promise<OutboxEntry[]> {
    await this.ready();
    const { rows } = await this.pool.query<OutboxRow>(
      'SELECT * FROM alert_outbox WHERE status = $1 ORDER BY COALESCE(finished_at, created_at) DESC, seq DESC LIMIT $2',
      [status, limit],
    );
    return rows.map(fromOutboxRow);
  }

  async count(status: OutboxStatus): Promise<number> {
    await this.ready();
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT COUNT(*)::INTEGER AS n FROM alert_outbox WHERE status = $1',
      [status],
    );
    return rows[0]?.n ?? 0;
  }

  async retry(id: string, now: number): Promise<boolean> {
    await this.ready();
    const result = await this.pool.query(
      `UPDATE alert_outbox SET status = 'pending', created_at = $2, next_attempt_at = $2, finished_at = NULL,
        claimed_until = NULL WHERE id = $1 AND status = 'dead'`,
      [id, now],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async prune(now: number): Promise<void> {
    await this.ready();
    await this.pool.query("DELETE FROM alert_outbox WHERE status = 'delivered' AND finished_at < $1", [
      now - DELIVERED_KEPT_MILLIS,
    ]);
    await this.pool.query(
      `DELETE FROM alert_outbox WHERE status = 'dead' AND id NOT IN
        (SELECT id FROM alert_outbox WHERE status = 'dead' ORDER BY finished_at DESC LIMIT $1)`,
      [DEAD_LETTERS_KEPT],
    );
  }
}
