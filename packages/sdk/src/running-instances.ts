import type { Joblens } from './interfaces.js';

interface RunningInstances {
  /** By `service.instance.id`; an entry leaves when its instance shuts down, so it stays small. */
  byInstanceId: Map<string, Joblens>;
  warned: boolean;
}

/**
 * Process-wide, on globalThis under a registered symbol: a program that loads the SDK twice (a bundled
 * copy and a dependency's, or built and source builds) still has one worker identity to protect.
 */
const KEY = Symbol.for('joblens.sdk.running-instances');

function registry(): RunningInstances {
  const holder = globalThis as { [KEY]?: RunningInstances };
  holder[KEY] ??= { byInstanceId: new Map(), warned: false };
  return holder[KEY];
}

/**
 * The instance already running under this worker identity, if any. Two would export under one
 * `service.instance.id`, and the analyzer would see one worker doing everything twice; asking again is
 * almost always a second import path calling `startJoblens`, so the caller gets the running one, with a
 * warning the first time. Instances with distinct `serviceInstanceId`s may run side by side.
 */
export function runningInstance(serviceInstanceId: string): Joblens | undefined {
  const state = registry();
  const running = state.byInstanceId.get(serviceInstanceId);
  if (running !== undefined && !state.warned) {
    state.warned = true;
    process.emitWarning(
      `startJoblens was called again while an instance with service.instance.id ${serviceInstanceId} ` +
        'is running; returning the running instance (its options stay as they were). Shut it down ' +
        'first, or give each instance its own serviceInstanceId.',
      { code: 'JOBLENS_ALREADY_STARTED' },
    );
  }
  return running;
}

export function registerRunning(joblens: Joblens): () => void {
  const { byInstanceId } = registry();
  byInstanceId.set(joblens.serviceInstanceId, joblens);
  return () => {
    if (byInstanceId.get(joblens.serviceInstanceId) === joblens)
      byInstanceId.delete(joblens.serviceInstanceId);
  };
}
