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

  it('counts the whole stall when the figures are missing', () => {
    expect(judgeStall(2_000, undefined, undefined)).toEqual({ attributableMillis: 2_000 });
  });
});

describe.runIf(process.platform === 'linux')('openMainThreadCpu', () => {
  it("reads this process's main thread: its CPU time grows while it computes", () => {
    const cpu = openMainThreadCpu(process.pid);
    const before = cpu?.sample();
    const end = Date.now() + 200;
    while (Date.now() < end) {
      // Busy on purpose: the main thread's run time must advance by about this long.
    }
    const after = cpu?.sample();
    expect(before).toBeDefined();
    expect((after?.runMillis ?? 0) - (before?.runMillis ?? 0)).toBeGreaterThan(100);
  });

  it('is undefined for a thread that does not exist', () => {
    expect(openMainThreadCpu(2 ** 30)).toBeUndefined();
  });
});
