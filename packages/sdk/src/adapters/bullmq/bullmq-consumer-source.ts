import { type ConsumerState, MESSAGING_SYSTEM_BULLMQ } from '@joblens/semconv';
import type { Worker } from 'bullmq';
import type { ConsumerSample, ConsumerSource } from '../../interfaces.js';

/** ioredis's status of a BullMQ connection; the field is not part of BullMQ's typed API (see below). */
type ConnectionHolder = { _client?: { status?: unknown } };

/**
 * BullMQ exposes its Redis clients only as promises that settle once connected, and never while the
 * connection is down, which is when its status matters. So the status is read from the client each
 * connection holds (`_client`, an ioredis instance since BullMQ 1), and reported as unknown if absent.
 */
function statusOf(connection: unknown): string | undefined {
  const status = (connection as ConnectionHolder | undefined)?._client?.status;
  return typeof status === 'string' ? status : undefined;
}

/** The fetching (blocking) connection first: a worker whose commands work but whose fetches hang is stuck. */
function connectionOf(worker: Worker): string {
  const internals = worker as unknown as { blockingConnection?: unknown; connection?: unknown };
  const blocking = statusOf(internals.blockingConnection);
  const main = statusOf(internals.connection);
  if (blocking !== undefined && blocking !== 'ready') return blocking;
  return main ?? blocking ?? 'unknown';
}

function stateOf(worker: Worker): ConsumerState {
  if (worker.closing) return worker.isRunning() ? 'closing' : 'closed';
  if (worker.isPaused()) return 'paused';
  return worker.isRunning() ? 'running' : 'closed';
}

/**
 * What a BullMQ worker is doing, for `joblens.watchConsumer`: its state, its connection's status and
 * its last fetch, which is when it last took a job (`active`) or found the queue empty (`drained`).
 * `stop` removes the listeners.
 */
export function createBullmqConsumerSource(worker: Worker): { source: ConsumerSource; stop(): void } {
  let lastFetchAtMs: number | undefined;
  const fetched = () => {
    lastFetchAtMs = Date.now();
  };
  worker.on('active', fetched);
  worker.on('drained', fetched);
  const source: ConsumerSource = {
    queue: worker.name,
    system: MESSAGING_SYSTEM_BULLMQ,
    sample: (): ConsumerSample => ({
      state: stateOf(worker),
      connection: connectionOf(worker),
      lastFetchAtMs,
    }),
  };
  return {
    source,
    stop: () => {
      worker.off('active', fetched);
      worker.off('drained', fetched);
    },
  };
}
