import {
  ATTR_CONSUMER_CONNECTION,
  ATTR_CONSUMER_STATE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  CONSUMER_STATES,
  type ConsumerState,
  METRIC_CONSUMER_LAST_FETCH_TIME,
  METRIC_CONSUMERS,
} from '@joblens/semconv';
import type { Meter } from '@opentelemetry/api';
import type { ConsumerSample, ConsumerSource } from '../interfaces.js';

const STATES: ReadonlySet<string> = new Set(CONSUMER_STATES);
/** Connection statuses are the client's words; a long or odd one must not become a metric label. */
const CONNECTION_STATUS = /^[a-z_-]{1,20}$/;
/** Consumers followed per SDK instance: a program that creates one per job must not grow the series. */
const MAX_WATCHED_CONSUMERS = 100;
/** States × connection statuses × queues remembered for zeroing; past it a stale one may linger. */
const MAX_REPORTED_COMBINATIONS = 256;

/**
 * The queue consumers (BullMQ workers) an SDK instance reports on: how many are in each state and
 * connection status at every metric export (0 for the combinations seen before), and the last fetch. Sampling is synchronous and cheap (fields the consumer
 * keeps), so it needs no time bound; a source that throws is reported and skipped for that round.
 */
export class ConsumerWatch {
  readonly #sources = new Set<ConsumerSource>();
  readonly #onError: (error: unknown) => void;
  /** Every attribute set `joblens.consumers` has reported, so that one no longer current reads 0. */
  readonly #reported = new Map<string, Record<string, string>>();

  constructor(meter: Meter, onError: (error: unknown) => void) {
    this.#onError = onError;
    const consumers = meter.createObservableGauge(METRIC_CONSUMERS, {
      unit: '{consumer}',
      description: 'Queue consumers in this process, by state and connection status.',
    });
    const lastFetch = meter.createObservableGauge(METRIC_CONSUMER_LAST_FETCH_TIME, {
      unit: 's',
      description: "Unix time of a consumer's last fetch, per queue.",
    });
    meter.addBatchObservableCallback(
      (result) => {
        const counts = new Map<string, { attributes: Record<string, string>; count: number }>();
        const fetches = new Map<string, { attributes: Record<string, string>; atMs: number }>();
        for (const { source, sample } of this.sampleAll()) {
          const base = {
            [ATTR_MESSAGING_DESTINATION_NAME]: source.queue,
            [ATTR_MESSAGING_SYSTEM]: source.system,
          };
          const attributes = {
            ...base,
            [ATTR_CONSUMER_STATE]: sample.state,
            [ATTR_CONSUMER_CONNECTION]: sample.connection,
          };
          const key = JSON.stringify(attributes);
          const entry = counts.get(key);
          if (entry) entry.count += 1;
          else counts.set(key, { attributes, count: 1 });
          if (sample.lastFetchAtMs !== undefined) {
            const queueKey = `${source.system}\u0000${source.queue}`;
            const known = fetches.get(queueKey);
            if (!known || sample.lastFetchAtMs > known.atMs)
              fetches.set(queueKey, { attributes: base, atMs: sample.lastFetchAtMs });
          }
        }
        for (const [key, { attributes, count }] of counts) {
          result.observe(consumers, count, attributes);
          if (!this.#reported.has(key) && this.#reported.size < MAX_REPORTED_COMBINATIONS)
            this.#reported.set(key, attributes);
        }
        // A state left behind reads 0 rather than vanishing: OpenTelemetry keeps reporting a gauge's
        // last value for an attribute set that is no longer observed, which would leave a worker that
        // resumed still counted as paused.
        for (const [key, attributes] of this.#reported)
          if (!counts.has(key)) result.observe(consumers, 0, attributes);
        for (const { attributes, atMs } of fetches.values())
          result.observe(lastFetch, atMs / 1000, attributes);
      },
      [consumers, lastFetch],
    );
  }

  add(source: ConsumerSource): () => void {
    if (!source || typeof source.sample !== 'function' || typeof source.queue !== 'string') {
      this.#onError(new Error('watchConsumer: the source needs a queue name and a sample() method'));
      return () => {};
    }
    if (this.#sources.size >= MAX_WATCHED_CONSUMERS) {
      this.#onError(new Error(`watchConsumer: already watching ${MAX_WATCHED_CONSUMERS} consumers`));
      return () => {};
    }
    this.#sources.add(source);
    return () => {
      this.#sources.delete(source);
    };
  }

  /** Each source's sample, cleaned to the documented values; a throwing source is left out. */
  sampleAll(): {
    source: ConsumerSource;
    sample: Required<Pick<ConsumerSample, 'state' | 'connection'>> & ConsumerSample;
  }[] {
    const samples = [];
    for (const source of this.#sources) {
      try {
        const sample = source.sample();
        if (!STATES.has(sample.state)) throw new Error(`unknown state ${JSON.stringify(sample.state)}`);
        const state: ConsumerState = sample.state;
        const connection =
          typeof sample.connection === 'string' && CONNECTION_STATUS.test(sample.connection)
            ? sample.connection
            : 'unknown';
        const lastFetchAtMs =
          typeof sample.lastFetchAtMs === 'number' && Number.isFinite(sample.lastFetchAtMs)
            ? sample.lastFetchAtMs
            : undefined;
        samples.push({ source, sample: { state, connection, lastFetchAtMs } });
      } catch (error) {
        this.#onError(new Error(`sampling the consumer of queue ${source.queue}`, { cause: error }));
      }
    }
    return samples;
  }
}
