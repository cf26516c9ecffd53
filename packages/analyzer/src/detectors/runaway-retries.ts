import type { AnalyzerView, JobView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import type { FindingDraft } from './finding-draft.js';
import { topErrorType } from './top-error-type.js';

export interface RunawayRetriesOptions {
  /** A job that reached this attempt number without completing is a runaway. Default 5. */
  maxAttemptsThreshold: number;
  /** Jobs seen within this window are considered. Default 1800. */
  windowSeconds: number;
  /** A job name whose retried attempts make up at least this share of its attempts is a runaway. Default 0.5. */
  retryRatioThreshold: number;
  /** ...counting only job names with at least this many attempts in the ratio window. Default 10. */
  minAttemptsForRatio: number;
  /** Window of the retry ratio. Default 600. */
  ratioWindowSeconds: number;
  /** At most this many findings. Default 100. */
  maxFindings: number;
}

interface NameGroup {
  service: string;
  queue: string;
  jobName: string;
  attempts: number;
  retries: number;
  jobs: number;
  errorTypes: Map<string, number>;
  /** Undefined when only the outcome counter told of this job name (all its spans sampled out). */
  example?: JobView;
  /** Where the counts came from: spans and logs, or the SDK's unsampled outcome counter. */
  source: 'jobs' | 'outcome_counter';
  sinceMs: number;
}

function errorPhrase(errorTypes: ReadonlyMap<string, number>): string {
  const top = topErrorType(errorTypes);
  return top === undefined ? 'with no error type recorded' : `failing with ${top.errorType} (${top.count}×)`;
}

function perJob(job: JobView, options: Readonly<RunawayRetriesOptions>): FindingDraft {
  const top = topErrorType(job.errorTypes);
  const limit = job.maxAttempts === undefined ? 'no attempt limit known' : `limit ${job.maxAttempts}`;
  return {
    type: 'runaway_retries',
    key: `job|${job.service}|${job.queue}|${job.jobId}`,
    severity: job.maxAttempt >= options.maxAttemptsThreshold * 2 ? 'critical' : 'warning',
    subject: { service: job.service, queue: job.queue, jobName: job.jobName, jobId: job.jobId },
    summary:
      `${job.jobName} #${job.jobId} on ${job.queue} (${job.service}) is on attempt ${job.maxAttempt} (${limit}), ` +
      errorPhrase(job.errorTypes),
    nextStep:
      `Open the latest attempt's trace ${job.latestTraceId}: if ${top?.errorType ?? 'the error'} cannot succeed on ` +
      'retry (bad input, missing record), mark it unrecoverable or cap the attempts; otherwise add backoff.',
    evidence: {
      figures: {
        attempt: job.maxAttempt,
        maxAttempts: job.maxAttempts ?? 0,
        attemptsSeen: job.attemptsSeen,
        repeatedErrorType: top?.errorType ?? '',
        repeatedErrorCount: top?.count ?? 0,
        lastOutcome: job.lastOutcome ?? 'running',
      },
      traces: [{ traceId: job.latestTraceId, spanId: job.latestSpanId, label: `attempt ${job.maxAttempt}` }],
      detail: { errorTypes: Object.fromEntries(job.errorTypes) },
    },
    since: job.firstSeenMs,
  };
}

function perName(group: NameGroup, options: Readonly<RunawayRetriesOptions>): FindingDraft {
  const ratio = group.retries / group.attempts;
  const top = topErrorType(group.errorTypes);
  return {
    type: 'runaway_retries',
    key: `ratio|${group.service}|${group.queue}|${group.jobName}`,
    severity: ratio >= 0.8 ? 'critical' : 'warning',
    subject: { service: group.service, queue: group.queue, jobName: group.jobName },
    summary:
      `${Math.round(ratio * 100)}% of ${group.jobName} attempts on ${group.queue} (${group.service}) are retries ` +
      `(${group.retries} of ${group.attempts} in ${Math.round(options.ratioWindowSeconds / 60)} min), ` +
      errorPhrase(group.errorTypes),
    nextStep:
      `${group.example ? `Open trace ${group.example.latestTraceId} and fix` : 'Fix'} the cause of ` +
      `${top?.errorType ?? 'the failures'}; retries only hide it while they multiply the load.`,
    evidence: {
      figures: {
        retryRatio: Math.round(ratio * 1000) / 1000,
        retriedAttempts: group.retries,
        attempts: group.attempts,
        jobs: group.jobs,
        repeatedErrorType: top?.errorType ?? '',
        repeatedErrorCount: top?.count ?? 0,
        countedFrom: group.source,
      },
      traces: group.example
        ? [
            {
              traceId: group.example.latestTraceId,
              spanId: group.example.latestSpanId,
              label: 'a job that retried most',
            },
          ]
        : [],
      detail: { errorTypes: Object.fromEntries(group.errorTypes) },
    },
    since: group.example?.firstSeenMs ?? group.sinceMs,
  };
}

/**
 * `runaway_retries`: one job retried past a threshold (a poison job), or a job name most of whose attempts
 * are retries. Names the repeated error type.
 */
export const runawayRetriesDetector: Detector<RunawayRetriesOptions> = {
  type: 'runaway_retries',
  defaults: {
    maxAttemptsThreshold: 5,
    windowSeconds: 1800,
    retryRatioThreshold: 0.5,
    minAttemptsForRatio: 10,
    ratioWindowSeconds: 600,
    maxFindings: 100,
  },
  evaluate(view: AnalyzerView, now: number, options: Readonly<RunawayRetriesOptions>): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    const runaways: JobView[] = [];
    const ratioSince = now - options.ratioWindowSeconds * 1000;
    const names = new Map<string, NameGroup>();
    // Groups found by nested maps of the (interned) names: no key string per job in the window.
    const index = new Map<string, Map<string, Map<string, NameGroup>>>();
    for (const job of view.jobs(Math.min(now - options.windowSeconds * 1000, ratioSince))) {
      if (job.lastSeenMs >= now - options.windowSeconds * 1000) {
        if (job.maxAttempt >= options.maxAttemptsThreshold && job.lastOutcome !== 'completed')
          runaways.push(job);
      }
      if (job.lastSeenMs < ratioSince) continue;
      let byQueue = index.get(job.service);
      if (byQueue === undefined) {
        byQueue = new Map();
        index.set(job.service, byQueue);
      }
      let byName = byQueue.get(job.queue);
      if (byName === undefined) {
        byName = new Map();
        byQueue.set(job.queue, byName);
      }
      let group = byName.get(job.jobName);
      if (group === undefined) {
        group = {
          service: job.service,
          queue: job.queue,
          jobName: job.jobName,
          attempts: 0,
          retries: 0,
          jobs: 0,
          errorTypes: new Map(),
          example: job,
          source: 'jobs',
          sinceMs: ratioSince,
        };
        byName.set(job.jobName, group);
        names.set(`${job.service}|${job.queue}|${job.jobName}`, group);
      }
      // Attempts seen through spans and logs; tail sampling thins these out, the outcome counter below does not.
      const attempts = Math.max(job.attemptsSeen, job.maxAttempt);
      group.attempts += attempts;
      group.retries += Math.max(0, job.maxAttempt - 1);
      group.jobs += 1;
      for (const [type, count] of job.errorTypes)
        group.errorTypes.set(type, (group.errorTypes.get(type) ?? 0) + count);
      if (group.example === undefined || job.maxAttempt > group.example.maxAttempt) group.example = job;
    }
    runaways.sort((a, b) => b.maxAttempt - a.maxAttempt);
    // Only the drafts that can be kept: a flood of poison jobs may put 100k here, and a draft is text.
    for (const job of runaways.slice(0, options.maxFindings)) drafts.push(perJob(job, options));
    // Where workers send the outcome counter, its counts win: spans of healthy attempts may be sampled out,
    // which would make retries look like most of the work.
    for (const counted of view.jobOutcomes(ratioSince)) {
      const key = `${counted.service}|${counted.queue}|${counted.jobName}`;
      const group: NameGroup = names.get(key) ?? {
        service: counted.service,
        queue: counted.queue,
        jobName: counted.jobName,
        attempts: 0,
        retries: 0,
        jobs: 0,
        errorTypes: new Map(),
        source: 'outcome_counter',
        sinceMs: ratioSince,
      };
      group.attempts = counted.total;
      group.retries = counted.counts.retry_scheduled;
      group.source = 'outcome_counter';
      names.set(key, group);
    }
    for (const group of names.values()) {
      if (group.attempts < options.minAttemptsForRatio || group.retries === 0) continue;
      if (group.retries / group.attempts >= options.retryRatioThreshold) drafts.push(perName(group, options));
    }
    return drafts.slice(0, options.maxFindings);
  },
};
