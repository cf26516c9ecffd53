import { ATTR_DIAGNOSTIC_MODE, LOG_DIAGNOSTIC_MODE, type WorkerStopReason } from '@joblens/semconv';
import { ActiveAttempts } from './active-attempts.js';
import type { AttemptRuntime } from './attempt/attempt-runtime.js';
import { emitSpanLog } from './attempt/job-log-records.js';
import { attemptDue, runAttempt } from './attempt/run-attempt.js';
import { StillRunningSchedule } from './attempt/still-running-schedule.js';
import { DiagnosticMode } from './diagnostic-mode.js';
import { createDisabledJoblens, isSdkDisabled } from './disabled-joblens.js';
import { writeDump } from './dump/write-dump.js';
import { FEATURES } from './features.js';
import type { Joblens, JoblensOptions } from './interfaces.js';
import { ConsumerWatch } from './metrics/consumer-watch.js';
import { EventLoopSampler } from './metrics/event-loop-sampler.js';
import { QueueWatch } from './metrics/queue-watch.js';
import { createWorkerMetrics } from './metrics/worker-metrics.js';
import { resolveOptions, unknownOptionKeys } from './options.js';
import { ContextManagerProbe } from './otel/context-manager-probe.js';
import { createPipeline } from './otel/create-pipeline.js';
import { routeOtelErrors } from './otel/route-otel-errors.js';
import { registerRunning, runningInstance } from './running-instances.js';
import type { FeatureContext, FeatureHandle } from './sdk-feature.js';
import { flushOnSignals } from './signal-flush.js';
import { CpuSinceLast } from './snapshot/cpu-since-last.js';
import { failureSnapshotAttributes } from './snapshot/failure-snapshot.js';
import { stopBeforeExit } from './stop-before-exit.js';
import { emitWorkerStopped } from './worker-stopped-record.js';

/** Queue samples run inside a metric collection; a slow source must not eat the export's time. */
const MAX_QUEUE_SAMPLE_MILLIS = 2000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Starts instrumentation for one worker process: its own OpenTelemetry providers and exporters,
 * heartbeat metrics, the hung-job timer and the optional features. Throws only for bad options.
 * With `OTEL_SDK_DISABLED=true` it returns a handle that runs jobs and exports nothing. While an
 * instance with the same `serviceInstanceId` runs, it warns (once per process) and returns that one.
 */
