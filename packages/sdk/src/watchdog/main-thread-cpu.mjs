// The main thread's scheduler figures, read by the watchdog thread. Plain JavaScript, as the
// thread is (see watchdog-thread.mjs).
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Opens the main thread's `/proc/self/task/<pid>/schedstat` and `stat` (Linux; the main thread's id
 * is the process id). Node 20 has no per-thread CPU clock; these tell a loop held by synchronous work
 * (the thread runs) from one held by a synchronous call (it sleeps) and from a machine short of CPU
 * (it is runnable, but does not run). Returns undefined where the files are missing or unreadable.
 */
export function openMainThreadCpu(pid) {
  const schedstat = openProcFile(`/proc/self/task/${pid}/schedstat`);
  const stat = openProcFile(`/proc/self/task/${pid}/stat`);
  if (schedstat === undefined || stat === undefined) {
    if (schedstat !== undefined) closeSync(schedstat);
    if (stat !== undefined) closeSync(stat);
    return undefined;
  }
  const buffer = Buffer.alloc(1024);
  const read = (fd) => {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('latin1', 0, length);
  };
  const cpu = {
    /** CPU time the thread ran and time it waited for a CPU, in ms; the wait is counted only once the thread runs again. */
    sample() {
      try {
        const [run, wait] = read(schedstat).trim().split(' ');
        const runMillis = Number(run) / 1e6;
        const waitMillis = Number(wait) / 1e6;
        return Number.isFinite(runMillis) && Number.isFinite(waitMillis)
          ? { runMillis, waitMillis }
          : undefined;
      } catch {
        return undefined;
      }
    },
    /** Whether the thread is running or waiting for a CPU now (state R), rather than sleeping. */
    runnable() {
      try {
        const text = read(stat);
        // The state follows the command name, which is in parentheses and may hold anything.
        return text.charAt(text.lastIndexOf(')') + 2) === 'R';
      } catch {
        return false;
      }
    },
  };
  if (cpu.sample() === undefined) {
    closeSync(schedstat);
    closeSync(stat);
    return undefined;
  }
  return cpu;
}

function openProcFile(path) {
  try {
    return openSync(path, 'r');
  } catch {
    return undefined;
  }
}

/**
 * What the watchdog makes of a loop that has not turned for `staleMillis`, given the main thread's
 * samples when it was last seen turning (`since`) and now (`now`), either possibly undefined, and
 * for how long meanwhile it was seen runnable (`runnableMillis`). Runnable time it did not spend
 * running was spent queued for a CPU: the machine's doing, not the worker's, so it is left out of
 * the stall the worker accounts for. (The kernel adds a wait to schedstat only once the thread runs
 * again, so while the thread is still queued the runnable samples are what tell.)
 */
export function judgeStall(staleMillis, since, now, runnableMillis = 0) {
  if (since === undefined || now === undefined) return { attributableMillis: staleMillis };
  const cpuMillis = Math.max(0, now.runMillis - since.runMillis);
  const cpuWaitMillis = Math.max(0, now.waitMillis - since.waitMillis, runnableMillis - cpuMillis);
  return { attributableMillis: Math.max(0, staleMillis - cpuWaitMillis), cpuMillis, cpuWaitMillis };
}
