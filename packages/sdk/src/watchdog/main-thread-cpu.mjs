// The main thread's scheduler statistics, read by the watchdog thread. Plain JavaScript, as the
// thread is (see watchdog-thread.mjs).
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Opens the main thread's `/proc/self/task/<pid>/schedstat` (Linux; the main thread's id is the
 * process id): CPU time it ran and time it waited on a run queue, both in nanoseconds since it
 * started. Node 20 has no per-thread CPU clock; this tells a loop held by synchronous work (it runs)
 * from one held by a synchronous call (it sleeps) and from a machine short of CPU (it waits).
 * Returns undefined where the file is missing or unreadable.
 */
export function openMainThreadCpu(pid) {
  let fd;
  try {
    fd = openSync(`/proc/self/task/${pid}/schedstat`, 'r');
  } catch {
    return undefined;
  }
  const buffer = Buffer.alloc(128);
  const sample = () => {
    try {
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      const [run, wait] = buffer.toString('latin1', 0, length).trim().split(' ');
      const runMillis = Number(run) / 1e6;
      const waitMillis = Number(wait) / 1e6;
      return Number.isFinite(runMillis) && Number.isFinite(waitMillis)
        ? { runMillis, waitMillis }
        : undefined;
    } catch {
      return undefined;
    }
  };
  if (sample() === undefined) {
    closeSync(fd);
    return undefined;
  }
  return { sample };
}

/**
 * What the watchdog makes of a loop that has not turned for `staleMillis`, given the main thread's
 * samples when it was last seen turning (`since`) and now (`now`), either possibly undefined: the
 * stall the worker accounts for (time waited for a CPU is the machine's doing, not the worker's),
 * and, when both samples exist, the CPU it used and the time it waited meanwhile.
 */
export function judgeStall(staleMillis, since, now) {
  if (since === undefined || now === undefined) return { attributableMillis: staleMillis };
  const cpuMillis = Math.max(0, now.runMillis - since.runMillis);
  const cpuWaitMillis = Math.max(0, now.waitMillis - since.waitMillis);
  return { attributableMillis: Math.max(0, staleMillis - cpuWaitMillis), cpuMillis, cpuWaitMillis };
}
