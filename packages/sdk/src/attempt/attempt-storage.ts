import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Span } from '@opentelemetry/api';
import type { JobContext } from '../interfaces.js';

/** The attempt a piece of code runs in, and its innermost open step span. */
export type AttemptScope = { readonly job: JobContext; readonly span: Span; readonly context: Context };

/** Carries the running attempt through async calls, so deep code can mark steps without plumbing. */
export const attemptStorage = new AsyncLocalStorage<AttemptScope>();

/** The attempt the caller runs in, or undefined outside any attempt. */
export function currentAttempt(): JobContext | undefined {
  return attemptStorage.getStore()?.job;
}

/** Runs `fn` as a step of the current attempt; outside an attempt it just runs `fn`. */
export async function step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const job = attemptStorage.getStore()?.job;
  return job ? job.step(name, fn) : fn();
}

/** Records a checkpoint on the current attempt; outside an attempt it does nothing. */
export function checkpoint(name: string, data?: unknown): void {
  attemptStorage.getStore()?.job.checkpoint(name, data);
}
