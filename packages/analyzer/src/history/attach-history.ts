import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../log/logger.js';
import type { TelemetryModel } from '../model/telemetry-model.js';
import { HistoryRetention } from './history-retention.js';
import type { HistoryStore } from './history-store.js';
import { HistoryWriter } from './history-writer.js';

export interface AttachHistoryOptions {
  store: HistoryStore;
  model: TelemetryModel;
  clock: () => number;
  registry: Registry;
  retentionDays: number;
  maxBytes: number;
  /** False: nothing is captured or written (the history can still be read). Default true. */
  record?: boolean;
  /** Settle delay of the writer (see HistoryWriterOptions). */
  settleMillis?: number;
  /** Where the writer's and the pruning's failures are told. */
  logger: Logger;
}

export interface AttachedHistory {
  readonly store: HistoryStore;
  /** Undefined when the history is not recorded. */
  readonly writer: HistoryWriter | undefined;
  /** Why telemetry is to be refused now (the store fails, or the writer fell a queue behind); else undefined. */
  overloadReason(): string | undefined;
  /** Starts the writer's timer and the retention pruning. */
  start(): void;
  /** Writes what is captured (waiting at most `waitMillis`), stops pruning and closes the store. */
  stop(waitMillis: number): Promise<void>;
}

/**
 * Connects the job history to the analyzer: the model's finished attempts go to a writer, the history is
 * pruned in the background, and the writer's state is counted in /metrics and told to the overload check.
 */
export function attachHistory(options: AttachHistoryOptions): AttachedHistory {
  const { store, model, clock } = options;
  const writer =
    options.record === false
      ? undefined
      : new HistoryWriter({
          store,
          clock,
          longestGapOf: (attempt) => model.attemptLongestGap(attempt),
          settleMillis: options.settleMillis,
          logger: options.logger,
        });
  const stopListening =
    writer === undefined ? () => {} : model.listen({ finishedAttempt: (attempt) => writer.capture(attempt) });
  const retention = new HistoryRetention({
    store,
    clock,
    retentionDays: options.retentionDays,
    maxBytes: options.maxBytes,
    logger: options.logger,
  });
  if (writer !== undefined) registerHistoryMetrics(options.registry, writer);

  return {
    store,
    writer,
    overloadReason() {
      if (writer === undefined) return undefined;
      if (writer.error !== undefined) return `the job history store fails: ${writer.error.message}`;
      if (writer.overloaded)
        return `the job history is ${writer.backlog} attempts behind (${writer.queued} held in all)`;
      return undefined;
    },
    start() {
      writer?.start();
      retention.start();
    },
    async stop(waitMillis) {
      stopListening();
      await writer?.stop(waitMillis);
      await retention.stop();
      await store.close();
    },
  };
}

/** Counters that follow the writer's own, read at each scrape. */
function registerHistoryMetrics(registry: Registry, writer: HistoryWriter): void {
  const followed = (name: string, help: string, read: () => number) => {
    let reported = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read();
        if (value > reported) this.inc(value - reported);
        reported = value;
      },
    });
  };
  followed(
    'joblens_analyzer_history_attempts_written_total',
    'Finished attempts written to the job history.',
    () => writer.counts.written,
  );
  followed(
    'joblens_analyzer_history_append_failures_total',
    'Batches of attempts the job history store refused (retried until it takes them).',
    () => writer.counts.failedAppends,
  );
  followed(
    'joblens_analyzer_history_attempts_dropped_total',
    'Attempts not written because the history queue was far past full (the store failing under a flood).',
    () => writer.counts.dropped,
  );
  new Gauge({
    name: 'joblens_analyzer_history_queued_attempts',
    help: 'Finished attempts waiting to be written to the job history.',
    registers: [registry],
    collect() {
      this.set(writer.queued);
    },
  });
}
