import type { QueueStats, QueueStatsSource } from '@joblens/sdk';

export type QueuedJob = {
  jobId: string;
  jobName: string;
  attempt: number;
  maxAttempts: number;
  readyAtMs: number;
  /** W3C trace context of the job's first attempt: every retry joins that trace. */
  carrier?: Record<string, string>;
  previousAttempt?: { traceId: string; spanId: string };
};

/** An in-process queue with delayed (backoff) jobs, enough for a demo worker to have a depth to report. */
export class LocalQueue implements QueueStatsSource {
  readonly system = 'joblens';
  private readonly jobs: QueuedJob[] = [];
  private running = 0;

  constructor(readonly queue: string) {}

  add(job: QueuedJob): void {
    this.jobs.push(job);
  }

  /** The ready job that has waited longest, now marked running; undefined when none is ready. */
  take(nowMs: number): QueuedJob | undefined {
    let best = -1;
    for (let i = 0; i < this.jobs.length; i++) {
      const job = this.jobs[i];
      if (job.readyAtMs <= nowMs && (best < 0 || job.readyAtMs < this.jobs[best].readyAtMs)) best = i;
    }
    if (best < 0) return undefined;
    this.running++;
    return this.jobs.splice(best, 1)[0];
  }

  done(): void {
    this.running--;
  }

  async sample(): Promise<QueueStats> {
    const now = Date.now();
    const ready = this.jobs.filter((job) => job.readyAtMs <= now);
    const oldest = ready.reduce((min, job) => Math.min(min, job.readyAtMs), now);
    return {
      counts: { waiting: ready.length, delayed: this.jobs.length - ready.length, active: this.running },
      oldestReadyAgeSeconds: (now - oldest) / 1000,
    };
  }
}
