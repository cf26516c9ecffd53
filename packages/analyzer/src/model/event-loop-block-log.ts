import {
  ATTR_EVENT_LOOP_BLOCKED_CPU_TIME,
  ATTR_EVENT_LOOP_BLOCKED_CPU_WAIT,
  ATTR_EVENT_LOOP_BLOCKED_DURATION,
  ATTR_EVENT_LOOP_BLOCKED_STACK,
  MAX_BLOCKED_STACK_FRAMES,
} from '@joblens/semconv';
import type { EventLoopBlockView } from './analyzer-view.js';
import { readNumber, readStringArray } from './attribute-readers.js';
import type { JobLogFacts } from './facts.js';

/** Longest stack frame kept; the SDK sends at most 300 characters, other senders are cut here. */
const MAX_FRAME_CHARS = 500;

/** Clock skew and export delay allowed between a block's report and its recovery record. */
const RECOVERY_SLACK_MS = 2000;

/** The share of the block (less its wait for a CPU) the main thread ran, as reported; 0..1. */
function cpuShareOf(
  blocked: number,
  cpu: number | undefined,
  cpuWait: number | undefined,
): number | undefined {
  if (cpu === undefined || cpu < 0) return undefined;
  const own = blocked - Math.max(0, cpuWait ?? 0);
  return own > 0 ? Math.min(1, cpu / own) : undefined;
}

function stackOf(facts: JobLogFacts): string[] | undefined {
  return readStringArray(
    facts.attributes,
    ATTR_EVENT_LOOP_BLOCKED_STACK,
    MAX_BLOCKED_STACK_FRAMES,
    MAX_FRAME_CHARS,
  );
}

/** The watchdogs' block reports, oldest first, once each (OTLP retries deliver twice), bounded. */
export class EventLoopBlockLog {
  readonly blocks: EventLoopBlockView[] = [];
  private readonly keys = new Set<string>();

  constructor(private readonly maxBlocks: number) {}

  add(facts: JobLogFacts): void {
    const key = `${facts.worker}\u0000${facts.timeMs}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    const blockedSeconds = readNumber(facts.attributes, ATTR_EVENT_LOOP_BLOCKED_DURATION) ?? 0;
    const cpuSeconds = readNumber(facts.attributes, ATTR_EVENT_LOOP_BLOCKED_CPU_TIME);
    const cpuWaitSeconds = readNumber(facts.attributes, ATTR_EVENT_LOOP_BLOCKED_CPU_WAIT);
    this.blocks.push({
      worker: facts.worker,
      service: facts.service,
      host: facts.host,
      timeMs: facts.timeMs,
      blockedSeconds,
      cpuSeconds,
      cpuWaitSeconds,
      cpuShare: cpuShareOf(blockedSeconds, cpuSeconds, cpuWaitSeconds),
      traceId: facts.traceId,
      spanId: facts.spanId,
      queue: facts.queue,
      jobName: facts.jobName,
      jobId: facts.jobId,
      currentStep: facts.currentStep,
      stack: stackOf(facts),
    });
    while (this.blocks.length > this.maxBlocks) this.dropOldest();
  }

  /**
   * The main thread's record once the loop turns again carries the block's total length: it lengthens
   * the block the watchdog thread reported (the same block, not a second one), or stands for it when
   * that record was lost.
   */
  addRecovery(facts: JobLogFacts): void {
    const blockedSeconds = readNumber(facts.attributes, ATTR_EVENT_LOOP_BLOCKED_DURATION) ?? 0;
    const blockStartMs = facts.timeMs - blockedSeconds * 1000 - RECOVERY_SLACK_MS;
    for (let index = this.blocks.length - 1; index >= 0; index--) {
      const block = this.blocks[index];
      if (block.worker !== facts.worker || block.timeMs > facts.timeMs) continue;
      if (block.timeMs < blockStartMs) break;
      if (blockedSeconds > block.blockedSeconds) block.blockedSeconds = blockedSeconds;
      block.stack ??= stackOf(facts);
      return;
    }
    this.add(facts);
  }

  prune(cutoffMs: number): void {
    while (this.blocks.length > 0 && this.blocks[0].timeMs < cutoffMs) this.dropOldest();
  }

  private dropOldest(): void {
    const oldest = this.blocks.shift();
    if (oldest !== undefined) this.keys.delete(`${oldest.worker}\u0000${oldest.timeMs}`);
  }
}
