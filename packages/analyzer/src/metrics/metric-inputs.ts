import type { Finding } from '../findings/finding.js';

/** One worker as /metrics shows it; built from the model view on each evaluation. */
export interface WorkerMetricsRow {
  service: string;
  worker: string;
  host: string;
  /** Seconds since the last heartbeat; undefined when none was seen yet. */
  heartbeatAgeSeconds?: number;
  activeJobs: number;
  /** Unix ms of the worker's announced stop; undefined while it runs. */
  stoppedMs?: number;
  /** Share 0..1 of each queue's attempts in the imbalance window, by queue. */
  shareByQueue: Record<string, number>;
}

/** One queue's latest adapter readings. */
export interface QueueMetricsRow {
  service: string;
  queue: string;
  depthByState: Record<string, number>;
  oldestReadyAgeSeconds?: number;
}

/** One finished attempt, counted once when the model first sees it end. */
export interface FinishedAttemptRow {
  service: string;
  queue: string;
  jobName: string;
  outcome: string;
  /** 1-based. */
  attempt: number;
  durationSeconds: number;
  /** Longest silent interval of the attempt, when the model computed it. */
  longestGapSeconds?: number;
}

/** Per-signal totals of the OTLP receiver since start. */
export type ReceiverTotals = Record<
  'traces' | 'metrics' | 'logs',
  { receivedItems: number; rejectedItems: number; decodeErrors: number }
>;

/** Per-detector results of one evaluation. */
export interface DetectorRunStats {
  detector: string;
  seconds: number;
  failed: boolean;
}

export type OpenFindings = readonly Pick<Finding, 'type' | 'severity' | 'subject'>[];
