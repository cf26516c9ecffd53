import type { FindingDraft } from '../findings/finding.js';
import type { AnalyzerView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import { dumpInstruction, workerPids } from './dump-instruction.js';
import { formatSeconds } from './format-seconds.js';
import { mostSilent } from './most-silent.js';

export interface SilentJobOptions {
  /** A running attempt silent (no step, event or checkpoint) this long is a silent job. Default 30. */
  silenceThresholdSeconds: number;
  /** Silence this many times the threshold makes the finding critical. Default 5. */
  criticalFactor: number;
  /** At most this many findings, the most silent first. Default 200. */
  maxFindings: number;
}

/**
 * `silent_job`: a running attempt that stopped making progress, seen from its `still running` records
 * before its span ends (a hung job's span may never end). Resolves when the job ends or does something.
 */
export const silentJobDetector: Detector<SilentJobOptions> = {
  type: 'silent_job',
  defaults: { silenceThresholdSeconds: 30, criticalFactor: 5, maxFindings: 200 },
  evaluate(view: AnalyzerView, now: number, options: Readonly<SilentJobOptions>): FindingDraft[] {
    const ranked = mostSilent(view, now, options);
    const pidOf = workerPids(view);
    return ranked.map(({ key, job, silenceSeconds }) => {
      const where = job.currentStep === undefined ? 'outside any step' : `in step "${job.currentStep}"`;
      const elapsedSeconds = Math.max(0, (now - job.startedMs) / 1000);
      return {
        type: 'silent_job',
        key,
        severity:
          silenceSeconds >= options.silenceThresholdSeconds * options.criticalFactor ? 'critical' : 'warning',
        subject: {
          service: job.service,
          queue: job.queue,
          jobName: job.jobName,
          jobId: job.jobId,
          worker: job.worker,
          host: job.host || undefined,
        },
        summary:
          `${job.jobName} #${job.jobId} on ${job.queue} (${job.service}) has been silent for ` +
          `${formatSeconds(silenceSeconds)}s ${where} on worker ${job.worker}`,
        nextStep:
          `${dumpInstruction(job.worker, job.host || undefined, pidOf(job.worker))} to see ` +
          `what ${job.currentStep === undefined ? 'the job' : `"${job.currentStep}"`} waits on; a missing timeout on ` +
          'a network call or lock is the usual cause.',
        evidence: {
          figures: {
            silenceSeconds: formatSeconds(silenceSeconds),
            elapsedSeconds: formatSeconds(elapsedSeconds),
            attempt: job.attempt,
            currentStep: job.currentStep ?? '',
            lastRecordAgeSeconds: formatSeconds(Math.max(0, (now - job.lastRecordMs) / 1000)),
          },
          traces: [{ traceId: job.traceId, spanId: job.spanId, label: 'the silent attempt (still running)' }],
        },
        since: job.quietSinceMs,
      } satisfies FindingDraft;
    });
  },
};
