import type { Attributes } from '@joblens/otlp-receiver';
import type { Finding } from './finding.js';
import type { FindingStore } from './finding-store.js';
import type { TimelineData } from './timeline-data.js';

/** The longest-running job a worker holds. */
export interface OldestActiveJob {
  jobId: string;
  jobName: string;
  queue: string;
  ageSeconds: number;
  traceId?: string;
  currentStep?: string;
}

/** A worker as the workers view and `explain` show it. */
export interface WorkerRow {
  worker: string;
  service: string;
  host: string;
  pid?: number;
  lastHeartbeatMs?: number;
  /** When the worker announced a deliberate stop; undefined while it runs. */
  stoppedMs?: number;
  activeJobs: number;
  /** Share of its queues' attempts in the analyzer's window, 0..1. */
  shareOfWork?: number;
  completedInWindow?: number;
  oldestActiveJob?: OldestActiveJob;
}

export interface MonitorRow {
  slug: string;
  state: string;
  schedule: string;
  lastCheckInMs?: number;
  nextDeadlineMs?: number;
  history: Array<{ at: number; from: string | null; to: string; reason?: string }>;
}

/** The raw material `explain` adds to a finding: the attempt's attributes, snapshot and dump. */
interface AttemptDetail {
  attributes: Attributes;
  resource?: Attributes;
  snapshot?: Attributes;
  dump?: Attributes;
}

/**
 * What the page and `explain` read. The analyzer's composition builds it from the store, the job model
 * and the monitors; tests build it from real stores and models.
 */
export interface FindingSources {
  store: FindingStore;
  now(): number;
  workers(): WorkerRow[];
  monitors(): MonitorRow[];
  timelineFor(finding: Finding): TimelineData | undefined;
  attemptDetail(finding: Finding): AttemptDetail | undefined;
  /** Base URL of Jaeger's UI, for trace links; none when unset. */
  jaegerUrl?: string;
}
