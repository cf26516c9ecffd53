/** The three OTLP/HTTP signals, named as in their paths (`/v1/traces`, ...). */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

export const OTLP_SIGNALS: readonly OtlpSignal[] = ['traces', 'metrics', 'logs'];

export interface RequestCount {
  signal: OtlpSignal;
  /** HTTP status code answered. */
  status: number;
  count: number;
}

function perSignal(): Record<OtlpSignal, number> {
  return { traces: 0, metrics: 0, logs: 0 };
}

/**
 * Counters kept by the OTLP receiver, read by the analyzer's /metrics endpoint. Items are spans, log
 * records or metric data points. Counters only grow.
 */
export class ReceiverStats {
  /** Items decoded and handed to the sink. */
  readonly itemsReceived = perSignal();
  /** Items dropped as invalid and reported back in partial_success. */
  readonly itemsRejected = perSignal();
  /** Requests answered 400 because the body could not be decoded. */
  readonly decodeErrors = perSignal();
  /** Requests answered 503 because the sink threw (an internal error, counted rather than crashing). */
  readonly sinkErrors = perSignal();
  /** Attribute values, names and bodies cut, and attributes, events and links dropped, by the limits. */
  readonly limitedValues = perSignal();
  /** Record times more than the allowed skew ahead of the clock, set to the clock's time. */
  readonly clampedTimestamps = perSignal();
  private readonly requestsByKey = new Map<string, RequestCount>();

  countRequest(signal: OtlpSignal, status: number): void {
    const key = `${signal} ${status}`;
    const entry = this.requestsByKey.get(key);
    if (entry === undefined) this.requestsByKey.set(key, { signal, status, count: 1 });
    else entry.count++;
  }

  /** Requests answered so far, one entry per signal and status code. */
  requests(): RequestCount[] {
    return [...this.requestsByKey.values()].map((entry) => ({ ...entry }));
  }
}
