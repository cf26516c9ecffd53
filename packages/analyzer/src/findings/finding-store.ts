import type { AlertEvent } from './alert-event.js';
import type { Finding, FindingFilter, FindingTransition } from './finding.js';

/** One alert event and the channels it goes to, written to the outbox in the transaction of a save. */
export interface QueuedAlert {
  event: AlertEvent;
  channels: readonly string[];
  /** Unix ms the rows are queued at. */
  at: number;
}

export interface SaveOptions {
  /**
   * The alerts the transitions the save recorded raise: written to the alert outbox of the same database
   * in the same transaction, so a crash right after the save cannot lose them.
   */
  alertsFor?: (recorded: readonly FindingTransition[]) => QueuedAlert[];
}

/**
 * Where findings and their transitions live: `SqliteFindingStore` by default, `PostgresFindingStore` for
 * several analyzers on one database. Every operation is asynchronous because the database may be remote.
 */
export interface FindingStore {
  /**
   * Writes findings and their transitions atomically; resolves once durable, with the transitions it
   * recorded. A transition to the status (or, for an open → open raise, the severity) already stored is
   * dropped: another analyzer saw the same fault first and recorded it, and each transition alerts once.
   * A person's action (a transition with `event`) is always recorded.
   */
  save(
    findings: Finding[],
    transitions: FindingTransition[],
    options?: SaveOptions,
  ): Promise<FindingTransition[]>;
  get(id: string): Promise<Finding | undefined>;
  /** Newest first (by lastSeen). */
  list(filter?: FindingFilter): Promise<Finding[]>;
  /**
   * The open findings; with `owner`, only those whose latest status change that owner recorded (the
   * store's `owner` option names who saves through it).
   */
  open(filter?: { owner?: string }): Promise<Finding[]>;
  transitions(findingId: string): Promise<FindingTransition[]>;
  /** Deletes findings resolved before `resolvedBefore` (Unix ms) with their transitions; resolves with how many. */
  prune(resolvedBefore: number): Promise<number>;
  close(): Promise<void>;
}
