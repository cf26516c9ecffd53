type Stoppable = { shutdown(reason: 'exit'): Promise<void> };

const instances = new Set<Stoppable>();
let listening = false;

function onBeforeExit(): void {
  // Shutting down schedules the final exports, which keeps the process alive until they are done; each
  // instance leaves the set as it shuts down, so the next `beforeExit` finds nothing and Node exits.
  const stopping = [...instances];
  instances.clear();
  process.removeListener('beforeExit', onBeforeExit);
  listening = false;
  for (const instance of stopping) void instance.shutdown('exit');
}

/**
 * Shuts the instance down (announcing the stop and flushing) when the process runs out of work and is
 * about to end by itself: a cron script that never calls `shutdown()`. One process-wide listener serves
 * every instance. `process.exit()` and fatal signals skip `beforeExit`; those need `shutdown()` first.
 */
export function stopBeforeExit(instance: Stoppable): () => void {
  instances.add(instance);
  if (!listening) {
    process.on('beforeExit', onBeforeExit);
    listening = true;
  }
  return () => {
    instances.delete(instance);
    if (instances.size > 0 || !listening) return;
    process.removeListener('beforeExit', onBeforeExit);
    listening = false;
  };
}
