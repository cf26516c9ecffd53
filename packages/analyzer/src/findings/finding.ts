import type { FindingType } from '@joblens/semconv';

export type Severity = 'info' | 'warning' | 'critical';
export type FindingStatus = 'open' | 'resolved';

/** Who or what a finding is about; each detector fills the fields that apply. */
export interface FindingSubject {
  service?: string;
  queue?: string;
  jobName?: string;
  /** `service.instance.id` of the worker. */
  worker?: string;
  host?: string;
  /** `process.pid` of the worker, for `joblens dump <pid>` on `host`; set on every finding about a worker. */
  pid?: number;
  jobId?: string;
  /** Heartbeat monitor slug, for missed_heartbeat and runaway_job. */
  monitor?: string;
}

/** A trace (and optionally a span) to open in Jaeger, with what it shows. */
export interface TraceReference {
  traceId: string;
  spanId?: string;
  label: string;
}

export interface FindingEvidence {
  /** The numbers behind the finding, with units in the key names (`gapSeconds`, `share`, `attempts`). */
  figures: Record<string, number | string | boolean>;
  traces: TraceReference[];
  /** Optional: detector-specific structured detail (steps around a gap, per-worker shares, ...). */
  detail?: Record<string, unknown>;
}

/**
 * What a detector returns while a problem holds. The same `key` on later evaluations means the same
 * ongoing problem: one finding, updated; a key no detector returns any more resolves its finding.
 */
export interface FindingDraft {
  type: FindingType;
  /** Identity of the problem within its type, e.g. `svc|queue|jobName|fetch->upload`. */
  key: string;
  severity: Severity;
  subject: FindingSubject;
  /** One line, for people. */
  summary: string;
  /** One line: what to look at or do next. */
  nextStep: string;
  evidence: FindingEvidence;
  /** Unix ms when the problem began, as far as the telemetry tells (gap start, deadline instant). */
  since: number;
}

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
