import { WORKER_CONFIG_ENV, type WorkerConfig } from './worker-protocol.js';

/** The worker's config from its environment; a missing or broken one is a bug in the parent, said plainly. */
export function readWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const text = env[WORKER_CONFIG_ENV];
  if (!text) throw new Error(`${WORKER_CONFIG_ENV} is not set: start demo workers through joblens demo`);
  try {
    return JSON.parse(text) as WorkerConfig;
  } catch (cause) {
    throw new Error(`${WORKER_CONFIG_ENV} is not valid JSON`, { cause });
  }
}
