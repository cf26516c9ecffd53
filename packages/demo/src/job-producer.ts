/** A job the demo's traffic and faults enqueue. */
export interface DemoJobSpec {
  name: string;
  data?: Record<string, unknown>;
  /** Attempts in all, the first included. Default 3. */
  attempts?: number;
  /** Fixed delay before each retry. Default 1000. */
  backoffMillis?: number;
}

/** Where the parent puts jobs: BullMQ on Redis, or its own local queue handed to workers over IPC. */
export interface JobProducer {
  readonly kind: 'bullmq' | 'local';
  add(queue: string, job: DemoJobSpec): Promise<void>;
  /** Jobs ready to run and not taken yet. */
  waitingCount(queue: string): Promise<number>;
  /** Removes everything the demo enqueued and closes connections. */
  close(): Promise<void>;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MILLIS = 1000;
