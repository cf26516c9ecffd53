import { MESSAGING_SYSTEM_BULLMQ } from '@joblens/semconv';
import type { Job, Processor } from 'bullmq';
import type { AttemptDescriptor, JobContext, Joblens } from '../../interfaces.js';
import { classifyBullmqFailure } from './classify-bullmq-failure.js';
import { type PreviousAttempt, PreviousAttempts } from './previous-attempts.js';
import { producerCarrierOf } from './trace-context.js';

/** A BullMQ processor that may also take the running attempt's {@link JobContext} (for steps and checkpoints). */
export type InstrumentedProcessor<
  DataType = unknown,
  ResultType = unknown,
  NameType extends string = string,
> = (
  job: Job<DataType, ResultType, NameType>,
  token: string | undefined,
  signal: AbortSignal | undefined,
  attempt: JobContext,
) => Promise<ResultType>;

/** All optional. */
export type WithJoblensOptions<DataType = unknown> = {
  /** Heartbeat monitor the jobs check in to. Default none. */
  monitorSlug?: string | ((job: Job<DataType>) => string | undefined);
  /** Extra low-cardinality span attributes per job. Default none. */
  attributes?: (job: Job<DataType>) => Record<string, string | number | boolean>;
  /** Receives the adapter's own errors (Redis trouble remembering attempts). Default: the SDK's `onError`. */
  onError?: (error: Error) => void;
};

function validate(options: WithJoblensOptions<never>): void {
  for (const name of ['attributes', 'onError'] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new Error(`joblens: option ${name} of withJoblens must be a function, got ${typeof value}`);
    }
  }
  const slug = options.monitorSlug;
  if (slug !== undefined && typeof slug !== 'string' && typeof slug !== 'function') {
    throw new Error(
      `joblens: option monitorSlug of withJoblens must be a string or a function, got ${typeof slug}`,
    );
  }
}

/** Calls a user callback; its failure is reported and costs only the value it would have given. */
function safely<T>(fn: () => T, onError: (error: Error) => void, what: string): T | undefined {
  try {
    return fn();
  } catch (cause) {
    onError(new Error(what, { cause }));
    return undefined;
  }
}

function describe<DataType>(
  job: Job<DataType>,
  previous: PreviousAttempt | undefined,
  options: WithJoblensOptions<DataType>,
  onError: (error: Error) => void,
): AttemptDescriptor {
  const nowMs = Date.now();
  // A retry became ready when its backoff ended; a first attempt when its initial delay ended.
  const readyAtMs = previous
    ? previous.endedAtMs + (previous.retryDelayMillis ?? 0)
    : job.timestamp + Math.max(0, job.opts.delay ?? 0);
  const slug = options.monitorSlug;
  const monitorSlug =
    typeof slug === 'function' ? safely(() => slug(job), onError, 'computing monitorSlug') : slug;
  const attributes = options.attributes;
  return {
    queue: job.queueName,
    jobName: job.name,
    jobId: String(job.id),
    attempt: job.attemptsMade + 1,
    maxAttempts: job.opts.attempts ?? 1,
    system: MESSAGING_SYSTEM_BULLMQ,
    readyAtMs: Number.isFinite(readyAtMs) ? Math.min(readyAtMs, nowMs) : undefined,
    fetchedAtMs: job.processedOn,
    producerCarrier: producerCarrierOf(job),
    previousAttempt: previous ? { traceId: previous.traceId, spanId: previous.spanId } : undefined,
    monitorSlug,
    attributes: attributes && safely(() => attributes(job), onError, 'computing attributes'),
    classifyFailure: classifyBullmqFailure.bind(null, job),
  };
}

/**
 * Wraps a BullMQ processor so each attempt runs under joblens, with BullMQ's job id, attempt
 * number (`attemptsMade + 1`), `opts.attempts`, queue wait and retry classification; the
 * processor's result or error passes through untouched. One line to adopt:
 *
 * ```ts
 * new Worker('emails', withJoblens(joblens, async (job) => send(job.data)), { connection });
 * ```
 */
