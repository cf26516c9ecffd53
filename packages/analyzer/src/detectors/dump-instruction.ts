import type { AnalyzerView } from '../model/analyzer-view.js';

/**
 * The first words of a next step that looks inside a worker's process: `joblens dump` needs the pid, and
 * must run on the worker's host, so both are named when the telemetry told them (the SDK sends
 * `process.pid`). Without a pid the user can still find the process by its instance id.
 */
export function dumpInstruction(worker: string, host: string | undefined, pid: number | undefined): string {
  const on = host ? ` on host ${host}` : '';
  if (pid !== undefined) return `Run \`npx joblens dump ${pid}\`${on} (worker ${worker})`;
  return `Find the process of worker ${worker}${on} (it sent no process.pid) and run \`npx joblens dump <pid>\``;
}

/** The pid each worker last reported, looked up by worker identity; built once per evaluation. */
export function workerPids(view: AnalyzerView): (worker: string) => number | undefined {
  let pids: Map<string, number> | undefined;
  return (worker) => {
    if (pids === undefined) {
      pids = new Map();
      for (const state of view.workerStates()) if (state.pid !== undefined) pids.set(state.worker, state.pid);
    }
    return pids.get(worker);
  };
}
