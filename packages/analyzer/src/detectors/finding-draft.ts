import type { FindingType } from '@joblens/semconv';

/**
 * What a detector returns: the problem it sees now, before the runner gives it an id and a lifecycle
 * (`findings/finding.ts`). Kept beside the detectors so they depend on nothing above them.
 */

export type Severity = 'info' | 'warning' | 'critical';

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
