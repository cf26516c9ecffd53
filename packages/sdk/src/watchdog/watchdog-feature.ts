import { channel } from 'node:diagnostics_channel';
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  ATTR_EVENT_LOOP_BLOCKED_CPU_TIME,
  ATTR_EVENT_LOOP_BLOCKED_CPU_WAIT,
  ATTR_EVENT_LOOP_BLOCKED_DURATION,
  ATTR_EVENT_LOOP_BLOCKED_STACK,
  ATTR_EVENT_NAME,
  ATTR_HOST_NAME,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ELAPSED,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_SILENCE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_PROCESS_PID,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  INSTRUMENTATION_SCOPE,
  LOG_EVENT_LOOP_BLOCKED,
  LOG_EVENT_LOOP_RECOVERED,
  MAX_BLOCKED_STACK_FRAMES,
  METRIC_EVENT_LOOP_BLOCKS,
} from '@joblens/semconv';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { FeatureContext, SdkFeature } from '../sdk-feature.js';
import { appRootOf } from './app-root.js';
import { AttemptSlot, SLOT_LAYOUT } from './attempt-slot.js';

/**
 * `node:diagnostics_channel` on which the main thread publishes each stack the watchdog took (or tried
 * to): `{ frames, error }`, `frames` the number of frames taken. Published once the loop turns again.
 */
export const STACK_CAPTURE_CHANNEL = 'joblens:watchdog:stack-capture';
const stackCaptures = channel(STACK_CAPTURE_CHANNEL);

/** What the watchdog thread posts back after it tried to take the main thread's stack. */
type StackCaptureMessage = { type: 'stack-capture'; frames: number; error?: string };

/** What the watchdog thread posts back after it reported a block. */
type BlockedMessage = {
  type: 'blocked';
  beat: number;
  blockedMillis: number;
  delivered: boolean;
  error?: string;
  jobId?: string;
  /** The stack sent with the record, if one was taken. */
  stack?: string[];
};

/** The running watchdog; tests read `thread` to wait until it watches. */
type WatchdogHandle = {
  stop(): Promise<void>;
  /** Resolves once the thread runs its checks. */
  readonly ready: Promise<void>;
};

function otlpResourceAttributes(ctx: FeatureContext): { key: string; value: Record<string, unknown> }[] {
  const attributes: Record<string, string | number | boolean> = {
    // As in the SDK's own resource: a host.name given in resourceAttributes wins over the machine's.
    [ATTR_HOST_NAME]: hostname(),
    ...ctx.options.resourceAttributes,
    [ATTR_SERVICE_NAME]: ctx.options.serviceName,
    [ATTR_SERVICE_INSTANCE_ID]: ctx.options.serviceInstanceId,
    [ATTR_PROCESS_PID]: process.pid,
  };
  return Object.entries(attributes).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string'
        ? { stringValue: value }
        : typeof value === 'boolean'
          ? { boolValue: value }
          : Number.isInteger(value)
            ? { intValue: String(value) }
            : { doubleValue: value },
  }));
}

/**
 * Starts the event-loop watchdog: the main thread stamps a heartbeat into shared memory and
 * publishes the running attempt as it changes; a worker thread notices when the heartbeat stops
 * for `blockedThresholdMillis` and reports the block itself, over OTLP/JSON, while the main thread
 * cannot run any JavaScript. Once the loop turns again the main thread counts the block and logs
 * its total length.
 */
