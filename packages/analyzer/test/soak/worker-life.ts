import type { ResourceRecord } from '@joblens/otlp-receiver';
import { makeHeartbeatPoint, makeResource, makeWorkerStoppedLog } from '@joblens/test-utils';
import type { SeededRandom, Timeline } from './timeline.js';

/** How a worker process ends: announced (shutdown, SIGTERM), killed without a word, or still running. */
export type Ending = 'stops' | 'killed' | 'runs-on';

/** One worker process, from start to end. */
export interface WorkerLife {
  resource: ResourceRecord;
  startMs: number;
  endMs: number;
  ending: Ending;
}

export function workerLife(
  service: string,
  worker: string,
  host: string,
  startMs: number,
  endMs: number,
  ending: Ending,
): WorkerLife {
  return { resource: makeResource({ service, worker, host }), startMs, endMs, ending };
}

/** Whether the worker may begin something lasting `durationMs` at `atMs` and still end it before it stops. */
export function canRun(life: WorkerLife, atMs: number, durationMs: number): boolean {
  return atMs >= life.startMs && atMs + durationMs + 1_000 <= life.endMs;
}

/**
 * Its heartbeats every export interval (10 s, with the jitter of a real timer) while it lives; a stop
 * sends the `worker stopped` record and then the final flush's last heartbeat.
 */
export function sendHeartbeats(
  timeline: Timeline,
  life: WorkerLife,
  random: SeededRandom,
  options: { everyMs?: number; silentFromMs?: number } = {},
): void {
  const everyMs = options.everyMs ?? 10_000;
  const until = Math.min(life.endMs, options.silentFromMs ?? Number.POSITIVE_INFINITY);
  let count = 0;
  for (
    let t = life.startMs + random.between(0, everyMs);
    t < until;
    t += everyMs + random.between(-200, 200)
  ) {
    count += 1;
    timeline.points(t + random.between(20, 300), [
      makeHeartbeatPoint({ resource: life.resource, timeMs: t, count }),
    ]);
  }
  if (life.ending !== 'stops') return;
  timeline.logs(life.endMs + 30, [makeWorkerStoppedLog({ resource: life.resource, timeMs: life.endMs })]);
  timeline.points(life.endMs + 60, [
    makeHeartbeatPoint({ resource: life.resource, timeMs: life.endMs + 20, count: count + 1 }),
  ]);
}
