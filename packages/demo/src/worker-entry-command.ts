import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How to start one simulated host: the script and the Node flags it needs. */
export interface WorkerEntryCommand {
  script: string;
  execArgv: string[];
}

/**
 * Built, the demo runs its workers as plain JavaScript. From the sources (the repository's tests),
 * it runs them through tsx, which the repository has as a dev dependency; its loader is resolved
 * from here, so the current directory does not matter.
 */
export function workerEntryCommand(): WorkerEntryCommand {
  const built = fileURLToPath(new URL('./worker-entry.js', import.meta.url));
  if (existsSync(built)) return { script: built, execArgv: [] };
  return {
    script: fileURLToPath(new URL('./worker-entry.ts', import.meta.url)),
    execArgv: ['--import', import.meta.resolve('tsx')],
  };
}