export function startJoblens(input: JoblensOptions = {}): Joblens {
  const resolved = resolveOptions(input);
  const userOnError = resolved.onError;
  const onError = (error: unknown): void => {
    try {
      userOnError(asError(error));
    } catch {
      // An onError that throws has nowhere further to report to.
    }
  };
  const options = { ...resolved, onError };
  // Unknown options are reported, not fatal: a typo should be seen, but must not stop a worker.
  for (const key of unknownOptionKeys(input)) onError(new Error(`joblens: unknown option ${key} is ignored`));
  if (isSdkDisabled()) return createDisabledJoblens(options.serviceInstanceId);
  const running = runningInstance(options.serviceInstanceId);
  if (running !== undefined) return running;

  let diagnostic: DiagnosticMode | undefined;
  const isDiagnostic = () => diagnostic?.on ?? options.diagnostic.enabled;
  const pipeline = createPipeline(options, isDiagnostic);
  const unrouteErrors = routeOtelErrors(onError);
  const activeAttempts = new ActiveAttempts();
  const eventLoop = new EventLoopSampler();
  const queueWatch = new QueueWatch(Math.min(MAX_QUEUE_SAMPLE_MILLIS, options.exportTimeoutMillis), onError);
  const metrics = createWorkerMetrics({
    meter: pipeline.meter,
    activeAttempts,
    queueWatch,
    eventLoop,
    heartbeatIntervalMillis: options.metricExportIntervalMillis,
    metricReaders: pipeline.metricReaders,
    onError,
  });
  const consumerWatch = new ConsumerWatch(pipeline.meter, onError);
  const stillRunning = new StillRunningSchedule(attemptDue, onError);
  const cpu = new CpuSinceLast();
  diagnostic = new DiagnosticMode(options.diagnostic.enabled, (on) => {
    try {
      emitSpanLog(pipeline.logger, undefined, LOG_DIAGNOSTIC_MODE, `diagnostic mode ${on ? 'on' : 'off'}`, {
        [ATTR_DIAGNOSTIC_MODE]: on,
      });
    } catch (error) {
      onError(new Error('reporting a diagnostic mode change', { cause: error }));
    }
  });
  const mode = diagnostic;
  let shutDown = false;

  const runtime: AttemptRuntime = {
    options,
    tracer: pipeline.tracer,
    attemptSpans: pipeline.attemptSpans,
    contextManager: new ContextManagerProbe(),
    logger: pipeline.logger,
    activeAttempts,
    metrics,
    stillRunning,
    isDiagnostic: () => mode.on,
    isShutDown: () => shutDown,
    onError,
    failureSnapshot: (descriptor, active, failedStep) =>
      failureSnapshotAttributes({
        jobId: descriptor.jobId,
        attempt: descriptor.attempt,
        active,
        failedStep,
        queueStats: queueWatch.lastSamples().get(descriptor.queue),
        activeJobs: activeAttempts.size,
        cpuSecondsSinceLast: cpu.takeSeconds(),
        eventLoopDelaySeconds: eventLoop.currentDelaySeconds(),
        memory: process.memoryUsage(),
      }),
  };

  const dump = async (trigger: string): Promise<string | undefined> => {
    try {
      return await writeDump(featureContext, trigger);
    } catch (error) {
      onError(new Error('writing a dump', { cause: error }));
      return undefined;
    }
  };

  const featureContext: FeatureContext = {
    options,
    activeAttempts,
    logger: pipeline.logger,
    meter: pipeline.meter,
    onError,
    isDiagnostic: () => mode.on,
    setDiagnosticMode: (on) => mode.set(on),
    dump,
    lastQueueSamples: () => queueWatch.lastSamples(),
    eventLoopDelaySeconds: () => eventLoop.currentDelaySeconds(),
  };

  const features: { name: string; handle: FeatureHandle }[] = [];
  for (const feature of FEATURES) {
    try {
      features.push({ name: feature.name, handle: feature.start(featureContext) });
    } catch (error) {
      onError(new Error(`starting ${feature.name}`, { cause: error }));
    }
  }

  let shutdownPromise: Promise<void> | undefined;
  // The signal handler passes `signal`; a program calling `shutdown()` gets the default.
  const shutdown = (reason: WorkerStopReason = 'shutdown'): Promise<void> => {
    shutdownPromise ??= (async () => {
      shutDown = true;
      // At once, not after the flush: a start that follows shutdown() gets a fresh instance.
      unregister();
      stopSignals();
      stopOnExit();
      for (const { name, handle } of [...features].reverse()) {
        try {
          await handle.stop();
        } catch (error) {
          onError(new Error(`stopping ${name}`, { cause: error }));
        }
      }
      stillRunning.stop();
      eventLoop.stop();
      // Before the final flush, so it goes out with it: the analyzer then knows the silence that follows
      // is a stop, not a death.
      emitWorkerStopped(pipeline.logger, options.serviceInstanceId, reason, onError);
      await pipeline.shutdown();
      unrouteErrors();
    })();
    return shutdownPromise;
  };

  const joblens: Joblens = {
    serviceInstanceId: options.serviceInstanceId,
    runAttempt: (descriptor, fn) => runAttempt(runtime, descriptor, fn),
    watchQueue: (source) => queueWatch.add(source),
    watchConsumer: (source) => consumerWatch.add(source),
    dump: (trigger = 'api') => dump(trigger),
    setDiagnosticMode: (enabled) => mode.set(enabled),
    get diagnosticMode() {
      return mode.on;
    },
    reportError: onError,
    forceFlush: () => (shutDown ? Promise.resolve() : pipeline.forceFlush()),
    shutdown: () => shutdown(),
  };
  const stopSignals = options.flushOnSignals
    ? flushOnSignals({ forceFlush: () => joblens.forceFlush(), shutdown: (reason) => shutdown(reason) })
    : () => {};
  const stopOnExit = stopBeforeExit({ shutdown: (reason) => shutdown(reason) });
  const unregister = registerRunning(joblens);
  return joblens;
}
