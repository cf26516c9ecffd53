import type { ParentMessage } from './worker-protocol.js';

/** The job consumers of one worker process, whichever transport feeds them. */
export interface WorkerConsumers {
  /** Resolves once every consumer is connected and taking jobs. */
  ready: Promise<void>;
  /** Stops taking new jobs while the process (and its heartbeats) lives on: the stuck-worker fault. */
  stopConsuming(): void;
  /** Messages from the parent that belong to the transport (local jobs, queue counts). */
  receive(message: ParentMessage): void;
  close(): Promise<void>;
}
