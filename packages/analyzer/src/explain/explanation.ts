import type { FindingEvidence, FindingSubject } from '../detectors/finding-draft.js';
import type { Finding } from '../findings/finding.js';
import type { WorkerRow } from '../findings/finding-sources.js';

/** A compact, self-contained account of one finding, for a ticket or an LLM. Everything in it is redacted. */
export interface Explanation {
  finding: Pick<
    Finding,
    | 'id'
    | 'type'
    | 'severity'
    | 'status'
    | 'summary'
    | 'nextStep'
    | 'firstSeen'
    | 'lastSeen'
    | 'resolvedAt'
    | 'acknowledgedBy'
    | 'acknowledgedAt'
    | 'snoozedUntil'
  > & {
    subject: FindingSubject;
  };
  /** What happened, in time order. */
  story: Array<{ at: number; what: string }>;
  attempts: ExplainedAttempt[];
  evidence: FindingEvidence;
  attributes: Record<string, unknown>;
  resource?: Record<string, unknown>;
  snapshot?: Record<string, unknown>;
  dump?: Record<string, unknown>;
  worker?: WorkerRow;
  similar: Array<{ id: string; type: string; status: string; summary: string; lastSeen: number }>;
  /** True when lists or texts were cut to keep the account bounded. */
  truncated: boolean;
}

export interface ExplainedAttempt {
  attempt: number;
  worker?: string;
  host?: string;
  startedAt: number;
  durationSeconds?: number;
  outcome: string;
  errorType?: string;
  errorMessage?: string;
  steps: Array<{ name: string; offsetSeconds: number; durationSeconds?: number; failed?: boolean }>;
  gaps: Array<{ offsetSeconds: number; durationSeconds: number; between: string }>;
}
