/** Types of main-thread-cpu.mjs (plain JavaScript, as the watchdog thread that loads it). */
export interface CpuSample {
  runMillis: number;
  waitMillis: number;
}

export interface Stall {
  attributableMillis: number;
  cpuMillis?: number;
  cpuWaitMillis?: number;
}

export function openMainThreadCpu(
  pid: number,
): { sample(): CpuSample | undefined; runnable(): boolean } | undefined;

export function judgeStall(
  staleMillis: number,
  since?: CpuSample,
  now?: CpuSample,
  runnableMillis?: number,
): Stall;
