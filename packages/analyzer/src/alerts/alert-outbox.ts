import type { AlertEvent } from '../findings/alert-event.js';
import type { QueuedAlert } from '../findings/finding-store.js';

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

/**
 * The durable alert outbox: `SqliteAlertOutbox` by default, `PostgresAlertOutbox` when several analyzers
 * share one database. The finding store writes the rows of an evaluation's transitions in its own
 * transaction; everything else (monitors, acknowledgements, reminders) enqueues here.
 */
export interface AlertOutbox {
  /** Adds one pending row per channel; an event queued twice is still one row per channel. */
  enqueue(alerts: readonly QueuedAlert[]): Promise<void>;
  /**
   * Takes the pending rows whose time has come, oldest first, at most one per channel and finding (its
   * oldest), and hides them from other callers for `leaseMillis`: several analyzers deliver from one
   * outbox without sending a row twice. A row whose lease ran out (its analyzer died mid-send) is due again.
   */
  claimDue(now: number, limit: number, leaseMillis: number): Promise<OutboxEntry[]>;
  /**
   * Releases the claims this outbox's analyzer left: at start, those of a process that died mid-send
   * (kill -9), so its rows go out at once rather than when their lease ends.
   */
  releaseClaims(): Promise<void>;
  /** Saves what the delivery loop decided for one row, and releases its claim. */
  record(entry: OutboxEntry): Promise<void>;
  list(status: OutboxStatus, limit?: number): Promise<OutboxEntry[]>;
  count(status: OutboxStatus): Promise<number>;
  /**
   * Puts a dead letter back in line, as if just queued (its retry window starts again); false when no
   * dead letter has that id.
   */
  retry(id: string, now: number): Promise<boolean>;
  /** Forgets old delivered rows and all but the newest dead letters. */
  prune(now: number): Promise<void>;
}

/** Delivered rows are only history; a week of it is enough to answer "did that page go out?". */
export const DELIVERED_KEPT_MILLIS = 7 * 24 * 3600_000;
/** Dead letters stay until someone looks, but a receiver dead for months must not grow the store forever. */
export const DEAD_LETTERS_KEPT = 1000;