function startWatchdog(ctx: FeatureContext): WatchdogHandle {
  const thresholdMillis = ctx.options.watchdog.blockedThresholdMillis;
  // The heartbeat only has to show the loop turned within a quarter of the threshold: the thread judges
  // a block from when the next beat was due, so a coarse beat delays a report (by at most this much) but
  // never makes a shorter block look long. Four timer turns a second at the default threshold.
  const beatIntervalMillis = Math.max(10, Math.min(250, Math.floor(thresholdMillis / 4)));
  // How often the thread looks once the loop is late: fine enough to tell a runnable main thread.
  const closeCheckMillis = Math.max(10, Math.min(100, Math.floor(thresholdMillis / 10)));
  const slot = new AttemptSlot();
  slot.beat();
  slot.publish(ctx.activeAttempts.mostRecentlyActive());

  const unsubscribe = ctx.activeAttempts.onChange((attempt, removed) => {
    if (!removed) slot.publish(attempt);
    else if (attempt === slot.current) slot.publish(ctx.activeAttempts.mostRecentlyActive());
  });
  const beater = setInterval(() => slot.beat(), beatIntervalMillis);
  beater.unref();

  const blocks = ctx.meter.createCounter(METRIC_EVENT_LOOP_BLOCKS, {
    unit: '{block}',
    description: 'Event-loop blocks the watchdog reported',
  });

  // A replaced log exporter (tests, custom pipelines) means the OTLP endpoint is not the
  // destination; the main thread's record after the block still goes through that exporter.
  // The thread always sends JSON: OTLP/HTTP receivers accept it next to protobuf.
  const logs = ctx.options.logRecordExporter
    ? null
    : {
        url: ctx.options.logs.url,
        headers: ctx.options.logs.headers,
        timeoutMillis: Math.min(ctx.options.exportTimeoutMillis, 5000),
      };
  const worker = new Worker(new URL('./watchdog-thread.mjs', import.meta.url), {
    // Without the parent's loaders (tsx) and preloads: the thread is plain JavaScript.
    execArgv: [],
    workerData: {
      buffer: slot.buffer,
      layout: SLOT_LAYOUT,
      baseMs: slot.baseMs,
      thresholdMillis,
      beatIntervalMillis,
      closeCheckMillis,
      logs,
      stack: {
        enabled: ctx.options.watchdog.captureStack,
        timeoutMillis: ctx.options.watchdog.stackTimeoutMillis,
        maxFrames: MAX_BLOCKED_STACK_FRAMES,
        root: appRootOf(process.argv[1], process.cwd()),
      },
      resource: otlpResourceAttributes(ctx),
      names: {
        scope: INSTRUMENTATION_SCOPE,
        event: LOG_EVENT_LOOP_BLOCKED,
        body: 'event loop blocked',
        attrEventName: ATTR_EVENT_NAME,
        attrBlockedDuration: ATTR_EVENT_LOOP_BLOCKED_DURATION,
        attrBlockedCpuTime: ATTR_EVENT_LOOP_BLOCKED_CPU_TIME,
        attrBlockedCpuWait: ATTR_EVENT_LOOP_BLOCKED_CPU_WAIT,
        attrBlockedStack: ATTR_EVENT_LOOP_BLOCKED_STACK,
        attrJobId: ATTR_JOB_ID,
        attrJobName: ATTR_JOB_NAME,
        attrQueue: ATTR_MESSAGING_DESTINATION_NAME,
        attrSystem: ATTR_MESSAGING_SYSTEM,
        attrAttempt: ATTR_JOB_ATTEMPT,
        attrMaxAttempts: ATTR_JOB_MAX_ATTEMPTS,
        attrCurrentStep: ATTR_JOB_CURRENT_STEP,
        attrElapsed: ATTR_JOB_ELAPSED,
        attrSilence: ATTR_JOB_SILENCE,
      },
    },
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
  });

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let stopped = false;

  worker.on('message', (message: { type: string } | BlockedMessage | StackCaptureMessage) => {
    if (message.type === 'ready') markReady();
    if (message.type === 'blocked') onBlocked(message as BlockedMessage);
    if (message.type === 'stack-capture' && stackCaptures.hasSubscribers) {
      const { frames, error } = message as StackCaptureMessage;
      stackCaptures.publish({ frames, error });
    }
  });
  worker.on('error', (cause) => {
    markReady();
    ctx.onError(new Error('the event-loop watchdog thread failed', { cause }));
  });
  worker.on('exit', () => markReady());
  // After the listeners: adding a 'message' listener refs the thread again, which kept cron scripts alive.
  worker.unref();

  function onBlocked(message: BlockedMessage): void {
    try {
      blocks.add(1);
      if (message.error) {
        ctx.onError(new Error(`sending the event-loop blocked record: ${message.error}`));
      }
      const attempt = slot.current;
      const sameJob = attempt && attempt.descriptor.jobId === message.jobId;
      const totalMillis = Math.max(message.blockedMillis, Date.now() - (slot.baseMs + message.beat));
      const attributes: Record<string, string | number | string[]> = {
        [ATTR_EVENT_NAME]: LOG_EVENT_LOOP_RECOVERED,
        [ATTR_EVENT_LOOP_BLOCKED_DURATION]: totalMillis / 1000,
      };
      if (message.jobId !== undefined) attributes[ATTR_JOB_ID] = message.jobId;
      // Again here: this record also goes where a replaced log exporter sends it, and stands for the
      // thread's record when that one was lost.
      if (message.stack !== undefined) attributes[ATTR_EVENT_LOOP_BLOCKED_STACK] = message.stack;
      if (sameJob) {
        attributes[ATTR_JOB_NAME] = attempt.descriptor.jobName;
        attributes[ATTR_MESSAGING_DESTINATION_NAME] = attempt.descriptor.queue;
      }
      ctx.logger.emit({
        eventName: LOG_EVENT_LOOP_RECOVERED,
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: 'event loop recovered',
        attributes,
        context: sameJob
          ? trace.setSpanContext(ROOT_CONTEXT, {
              traceId: attempt.traceId,
              spanId: attempt.spanId,
              traceFlags: TraceFlags.SAMPLED,
            })
          : undefined,
      });
    } catch (cause) {
      ctx.onError(new Error('reporting the end of an event-loop block', { cause }));
    }
  }

  return {
    ready,
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      clearInterval(beater);
      await worker.terminate();
    },
  };
}

/** The watchdog as an SDK feature; off when `watchdog.enabled` is false. */
export const watchdogFeature: SdkFeature = {
  name: 'event-loop-watchdog',
  start(ctx) {
    if (!ctx.options.watchdog.enabled) return { stop() {} };
    return startWatchdog(ctx);
  },
};
