import { getHeapStatistics } from 'node:v8';
import { type ActiveAttempt, currentStepOf, silenceSecondsOf } from '../active-attempts.js';
import { redactArgument, redactEnvironment } from './redact-environment.js';

/** One running attempt as a dump file shows it. */
type DumpedAttempt = {
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

function describeAttempt(attempt: ActiveAttempt, nowMs: number): DumpedAttempt {
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

/** Secrets hide in the environment (also in each worker thread's copy) and in `--name=value` arguments. */
function redactReport(report: Record<string, unknown>): Record<string, unknown> {
  const env = report.environmentVariables;
  if (env && typeof env === 'object') {
    report.environmentVariables = redactEnvironment(env as Record<string, unknown>);
  }
  const header = report.header as { commandLine?: unknown } | undefined;
  if (header && Array.isArray(header.commandLine)) {
    header.commandLine = header.commandLine.map((arg: unknown) =>
      typeof arg === 'string' ? redactArgument(arg) : arg,
    );
  }
  if (Array.isArray(report.workers)) {
    report.workers = report.workers.map((worker: unknown) =>
      worker && typeof worker === 'object' ? redactReport(worker as Record<string, unknown>) : worker,
    );
  }
  return report;
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
    return redactReport(report.getReport() as unknown as Record<string, unknown>);
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
