import type { AnalyzerView, AttemptView, GapView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import type { FindingDraft } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';

export interface MysteryGapOptions {
  /** A silent stretch of a finished attempt at least this long is a gap. Default 5. */
  gapThresholdSeconds: number;
  /** The finding holds while attempts with such a gap ended within this window. Default 600. */
  windowSeconds: number;
  /**
   * Attempts the analyzer received less than this long ago wait: their step spans may be on the way in
   * another export. Counted from arrival, not from the attempt's end: exporters batch for seconds, so an
   * attempt usually arrives long after it ended. Default 2.
   */
  settleSeconds: number;
  /** At most this many findings, the longest gaps first. Default 50. */
  maxFindings: number;
}

interface GapGroup {
  service: string;
  queue: string;
  jobName: string;
  gap: GapView;
  worst: AttemptView;
  count: number;
  firstMs: number;
  totalSeconds: number;
}

function placeName(label: string): string {
  if (label === 'start') return 'the attempt start';
  if (label === 'end') return 'the attempt end';
  return `"${label}"`;
}

/** An attempt with no step or checkpoint says nothing about its inside: its duration is not a gap. */
function isInstrumented(attempt: AttemptView): boolean {
  return attempt.steps.length > 0 || attempt.marks.some((mark) => mark.kind === 'checkpoint');
}

/**
 * `mystery_gap`: a stretch inside finished attempts where nothing was recorded, found at the same place
 * (between the same steps) of one job name; one finding per place, counting the attempts it was seen in.
 */
export const mysteryGapDetector: Detector<MysteryGapOptions> = {
  type: 'mystery_gap',
  defaults: { gapThresholdSeconds: 5, windowSeconds: 600, settleSeconds: 2, maxFindings: 50 },
  evaluate(view: AnalyzerView, now: number, options: Readonly<MysteryGapOptions>): FindingDraft[] {
    const groups = new Map<string, GapGroup>();
    // Counted by nested maps of the (interned) names: a key string per attempt was most of this loop's cost.
    const attemptsPerJobName = new Map<string, Map<string, Map<string, number>>>();
    const settledBefore = now - options.settleSeconds * 1000;
    for (const attempt of view.finishedAttempts(now - options.windowSeconds * 1000)) {
      const facts = attempt.facts;
      // A gap judged before every step came would name the wrong place, and move once the step came.
      if (attempt.receivedMs > settledBefore || facts.endMs > settledBefore || !isInstrumented(attempt))
        continue;
      let byQueue = attemptsPerJobName.get(facts.service);
      if (byQueue === undefined) {
        byQueue = new Map();
        attemptsPerJobName.set(facts.service, byQueue);
      }
      let byName = byQueue.get(facts.queue);
      if (byName === undefined) {
        byName = new Map();
        byQueue.set(facts.queue, byName);
      }
      byName.set(facts.jobName, (byName.get(facts.jobName) ?? 0) + 1);
      // Most attempts have no long gap: asking the (cached) longest first spares building their gaps.
      if (view.attemptLongestGapSeconds(attempt) < options.gapThresholdSeconds) continue;
      for (const gap of view.attemptGaps(attempt)) {
        if (gap.seconds < options.gapThresholdSeconds) break;
        const key = `${facts.service}|${facts.queue}|${facts.jobName}|${gap.location}`;
        const group = groups.get(key);
        if (group === undefined) {
          groups.set(key, {
            service: facts.service,
            queue: facts.queue,
            jobName: facts.jobName,
            gap,
            worst: attempt,
            count: 1,
            firstMs: gap.startMs,
            totalSeconds: gap.seconds,
          });
          continue;
        }
        group.count += 1;
        group.totalSeconds += gap.seconds;
        group.firstMs = Math.min(group.firstMs, gap.startMs);
        if (gap.seconds > group.gap.seconds) {
          group.gap = gap;
          group.worst = attempt;
        }
      }
    }
    const drafts: FindingDraft[] = [];
    for (const [key, group] of groups) {
      const gap = group.gap;
      const worst = group.worst.facts;
      const attempts =
        attemptsPerJobName.get(group.service)?.get(group.queue)?.get(group.jobName) ?? group.count;
      const between = `between ${placeName(gap.after)} and ${placeName(gap.before)}`;
      drafts.push({
        type: 'mystery_gap',
        key,
        severity: 'warning',
        subject: { service: group.service, queue: group.queue, jobName: group.jobName },
        summary:
          `${group.jobName} on ${group.queue} (${group.service}) goes silent ${between} for up to ` +
          `${formatSeconds(gap.seconds)}s, in ${group.count} of ${attempts} attempts`,
        nextStep:
          `Open trace ${worst.traceId} and look at the code that runs ${between}: wrap it in a step or add ` +
          'checkpoints to see what takes the time (an uninstrumented call, a lock, a sleep or a busy loop).',
        evidence: {
          figures: {
            worstGapSeconds: formatSeconds(gap.seconds),
            meanGapSeconds: formatSeconds(group.totalSeconds / group.count),
            attemptsWithGap: group.count,
            attemptsSeen: attempts,
            gapThresholdSeconds: options.gapThresholdSeconds,
            after: gap.after,
            before: gap.before,
          },
          traces: [
            {
              traceId: worst.traceId,
              spanId: worst.spanId,
              label: `worst gap: ${formatSeconds(gap.seconds)}s`,
            },
          ],
          detail: {
            location: gap.location,
            worstGapStartMs: gap.startMs,
            worstGapEndMs: gap.endMs,
            worker: worst.worker,
          },
        },
        since: group.firstMs,
      });
    }
    drafts.sort(
      (a, b) => Number(b.evidence.figures.worstGapSeconds) - Number(a.evidence.figures.worstGapSeconds),
    );
    return drafts.slice(0, options.maxFindings);
  },
};
