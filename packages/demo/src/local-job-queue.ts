import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MILLIS,
  type DemoJobSpec,
  type JobProducer,
} from './job-producer.js';
import type { LocalJob, ParentMessage, WorkerMessage } from './worker-protocol.js';

interface QueueState {
  ready: LocalJob[];
  delayed: number;
  active: Map<string, { job: LocalJob; workerId: string }>;
  completed: number;
  failed: number;
  /** One entry per free slot a worker announced, oldest first. */
  pulls: string[];
  consumers: Set<string>;
}

/**
 * The queue the demo runs without Redis: jobs live in the parent, workers pull them over IPC one free
 * slot at a time, and the parent retries failed attempts after their backoff. Pulling per slot gives a
 * high-concurrency worker a larger share, as a real broker would.
 */
export class LocalJobQueue implements JobProducer {
  readonly kind = 'local';
  private readonly queues = new Map<string, QueueState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly statsTimer: NodeJS.Timeout;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly send: (workerId: string, message: ParentMessage) => void,
    /** How often consumers get the queue's counts for their depth metrics. Default 1000. */
    statsEveryMillis = 1000,
  ) {
    this.statsTimer = setInterval(() => this.broadcastStats(), statsEveryMillis);
    this.statsTimer.unref();
  }

  async add(queue: string, spec: DemoJobSpec): Promise<void> {
    const now = Date.now();
    this.enqueue({
      id: String(this.nextId++),
      queue,
      name: spec.name,
      data: spec.data ?? {},
      attempt: 1,
      maxAttempts: spec.attempts ?? DEFAULT_ATTEMPTS,
      backoffMillis: spec.backoffMillis ?? DEFAULT_BACKOFF_MILLIS,
      readyAtMs: now,
      fetchedAtMs: now,
    });
  }

  async waitingCount(queue: string): Promise<number> {
    return this.state(queue).ready.length;
  }

  /** Pulls and results from a worker. */
  handle(workerId: string, message: WorkerMessage): void {
    if (this.closed) return;
    if (message.type === 'pull') {
      const state = this.state(message.queue);
      state.consumers.add(workerId);
      state.pulls.push(workerId);
      this.dispatch(message.queue);
    } else if (message.type === 'result') {
      this.settle(message.queue, message.jobId, message.ok);
    }
  }

  /** A worker that exited: its free slots go, its running jobs are lost (as a crash loses them). */
  forgetWorker(workerId: string): void {
    for (const state of this.queues.values()) {
      state.pulls = state.pulls.filter((id) => id !== workerId);
      state.consumers.delete(workerId);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.statsTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.queues.clear();
  }

  private enqueue(job: LocalJob): void {
    this.state(job.queue).ready.push(job);
    this.dispatch(job.queue);
  }

  private dispatch(queue: string): void {
    const state = this.state(queue);
    while (state.ready.length > 0 && state.pulls.length > 0) {
      const job = state.ready.shift()!;
      const workerId = state.pulls.shift()!;
      const handed = { ...job, fetchedAtMs: Date.now() };
      state.active.set(job.id, { job: handed, workerId });
      this.send(workerId, { type: 'job', job: handed });
    }
  }

  private settle(queue: string, jobId: string, ok: boolean): void {
    const state = this.state(queue);
    const running = state.active.get(jobId);
    if (!running) return;
    state.active.delete(jobId);
    if (ok) {
      state.completed++;
      return;
    }
    const { job } = running;
    if (job.attempt >= job.maxAttempts) {
      state.failed++;
      return;
    }
    state.delayed++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      state.delayed--;
      this.enqueue({ ...job, attempt: job.attempt + 1, readyAtMs: Date.now() });
    }, job.backoffMillis);
    timer.unref();
    this.timers.add(timer);
  }

  private broadcastStats(): void {
    const now = Date.now();
    for (const [queue, state] of this.queues) {
      const oldest = state.ready[0];
      const message: ParentMessage = {
        type: 'queue-stats',
        queue,
        counts: {
          waiting: state.ready.length,
          active: state.active.size,
          delayed: state.delayed,
          completed: state.completed,
          failed: state.failed,
        },
        oldestReadyAgeSeconds: oldest ? Math.max(0, (now - oldest.readyAtMs) / 1000) : 0,
      };
      for (const workerId of state.consumers) this.send(workerId, message);
    }
  }

  private state(queue: string): QueueState {
    let state = this.queues.get(queue);
    if (!state) {
      state = {
        ready: [],
        delayed: 0,
        active: new Map(),
        completed: 0,
        failed: 0,
        pulls: [],
        consumers: new Set(),
      };
      this.queues.set(queue, state);
    }
    return state;
  }
}
