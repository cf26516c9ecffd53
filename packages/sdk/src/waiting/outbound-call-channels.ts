import diagnosticsChannel from 'node:diagnostics_channel';
import { AttemptHandle } from '../attempt/attempt-handle.js';
import { attemptStorage } from '../attempt/attempt-storage.js';
import type { ResolvedOptions } from '../options.js';
import {
  describeNodeRequest,
  describeUndiciRequest,
  describeUrl,
  type NodeClientRequest,
  type UndiciRequest,
} from './describe-request.js';
import { type OutboundOperation, OutboundOperations } from './outbound-operations.js';

type Listener = (message: unknown, name: string | symbol) => void;

/** The attempt whose async context the caller runs in, if it belongs to this SDK. */
export function runningAttempt(): AttemptHandle | undefined {
  const job = attemptStorage.getStore()?.job;
  return job instanceof AttemptHandle ? job : undefined;
}

const ownExportCalls = new WeakMap<ResolvedOptions, ReadonlySet<string>>();

/**
 * The SDK's own OTLP exports, described as calls. An export can start in a job's async context (the
 * batch processor arms its timer when a step span inside the job ends), but it is never what the job
 * waits on: a slow collector must not be blamed on the job.
 */
function isOwnExport(job: AttemptHandle, description: string): boolean {
  const options = job.runtime.options;
  let calls = ownExportCalls.get(options);
  if (calls === undefined) {
    const described = new Set<string>();
    for (const signal of [options.traces, options.metrics, options.logs]) {
      const call = describeUrl('POST', signal.url);
      if (call !== undefined) described.add(call);
    }
    calls = described;
    ownExportCalls.set(options, calls);
  }
  return calls.has(description);
}

export type OpenCall = { calls: OutboundOperations; call: OutboundOperation };

/** Starts tracking a call on the attempt; undefined for the SDK's own exports. */
export function openCall(job: AttemptHandle, description: string): OpenCall | undefined {
  if (isOwnExport(job, description)) return undefined;
  job.outbound ??= new OutboundOperations();
  return { calls: job.outbound, call: job.outbound.open(description, Date.now()) };
}

type EventedRequest = NodeClientRequest & { once?(event: 'close', listener: () => void): unknown };

/**
 * `node:http` and `https` publish the request as it starts. Its `close` event comes once the response
 * has been read to its end, or the request failed or was destroyed: a response whose body never ends
 * (a stalled stream) keeps the call open, which is what the job is waiting on.
 */
const onNodeRequestStart: Listener = (message) => {
  try {
    const job = runningAttempt();
    if (!job) return;
    const request = (message as { request?: EventedRequest }).request;
    if (!request || typeof request.once !== 'function') return;
    const description = describeNodeRequest(request);
    if (!description) return;
    const opened = openCall(job, description);
    if (!opened) return;
    // `close` only, never `error`: a listener for `error` would swallow the caller's unhandled errors.
    request.once('close', () => opened.calls.close(opened.call));
  } catch {
    // A subscriber's exception would surface as an uncaught exception in the job's process.
  }
};

/** undici's requests (and so `fetch`'s) carry no events of their own: their end comes on other channels. */
const openUndiciCalls = new WeakMap<object, OpenCall>();

const onUndiciCreate: Listener = (message) => {
  try {
    const job = runningAttempt();
    if (!job) return;
    const request = (message as { request?: UndiciRequest }).request;
    if (!request || typeof request !== 'object') return;
    const description = describeUndiciRequest(request);
    const opened = description ? openCall(job, description) : undefined;
    if (opened) openUndiciCalls.set(request, opened);
  } catch {
    // As above: never into the job.
  }
};

/** `trailers` comes after the last byte of the body, `error` on failure or abort. */
const onUndiciEnd: Listener = (message) => {
  try {
    const request = (message as { request?: object }).request;
    if (!request) return;
    const entry = openUndiciCalls.get(request);
    if (!entry) return;
    openUndiciCalls.delete(request);
    entry.calls.close(entry.call);
  } catch {
    // As above.
  }
};

const SUBSCRIPTIONS: readonly [string, Listener][] = [
  ['http.client.request.start', onNodeRequestStart],
  ['undici:request:create', onUndiciCreate],
  ['undici:request:trailers', onUndiciEnd],
  ['undici:request:error', onUndiciEnd],
];

let subscribers = 0;

/**
 * Follows outbound HTTP calls (`node:http`, `https`, undici and Node's `fetch`, which uses undici)
 * through `node:diagnostics_channel`, and keeps each one started inside an attempt on that attempt
 * until it finishes. Channels are process-wide, so SDK instances share one subscription; the returned
 * function ends this caller's share.
 */
export function followOutboundCalls(): () => void {
  if (subscribers === 0) {
    for (const [name, listener] of SUBSCRIPTIONS) diagnosticsChannel.subscribe(name, listener);
  }
  subscribers += 1;
  let followed = true;
  return () => {
    if (!followed) return;
    followed = false;
    subscribers -= 1;
    if (subscribers === 0) {
      for (const [name, listener] of SUBSCRIPTIONS) diagnosticsChannel.unsubscribe(name, listener);
    }
  };
}
