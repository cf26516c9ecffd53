import type { AnalyzerView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import { dumpInstruction, workerPids } from './dump-instruction.js';
import type { FindingDraft } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';
import { mostSilent } from './most-silent.js';
import {
  addressOfCall,
  describeWaitingCalls,
  readWaitingEvidence,
  type WaitingEvidence,
} from './waiting-evidence.js';

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
      const waiting = readWaitingEvidence(job.attributes);
      const calls = waiting === undefined ? undefined : describeWaitingCalls(waiting);
      const what = job.currentStep === undefined ? 'the job' : `"${job.currentStep}"`;
      const dump = dumpInstruction(job.worker, job.host || undefined, pidOf(job.worker));
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
          `${job.jobName} #${job.jobId} on ${job.queue} (${job.service}) has been ` +
          (calls === undefined
            ? `silent for ${formatSeconds(silenceSeconds)}s`
            : `waiting ${formatSeconds(silenceSeconds)}s on ${calls}`) +
          ` ${where} on worker ${job.worker}`,
        nextStep: silentJobNextStep(waiting, what, dump),
        evidence: {
          figures: {
            silenceSeconds: formatSeconds(silenceSeconds),
            elapsedSeconds: formatSeconds(elapsedSeconds),
            attempt: job.attempt,
            currentStep: job.currentStep ?? '',
            lastRecordAgeSeconds: formatSeconds(Math.max(0, (now - job.lastRecordMs) / 1000)),
            ...(waiting === undefined ? {} : waitingFigures(waiting)),
          },
          traces: [{ traceId: job.traceId, spanId: job.spanId, label: 'the silent attempt (still running)' }],
          ...(waiting === undefined ? {} : { detail: { waiting } }),
        },
        since: job.quietSinceMs,
      } satisfies FindingDraft;
    });
  },
};

/** The figures a reader scans first: the call waited on, for how long, and where the sockets lead. */
function waitingFigures(waiting: WaitingEvidence): Record<string, number | string> {
  const figures: Record<string, number | string> = { openCalls: waiting.count };
  const [first] = waiting.calls;
  if (first !== undefined) {
    figures.waitingOn = first.call;
    if (first.openSeconds !== undefined) figures.waitingOnOpenSeconds = first.openSeconds;
  }
  if (waiting.socketPeers.length > 0) {
    figures.socketsTo = waiting.socketPeers
      .map((peer) => (peer.sockets === undefined ? peer.address : `${peer.address} (${peer.sockets})`))
      .join(', ');
  }
  if (waiting.timers !== undefined) figures.openTimers = waiting.timers;
  return figures;
}

/** With the call named, the next step is about that call; without, a dump shows what the job awaits. */
function silentJobNextStep(waiting: WaitingEvidence | undefined, what: string, dump: string): string {
  const first = waiting?.calls[0];
  if (first !== undefined) {
    const address = addressOfCall(first.call);
    return (
      `${what} waits on \`${first.call}\`${first.openSeconds === undefined ? '' : `, open ${first.openSeconds}s`}: ` +
      `check that ${address ?? 'the server'} answers, and give the call a timeout (none ended it).`
    );
  }
  const peers = waiting?.socketPeers.map((peer) => peer.address) ?? [];
  const noCall =
    waiting === undefined
      ? ''
      : ` It has no open HTTP call${peers.length > 0 ? `; the process holds sockets to ${peers.join(', ')}` : ''}.`;
  return (
    `${dump} to see what ${what} waits on; a missing timeout on a network call or lock is the usual cause.` +
    noCall
  );
}
