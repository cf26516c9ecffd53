import { constants } from 'node:os';

/** `shutdown(reason)`: the instance's own shutdown, told that a signal caused it. */
type Flushable = { forceFlush(): Promise<void>; shutdown(reason: 'signal'): Promise<void> };

const instances = new Set<Flushable>();
const handlers = new Map<NodeJS.Signals, () => void>();
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  // Other listeners (the worker's own graceful close) decide when the process ends: flush what we
  // have and keep exporting while they close. Without them Node would have exited at once, so shut
  // down (a final flush) and exit as it would have.
  const others = process.listeners(signal).filter((listener) => listener !== handlers.get(signal));
  if (others.length > 0) {
    await Promise.allSettled([...instances].map((instance) => instance.forceFlush()));
    return;
  }
  await Promise.allSettled([...instances].map((instance) => instance.shutdown('signal')));
  process.exit(128 + (constants.signals[signal] ?? 0));
}

/**
 * Shuts the instance down (flushing its telemetry) on SIGTERM and SIGINT. One process-wide listener
 * serves every instance, so several instances do not count each other as "other listeners".
 */
export function flushOnSignals(instance: Flushable): () => void {
  instances.add(instance);
  for (const signal of SIGNALS) {
    if (handlers.has(signal)) continue;
    const handler = () => {
      void onSignal(signal);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    instances.delete(instance);
    if (instances.size > 0) return;
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };
}