export function withJoblens<DataType = unknown, ResultType = unknown, NameType extends string = string>(
  joblens: Joblens,
  processor: InstrumentedProcessor<DataType, ResultType, NameType>,
  options: WithJoblensOptions<DataType> = {},
): Processor<DataType, ResultType, NameType> {
  if (typeof processor !== 'function') {
    throw new Error(`joblens: withJoblens needs a processor function, got ${typeof processor}`);
  }
  validate(options as WithJoblensOptions<never>);
  const onError = options.onError ?? ((error: Error) => joblens.reportError(error));
  const previousAttempts = new PreviousAttempts();

  const start = (
    job: Job<DataType, ResultType, NameType>,
    token: string | undefined,
    signal: AbortSignal | undefined,
    previous: PreviousAttempt | undefined,
  ): Promise<ResultType> => {
    const descriptor = describe(job as Job<DataType>, previous, options, onError);
    const state: ProcessorRun<DataType, ResultType, NameType> = {
      processor,
      job,
      token,
      signal,
      previousAttempts,
      onError,
    };
    // `bind` rather than a closure: tsx keeps function names by redefining `name` on every closure
    // it creates, which costs more than the rest of this wrapper on a job's hot path.
    const runThisJob: (run: typeof state, ctx: JobContext) => Promise<ResultType> = runProcessor;
    return joblens.runAttempt(descriptor, runThisJob.bind(null, state));
  };
  const startRetry = async (
    job: Job<DataType, ResultType, NameType>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ResultType> => {
    let previous: PreviousAttempt | undefined;
    try {
      previous = await previousAttempts.read(job);
    } catch (cause) {
      onError(new Error(`reading the previous attempt of job ${job.id}`, { cause }));
    }
    return start(job, token, signal, previous);
  };
  const run = (
    job: Job<DataType, ResultType, NameType>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ResultType> =>
    // Only a job that ran before has a previous attempt: first attempts cost no round trip (and
    // no extra promise).
    job.attemptsMade > 0 || (job.attemptsStarted ?? 0) > 1
      ? startRetry(job, token, signal)
      : start(job, token, signal, undefined);
  // BullMQ creates an AbortController for every job of a processor declaring three or more
  // parameters (it reads `length`), so the wrapper declares the signal only when the wrapped
  // processor does: a processor that never takes one should not pay for it per job.
  if (processor.length >= 3) return (job, token, signal) => run(job, token, signal);
  return (job, token) => run(job, token, undefined);
}

type ProcessorRun<DataType, ResultType, NameType extends string> = {
  processor: InstrumentedProcessor<DataType, ResultType, NameType>;
  job: Job<DataType, ResultType, NameType>;
  token: string | undefined;
  signal: AbortSignal | undefined;
  previousAttempts: PreviousAttempts;
  onError: (error: Error) => void;
};

async function runProcessor<DataType, ResultType, NameType extends string>(
  run: ProcessorRun<DataType, ResultType, NameType>,
  ctx: JobContext,
): Promise<ResultType> {
  const { job } = run;
  try {
    return await run.processor(job, run.token, run.signal, ctx);
  } catch (error) {
    const verdict = classifyBullmqFailure(job, error);
    if (verdict.outcome === 'retry_scheduled') {
      // Awaited before BullMQ hears of the failure, so the retry (on any worker) finds it.
      try {
        await run.previousAttempts.write(job, {
          traceId: ctx.traceId,
          spanId: ctx.spanId,
          endedAtMs: Date.now(),
          retryDelayMillis: verdict.retryDelayMillis,
        });
      } catch (cause) {
        run.onError(new Error(`remembering the failed attempt of job ${job.id}`, { cause }));
      }
    }
    throw error;
  }
}
