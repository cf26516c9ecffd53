import type { FindingType } from '@joblens/semconv';
import type { Severity } from '../detectors/finding-draft.js';
import type { Finding, FindingStatus, FindingTransition, LifecycleEvent } from '../findings/finding.js';

/** A `findings` row as SQLite and PostgreSQL return it. */
export interface FindingRow {
  id: string;
  type: string;
  key: string;
  status: string;
  severity: string;
  service: string | null;
  queue: string | null;
  worker: string | null;
  subject: string;
  summary: string;
  next_step: string;
  evidence: string;
  since: number;
  first_seen: number;
  last_seen: number;
  resolved_at: number | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  snoozed_until: number | null;
  reminded_at: number | null;
  /** Set by the store on save (see `FindingStore.open`); not part of a `Finding`. */
  owner?: string | null;
}

export interface TransitionRow {
  finding_id: string;
  at: number;
  from_status: string | null;
  to_status: string;
  summary: string;
  event: string | null;
  actor: string | null;
}

export function toFindingRow(finding: Finding): FindingRow {
  return {
    id: finding.id,
    type: finding.type,
    key: finding.key,
    status: finding.status,
    severity: finding.severity,
    service: finding.subject.service ?? null,
    queue: finding.subject.queue ?? null,
    worker: finding.subject.worker ?? null,
    subject: JSON.stringify(finding.subject),
    summary: finding.summary,
    next_step: finding.nextStep,
    evidence: JSON.stringify(finding.evidence),
    since: finding.since,
    first_seen: finding.firstSeen,
    last_seen: finding.lastSeen,
    resolved_at: finding.resolvedAt ?? null,
    acknowledged_by: finding.acknowledgedBy ?? null,
    acknowledged_at: finding.acknowledgedAt ?? null,
    snoozed_until: finding.snoozedUntil ?? null,
    reminded_at: finding.remindedAt ?? null,
  };
}

export function fromFindingRow(row: FindingRow): Finding {
  const finding: Finding = {
    id: row.id,
    type: row.type as FindingType,
    key: row.key,
    status: row.status as FindingStatus,
    severity: row.severity as Severity,
    subject: JSON.parse(row.subject),
    summary: row.summary,
    nextStep: row.next_step,
    evidence: JSON.parse(row.evidence),
    since: row.since,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
  if (row.resolved_at !== null) finding.resolvedAt = row.resolved_at;
  if (row.acknowledged_by !== null) finding.acknowledgedBy = row.acknowledged_by;
  if (row.acknowledged_at !== null) finding.acknowledgedAt = row.acknowledged_at;
  if (row.snoozed_until !== null) finding.snoozedUntil = row.snoozed_until;
  if (row.reminded_at !== null) finding.remindedAt = row.reminded_at;
  return finding;
}

export function fromTransitionRow(row: TransitionRow): FindingTransition {
  const transition: FindingTransition = {
    findingId: row.finding_id,
    at: row.at,
    from: row.from_status as FindingStatus | null,
    to: row.to_status as FindingStatus,
    summary: row.summary,
  };
  if (row.event !== null) transition.event = row.event as LifecycleEvent;
  if (row.actor !== null) transition.actor = row.actor;
  return transition;
}
