/**
 * What the job timeline draws: one lane per attempt (retries stacked), its steps and events on a shared
 * time axis, the silent gaps and an unfinished hang marked. Built from the job model by the page's sources.
 */
interface TimelineStep {
  name: string;
  startMs: number;
  /** Undefined while the step is still open. */
  endMs?: number;
  failed?: boolean;
  /** Nesting depth under the attempt (0 = direct child). */
  depth?: number;
}

interface TimelineMark {
  name: string;
  timeMs: number;
}

interface TimelineGap {
  startMs: number;
  endMs: number;
  /** What came before and after the gap (step names, `start`, `end`). */
  after?: string;
  before?: string;
}

export interface TimelineAttempt {
  attempt: number;
  traceId: string;
  spanId: string;
  worker?: string;
  host?: string;
  startMs: number;
  /** Undefined while the attempt runs. */
  endMs?: number;
  outcome?: string;
  errorType?: string;
  errorMessage?: string;
  steps: TimelineStep[];
  events: TimelineMark[];
  gaps: TimelineGap[];
  /** For a live attempt: silent since when, and in which step. */
  hang?: { sinceMs: number; step?: string };
}

export interface TimelineData {
  title: string;
  attempts: TimelineAttempt[];
}
