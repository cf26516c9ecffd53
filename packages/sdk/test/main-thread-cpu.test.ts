import { describe, expect, it } from 'vitest';
import { judgeStall, openMainThreadCpu } from '../src/watchdog/main-thread-cpu.mjs';

describe('judgeStall', () => {
  it('counts against the worker all of a stall spent running or sleeping', () => {
    const stall = judgeStall(2_000, { runMillis: 100, waitMillis: 50 }, { runMillis: 2_050, waitMillis: 60 });
    expect(stall).toEqual({ attributableMillis: 1_990, cpuMillis: 1_950, cpuWaitMillis: 10 });
  });

  it('leaves out the time the main thread waited for a CPU', () => {
    const stall = judgeStall(2_000, { runMillis: 0, waitMillis: 0 }, { runMillis: 300, waitMillis: 1_600 });
    expect(stall.attributableMillis).toBe(400);
  });

  it('takes runnable time the thread did not run as queued for a CPU, before the kernel accounts it', () => {
    // Starved: runnable all along, ran 20 ms; schedstat's wait is only added once the thread runs again.
    const starved = judgeStall(
      1_000,
      { runMillis: 0, waitMillis: 0 },
      { runMillis: 20, waitMillis: 0 },
      1_000,
    );
    expect(starved).toEqual({ attributableMillis: 20, cpuMillis: 20, cpuWaitMillis: 980 });
    // Busy: runnable all along and running nearly all along: almost nothing queued.
    const busy = judgeStall(1_000, { runMillis: 0, waitMillis: 0 }, { runMillis: 990, waitMillis: 0 }, 1_000);
    expect(busy.attributableMillis).toBe(990);
  });

  it('counts the whole stall when the figures are missing', () => {
    expect(judgeStall(2_000, undefined, undefined)).toEqual({ attributableMillis: 2_000 });
  });
});

describe.runIf(process.platform === 'linux')('openMainThreadCpu', () => {
  it("reads this process's main thread: its CPU time grows while it computes", () => {
    const cpu = openMainThreadCpu(process.pid);
    const before = cpu?.sample();
    // Computes until the process has used 100 ms of CPU, however long a loaded machine takes to grant
    // it: a wall-clock budget would measure the machine, not the reader. The deadline only stops a hang.
    const used = process.cpuUsage();
    const giveUpAt = Date.now() + 30_000;
    while (cpuMillisSince(used) < 100 && Date.now() < giveUpAt) {
      // Busy on purpose, on this (the main) thread.
    }
    const after = cpu?.sample();
    expect(before).toBeDefined();
    // Nearly all of the process's CPU in that loop was the main thread's; other threads (GC) take a little.
    expect((after?.runMillis ?? 0) - (before?.runMillis ?? 0)).toBeGreaterThan(50);
  });

  it('sees the main thread runnable while it computes', () => {
    expect(openMainThreadCpu(process.pid)?.runnable()).toBe(true);
  });

  it('is undefined for a thread that does not exist', () => {
    expect(openMainThreadCpu(2 ** 30)).toBeUndefined();
  });
});

function cpuMillisSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}
