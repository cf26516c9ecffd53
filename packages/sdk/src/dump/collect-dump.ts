import { getHeapStatistics } from 'node:v8';
import { type ActiveAttempt, currentStepOf, silenceSecondsOf } from '../active-attempts.js';
import { redactEnvironment } from './redact-environment.js';

/** One running attempt as a dump file shows it. */
export type DumpedAttempt = {
  queue: string;
  jobName: string;
  jobId: string;
  attempt: number;
  step: string | null;
  steps: readonly string[];
  silenceSeconds: number;
  elapsedSeconds: number;
  traceId: string;
  spanId: string;
  lastCheckpoint: { name: string; data?: string; atMs: number } | null;
};

/** The content of a dump file (`schema` is bumped when fields change meaning). */
export type DumpDocument = {
  schema: 'joblens.dump/1';
  trigger: string;
  pid: number;
  writtenAt: string;
  uptimeSeconds: number;
  activeJobs: DumpedAttempt[];
  heap: ReturnType<typeof getHeapStatistics>;
  memory: NodeJS.MemoryUsage;
  eventLoopDelaySeconds: number;
  activeResources: { total: number; byType: Record<string, number> };
  /** Node's diagnostic report, environment redacted; null when the report could not be produced. */
  report: Record<string, unknown> | null;
};

export function describeAttempt(attempt: ActiveAttempt, nowMs: number): DumpedAttempt {
  const { descriptor } = attempt;
  return {
    queue: descriptor.queue,
    jobName: descriptor.jobName,
    jobId: descriptor.jobId,
    attempt: descriptor.attempt ?? 1,
    step: currentStepOf(attempt) ?? null,
    steps: [...attempt.steps],
    silenceSeconds: silenceSecondsOf(attempt, nowMs),
    elapsedSeconds: Math.max(0, nowMs - attempt.startedAtMs) / 1000,
    traceId: attempt.traceId,
    spanId: attempt.spanId,
    lastCheckpoint: attempt.lastCheckpoint ? { ...attempt.lastCheckpoint } : null,
  };
}

function summarizeResources(): DumpDocument['activeResources'] {
  const types = process.getActiveResourcesInfo();
  const byType: Record<string, number> = {};
  for (const type of types) byType[type] = (byType[type] ?? 0) + 1;
  return { total: types.length, byType };
}

/**
 * Node's diagnostic report without network lookups (a dump must not wait on DNS), with secrets
 * taken out of the environment section before anything is written to disk.
 */
function diagnosticReport(onError: (error: unknown) => void): Record<string, unknown> | null {
  // `excludeNetwork` exists since Node 20.13 but is missing from @types/node 20.
  const report = process.report as (NodeJS.ProcessReport & { excludeNetwork?: boolean }) | undefined;
  if (!report) return null;
  const previousExcludeNetwork = report.excludeNetwork;
  try {
    report.excludeNetwork = true;
    const full = report.getReport() as unknown as Record<string, unknown>;
    const env = full.environmentVariables;
    if (env && typeof env === 'object') {
      full.environmentVariables = redactEnvironment(env as Record<string, unknown>);
    }
    return full;
  } catch (cause) {
    onError(new Error('producing the diagnostic report for a dump', { cause }));
    return null;
  } finally {
    report.excludeNetwork = previousExcludeNetwork;
  }
}

export function collectDump(input: {
  trigger: string;
  attempts: readonly ActiveAttempt[];
  eventLoopDelaySeconds: number;
  nowMs: number;
  onError: (error: unknown) => void;
}): DumpDocument {
  return {
    schema: 'joblens.dump/1',
    trigger: input.trigger,
    pid: process.pid,
    writtenAt: new Date(input.nowMs).toISOString(),
    uptimeSeconds: process.uptime(),
    activeJobs: input.attempts.map((attempt) => describeAttempt(attempt, input.nowMs)),
    heap: getHeapStatistics(),
    memory: process.memoryUsage(),
    eventLoopDelaySeconds: input.eventLoopDelaySeconds,
    activeResources: summarizeResources(),
    report: diagnosticReport(input.onError),
  };
}
