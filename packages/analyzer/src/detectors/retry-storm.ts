import { redactText } from '@joblens/otlp-receiver';
import type { AnalyzerView, AttemptView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import type { FindingDraft } from './finding-draft.js';

export interface RetryStormOptions {
  /** Failures are grouped within this window; the finding holds while the burst goes on. Default 60. */
  burstWindowSeconds: number;
  /** A burst needs at least this many distinct jobs failing with the same error type. Default 10. */
  minDistinctJobs: number;
  /** This many times the minimum makes it critical. Default 5. */
  criticalFactor: number;
  /** At most this many findings. Default 50. */
  maxFindings: number;
}

interface Burst {
  service: string;
  queue: string;
  errorType: string;
  jobs: Set<string>;
  jobNames: Set<string>;
  workers: Set<string>;
  failures: number;
  firstMs: number;
  lastMs: number;
  example: AttemptView;
  errorMessage?: string;
}

/**
 * `retry_storm`: many distinct jobs failing with the same error type at once, usually a shared dependency
 * down; one finding per service + queue + error type, not one per job.
 */
export const retryStormDetector: Detector<RetryStormOptions> = {
  type: 'retry_storm',
  defaults: { burstWindowSeconds: 60, minDistinctJobs: 10, criticalFactor: 5, maxFindings: 50 },
  evaluate(view: AnalyzerView, now: number, options: Readonly<RetryStormOptions>): FindingDraft[] {
    const bursts = new Map<string, Burst>();
    for (const attempt of view.finishedAttempts(now - options.burstWindowSeconds * 1000)) {
      const facts = attempt.facts;
      if (facts.outcome === 'completed' || facts.endMs > now) continue;
      const errorType = facts.errorType ?? '_OTHER';
      const key = `${facts.service}|${facts.queue}|${errorType}`;
      let burst = bursts.get(key);
      if (burst === undefined) {
        burst = {
          service: facts.service,
          queue: facts.queue,
          errorType,
          jobs: new Set(),
          jobNames: new Set(),
          workers: new Set(),
          failures: 0,
          firstMs: facts.endMs,
          lastMs: facts.endMs,
          example: attempt,
        };
        bursts.set(key, burst);
      }
      burst.jobs.add(facts.jobId);
      burst.jobNames.add(facts.jobName);
      burst.workers.add(facts.worker);
      burst.failures += 1;
      burst.firstMs = Math.min(burst.firstMs, facts.endMs);
      if (facts.endMs >= burst.lastMs) {
        burst.lastMs = facts.endMs;
        burst.example = attempt;
        burst.errorMessage = facts.errorMessage ?? burst.errorMessage;
      }
    }
    const drafts: FindingDraft[] = [];
    for (const [key, burst] of bursts) {
      if (burst.jobs.size < options.minDistinctJobs) continue;
      const example = burst.example.facts;
      const names = [...burst.jobNames].slice(0, 5).join(', ');
      drafts.push({
        type: 'retry_storm',
        key,
        severity:
          burst.jobs.size >= options.minDistinctJobs * options.criticalFactor ? 'critical' : 'warning',
        subject: {
          service: burst.service,
          queue: burst.queue,
          jobName: burst.jobNames.size === 1 ? example.jobName : undefined,
        },
        summary:
          `${burst.jobs.size} jobs on ${burst.queue} (${burst.service}) failed with ${burst.errorType} within ` +
          `${options.burstWindowSeconds}s across ${burst.workers.size} worker(s)`,
        nextStep:
          `Open trace ${example.traceId}: one error type across many jobs points at a shared dependency ` +
          `(${burst.errorMessage ? `"${redactText(burst.errorMessage).slice(0, 80)}"` : 'database, API, credentials'}); fix or ` +
          'pause the queue, and check that retries back off instead of piling on.',
        evidence: {
          figures: {
            distinctJobs: burst.jobs.size,
            failedAttempts: burst.failures,
            workers: burst.workers.size,
            errorType: burst.errorType,
            burstWindowSeconds: options.burstWindowSeconds,
            burstSpanSeconds: Math.round((burst.lastMs - burst.firstMs) / 100) / 10,
          },
          traces: [
            { traceId: example.traceId, spanId: example.spanId, label: `latest ${burst.errorType} failure` },
          ],
          detail: { jobNames: names, errorMessage: burst.errorMessage },
        },
        since: burst.firstMs,
      });
    }
    drafts.sort((a, b) => Number(b.evidence.figures.distinctJobs) - Number(a.evidence.figures.distinctJobs));
    return drafts.slice(0, options.maxFindings);
  },
};
