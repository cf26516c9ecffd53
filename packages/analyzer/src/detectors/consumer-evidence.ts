import type { ConsumerView, WorkerView } from '../model/analyzer-view.js';
import { formatSeconds } from './format-seconds.js';

/** Active job ids a finding lists; the count says how many more. */
export const MAX_LISTED_JOB_IDS = 10;

/** What a silent worker's consumer is doing, as a finding shows it. */
export interface ConsumerEvidence {
  figures: Record<string, string | number>;
  /** For the summary: `its consumer is paused`, `its connection is reconnecting`; undefined when all looks normal. */
  note?: string;
  detail: {
    queue: string;
    states: ConsumerView['states'];
    reportedAtMs: number;
    lastFetchMs?: number;
  };
}

/** The worker's consumer of `queue`, else of any queue it reported one for (a gone worker names none). */
function pick(worker: WorkerView, queue: string | undefined): [string, ConsumerView] | undefined {
  const consumers = worker.consumers;
  if (consumers === undefined || consumers.size === 0) return undefined;
  if (queue !== undefined) {
    const consumer = consumers.get(queue);
    return consumer === undefined ? undefined : [queue, consumer];
  }
  return consumers.entries().next().value;
}

/**
 * The worker's consumer state, connection status and last fetch, from what its queue adapter reported
 * (`joblens.consumers`, `joblens.consumer.last_fetch.time`); undefined when it reported nothing.
 */
export function consumerEvidence(
  worker: WorkerView,
  queue: string | undefined,
  now: number,
): ConsumerEvidence | undefined {
  const picked = pick(worker, queue);
  if (picked === undefined) return undefined;
  const [name, consumer] = picked;
  const figures: Record<string, string | number> = {};
  if (consumer.states.length > 0) {
    figures.consumerState = [...new Set(consumer.states.map((s) => s.state))].join(', ');
    figures.connection = [...new Set(consumer.states.map((s) => s.connection))].join(', ');
  }
  if (consumer.lastFetchMs !== undefined)
    figures.lastFetchAgeSeconds = formatSeconds(Math.max(0, now - consumer.lastFetchMs) / 1000);
  const notes: string[] = [];
  const odd = consumer.states.filter((s) => s.state !== 'running');
  if (odd.length > 0) notes.push(`its consumer of ${name} is ${odd.map((s) => s.state).join(', ')}`);
  const offline = consumer.states.filter((s) => s.connection !== 'ready');
  if (offline.length > 0) notes.push(`its connection is ${offline.map((s) => s.connection).join(', ')}`);
  return {
    figures,
    note: notes.length > 0 ? notes.join(' and ') : undefined,
    detail: {
      queue: name,
      states: consumer.states,
      reportedAtMs: consumer.timeMs,
      ...(consumer.lastFetchMs === undefined ? {} : { lastFetchMs: consumer.lastFetchMs }),
    },
  };
}

/** `17, 18 and 3 more`: the ids of the jobs the worker holds, for a figure. */
export function listJobIds(ids: readonly string[], total: number): string {
  const shown = ids.slice(0, MAX_LISTED_JOB_IDS).join(', ');
  return total > ids.length ? `${shown} and ${total - ids.length} more` : shown;
}
