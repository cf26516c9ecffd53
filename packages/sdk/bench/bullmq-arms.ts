/**
 * The arms of the BullMQ bench (bullmq-throughput.bench.ts), each set up in a process of its own by
 * bullmq-arm-process.ts. A process of its own, because on Node 20 the first AsyncLocalStorage entered
 * turns on promise hooks for the rest of the process's life: run in one process, every arm after the
 * first joblens or OpenTelemetry job paid that cost too, the bare worker included, and the ratios left
 * it out of the price of instrumenting.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Processor, Telemetry } from 'bullmq';
import { withJoblens } from '../src/adapters/bullmq/index.js';
import { bareAttemptSpan, bareProvider } from './bare-attempt-span.js';
import { shutdownBullmqOtel, startBullmqOtel } from './bullmq-otel-arm.js';
import { startBenchJoblens } from './start-bench-joblens.js';

export const ARMS = ['bare', 'als', 'span', 'sdk', 'otel'] as const;
export type Arm = (typeof ARMS)[number];

/** What a worker of the arm runs: its processor, BullMQ's telemetry option, and how to take it down. */
export interface ArmSetup {
  processor: Processor;
  telemetry?: Telemetry;
  shutdown(): Promise<void>;
}

const noop: Processor = async () => undefined;

export function setUpArm(arm: Arm): ArmSetup {
  switch (arm) {
    // BullMQ with nothing: the yardstick of every ratio.
    case 'bare':
      return { processor: noop, shutdown: async () => {} };
    // The same, after one AsyncLocalStorage was entered: the floor that any instrumentation carrying a
    // job's context through its awaits pays on Node 20 (joblens's and OpenTelemetry's alike).
    case 'als': {
      new AsyncLocalStorage<boolean>().run(true, () => {});
      return { processor: noop, shutdown: async () => {} };
    }
    // One bare OpenTelemetry span per job and nothing else: what any span costs here.
    case 'span':
      return {
        processor: (job) => bareAttemptSpan(job.queueName, job.name, String(job.id)),
        shutdown: () => bareProvider.shutdown(),
      };
    case 'sdk': {
      const joblens = startBenchJoblens('joblens-bench-bullmq');
      return { processor: withJoblens(joblens, noop), shutdown: () => joblens.shutdown() };
    }
    // BullMQ's own OpenTelemetry telemetry around the bare arm's processor: the peer.
    case 'otel':
      return { processor: noop, telemetry: startBullmqOtel(), shutdown: shutdownBullmqOtel };
  }
}
