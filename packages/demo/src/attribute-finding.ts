import type { FaultSpec, FaultSubject } from './scenario.js';

/** The part of an analyzer finding the demo reads (the shape of packages/analyzer's `Finding`). */
export interface ObservedFinding {
  id: string;
  type: string;
  status: string;
  severity: string;
  summary: string;
  nextStep: string;
  subject: FaultSubject & { service?: string; host?: string; jobId?: string; pid?: number };
  evidence: {
    figures: Record<string, unknown>;
    traces: { traceId: string; spanId?: string; label: string }[];
  };
  firstSeen: number;
  since?: number;
}

export type Attribution =
  | { kind: 'expected'; fault: FaultSpec }
  | { kind: 'related'; fault: FaultSpec }
  | { kind: 'false' };

const SUBJECT_FIELDS = ['queue', 'jobName', 'worker', 'monitor'] as const;

/**
 * Which injected fault a finding is about: one whose type matches and whose subject agrees with the
 * finding's on every field both name (at least one). Anything else is a false finding: the healthy
 * traffic, or a fault seen as something it is not.
 */
export function attributeFinding(finding: ObservedFinding, faults: readonly FaultSpec[]): Attribution {
  for (const fault of faults) {
    const expected = fault.findingType === finding.type;
    const related = fault.relatedTypes.some((type) => type === finding.type);
    if ((expected || related) && subjectsAgree(fault.subject, finding.subject ?? {})) {
      return { kind: expected ? 'expected' : 'related', fault };
    }
  }
  return { kind: 'false' };
}

function subjectsAgree(fault: FaultSubject, finding: FaultSubject): boolean {
  let shared = 0;
  for (const field of SUBJECT_FIELDS) {
    const want = fault[field];
    const got = finding[field];
    if (want === undefined || got === undefined || got === '') continue;
    if (want !== got) return false;
    shared++;
  }
  // A fault that may land on any of several hosts (whichever takes the job) names them all.
  if (fault.anyOfWorkers !== undefined && finding.worker !== undefined && finding.worker !== '') {
    if (!fault.anyOfWorkers.includes(finding.worker)) return false;
    shared++;
  }
  return shared > 0;
}
