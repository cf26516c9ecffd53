import type { AnalyzerView, EventLoopBlockView } from '../model/analyzer-view.js';
import { blockingFunctionOf } from './blocking-frame.js';
import type { Detector } from './detector.js';
import type { FindingDraft } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';

export interface EventLoopBlockedOptions {
  /** The finding holds this long after the worker's last reported block. Default 300. */
  holdSeconds: number;
  /** Blocks shorter than this are ignored (the watchdog already has its own threshold). Default 0. */
  minBlockedSeconds: number;
  /** The longest block at least this long makes the finding critical. Default 10. */
  criticalBlockedSeconds: number;
}

interface WorkerBlocks {
  blocks: number;
  totalSeconds: number;
  worst: EventLoopBlockView;
  latest: EventLoopBlockView;
  first: EventLoopBlockView;
}

function jobPhrase(block: EventLoopBlockView): string {
  if (block.jobId === undefined && block.jobName === undefined) return '';
  const step = block.currentStep === undefined ? '' : `, step "${block.currentStep}"`;
  return ` during ${block.jobName ?? 'job'}${block.jobId === undefined ? '' : ` #${block.jobId}`}${step}`;
}

/** A block the main thread spent at least this share of on the CPU was synchronous work, else a synchronous wait. */
const CPU_BOUND_SHARE = 0.5;

/** What held the loop, as far as the watchdog could tell (Linux reports the main thread's CPU time). */
function causePhrase(block: EventLoopBlockView): string {
  if (block.cpuShare === undefined) return '';
  const percent = Math.round(block.cpuShare * 100);
  return block.cpuShare >= CPU_BOUND_SHARE
    ? `, on the CPU ${percent}% of it (synchronous work)`
    : `, on the CPU only ${percent}% of it (waiting in a synchronous call)`;
}

/** Where the loop was held: the blocking function when the watchdog sent the stack, else the step. */
function placeOf(block: EventLoopBlockView): string {
  const blocking = blockingFunctionOf(block.stack);
  if (blocking !== undefined) return blocking;
  return block.currentStep === undefined ? 'the job' : `step "${block.currentStep}"`;
}

function nextStepFor(block: EventLoopBlockView): string {
  const where = placeOf(block);
  if (block.cpuShare !== undefined && block.cpuShare < CPU_BOUND_SHARE) {
    return (
      `Look for a synchronous call that waits in ${where} (fs.*Sync on a slow or network disk, ` +
      'child_process.execSync/spawnSync, Atomics.wait, a native addon or driver with a blocking API) and use ' +
      'its asynchronous form; `joblens dump` taken during a block shows where the thread waits.'
    );
  }
  return (
    `Look for synchronous work in ${where} ` +
    '(big JSON.parse/stringify, sync fs or crypto, catastrophic regex, tight loops); move it to a worker thread ' +
    'or chunk it, and profile with --cpu-prof to confirm.'
  );
}

/** `event_loop_blocked`: the worker's watchdog saw its event loop stuck; one finding per worker. */
export const eventLoopBlockedDetector: Detector<EventLoopBlockedOptions> = {
  type: 'event_loop_blocked',
  defaults: { holdSeconds: 300, minBlockedSeconds: 0, criticalBlockedSeconds: 10 },
  evaluate(view: AnalyzerView, now: number, options: Readonly<EventLoopBlockedOptions>): FindingDraft[] {
    const byWorker = new Map<string, WorkerBlocks>();
    for (const block of view.eventLoopBlocks(now - options.holdSeconds * 1000)) {
      if (block.blockedSeconds < options.minBlockedSeconds || block.timeMs > now) continue;
      const entry = byWorker.get(block.worker);
      if (entry === undefined) {
        byWorker.set(block.worker, {
          blocks: 1,
          totalSeconds: block.blockedSeconds,
          worst: block,
          latest: block,
          first: block,
        });
        continue;
      }
      entry.blocks += 1;
      entry.totalSeconds += block.blockedSeconds;
      if (block.blockedSeconds > entry.worst.blockedSeconds) entry.worst = block;
      if (block.timeMs >= entry.latest.timeMs) entry.latest = block;
      if (block.timeMs < entry.first.timeMs) entry.first = block;
    }
    const drafts: FindingDraft[] = [];
    for (const [worker, entry] of byWorker) {
      const worst = entry.worst;
      // The longest block's stack; a block reported without one (a synchronous system call, an SDK
      // without stacks) borrows the latest's, which held the same loop on the same worker.
      const stacked = worst.stack ? worst : entry.latest.stack ? entry.latest : undefined;
      const blocking = blockingFunctionOf(stacked?.stack);
      const traces = [entry.worst, entry.latest]
        .filter(
          (block, index, all) =>
            block.traceId !== '' && all.findIndex((b) => b.traceId === block.traceId) === index,
        )
        .map((block) => ({
          traceId: block.traceId,
          spanId: block.spanId || undefined,
          label: `${block === worst ? 'longest' : 'latest'} block: ${formatSeconds(block.blockedSeconds)}s`,
        }));
      drafts.push({
        type: 'event_loop_blocked',
        key: worker,
        severity: worst.blockedSeconds >= options.criticalBlockedSeconds ? 'critical' : 'warning',
        subject: {
          service: worst.service,
          worker,
          host: worst.host || undefined,
          queue: worst.queue,
          jobName: worst.jobName,
          jobId: worst.jobId,
        },
        summary:
          `Event loop of worker ${worker} (${worst.service}) blocked ${entry.blocks} time(s), up to ` +
          `${formatSeconds(worst.blockedSeconds)}s${blocking ? ` in ${blocking}` : ''}${jobPhrase(worst)}${causePhrase(worst)}`,
        nextStep: nextStepFor(stacked === undefined ? worst : { ...worst, stack: stacked.stack }),
        evidence: {
          figures: {
            blocks: entry.blocks,
            longestBlockedSeconds: formatSeconds(worst.blockedSeconds),
            totalBlockedSeconds: formatSeconds(entry.totalSeconds),
            lastBlockAgeSeconds: formatSeconds((now - entry.latest.timeMs) / 1000),
            step: worst.currentStep ?? '',
            ...(blocking === undefined ? {} : { blockingFunction: blocking }),
            ...(worst.cpuSeconds === undefined
              ? {}
              : {
                  longestBlockCpuSeconds: formatSeconds(worst.cpuSeconds),
                  longestBlockCpuWaitSeconds: formatSeconds(worst.cpuWaitSeconds ?? 0),
                }),
          },
          traces,
          ...(stacked?.stack === undefined ? {} : { detail: { stack: stacked.stack } }),
        },
        since: entry.first.timeMs,
      });
    }
    return drafts;
  },
};
