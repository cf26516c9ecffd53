import type { FindingDraft } from '../detectors/finding-draft.js';

export type FindingStatus = 'open' | 'resolved';

export interface Finding extends FindingDraft {
  /** Stable: derived from type, key and the time the finding first opened. */
  id: string;
  status: FindingStatus;
  firstSeen: number;
  lastSeen: number;
  resolvedAt?: number;
  /** Who acknowledged the finding (`POST /api/findings/:id/acknowledge`, `joblens ack`); no reminders after. */
  acknowledgedBy?: string;
  /** Unix ms of the acknowledgement. */
  acknowledgedAt?: number;
  /** Unix ms until which the finding sends no reminder and no raised alert; the snooze ends by itself. */
  snoozedUntil?: number;
  /** Unix ms of the last reminder; the next is due `alerts.reminderHours` after it (or after `firstSeen`). */
  remindedAt?: number;
}

/** What a person did to a finding, recorded as a transition that keeps its status. */
export type LifecycleEvent = 'acknowledged' | 'snoozed';

export interface FindingTransition {
  findingId: string;
  /** Unix ms. */
  at: number;
  from: FindingStatus | null;
  to: FindingStatus;
  summary: string;
  /** Set for a person's action (`from` and `to` are then both the status it kept). */
  event?: LifecycleEvent;
  /** Who acted, for `event`. */
  actor?: string;
}

export interface FindingFilter {
  type?: string;
  status?: FindingStatus;
  service?: string;
  queue?: string;
  worker?: string;
  limit?: number;
}
