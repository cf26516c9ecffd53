import type { Health } from '../api/health-router.js';
import type { AttachedHistory } from '../history/attach-history.js';
import type { AnalyzerMetrics } from '../metrics/analyzer-metrics.js';
import type { TelemetryModel } from '../model/telemetry-model.js';
import type { HeapGuard } from '../overload/heap-guard.js';
import type { StoreHealth } from './store-health.js';

/** Seconds a sender is asked to wait while the store fails or the model cannot keep up. */
const OVERLOAD_RETRY_AFTER_SECONDS = 5;
/** `/healthz` reports overload while the receiver shed a request within this long. */
const SHED_REPORT_MILLIS = 10_000;

/** What the OTLP receiver's load shedder counts, as /healthz reports it. */
interface ShedderCounts {
  readonly inFlightRequests: number;
  readonly bufferedBytes: number;
  readonly shed: { readonly requests: number; readonly bytes: number };
  /** When the last request was shed, in Unix ms. */
  readonly lastShedMs: number;
}

export interface OverloadReportInput {
  clock: () => number;
  startedAt: number;
  storeHealth: StoreHealth;
  history: Pick<AttachedHistory, 'overloadReason'>;
  heapGuard: HeapGuard;
  shedder: ShedderCounts;
  metrics: Pick<AnalyzerMetrics, 'jobSeriesCount'>;
  model: Pick<TelemetryModel, 'windowSizes'>;
  /** How many findings the evaluation loop holds open. */
  openFindings: () => number;
}

/** Whether the analyzer refuses telemetry now, and why: for the receiver's back pressure and `/healthz`. */
export interface OverloadReport {
  /** The Retry-After the receiver answers 503 with while the store, the history or the heap is overloaded. */
  retryAfterSeconds(): number | undefined;
  health(): Health;
}

export function createOverloadReport(input: OverloadReportInput): OverloadReport {
  const { clock, storeHealth, history, heapGuard, shedder } = input;

  /** Why the analyzer refuses or sheds telemetry now; empty while it takes everything. */
  function reasons(): string[] {
    const found: string[] = [];
    const storeError = storeHealth.error;
    if (storeError) found.push(`the finding store fails: ${storeError.message}`);
    const historyReason = history.overloadReason();
    if (historyReason !== undefined) found.push(historyReason);
    if (heapGuard.overloaded)
      found.push(`heap at ${Math.round(heapGuard.share * 100)}% of its limit: ingest refused until it falls`);
    if (clock() - shedder.lastShedMs < SHED_REPORT_MILLIS)
      found.push(`shedding load: OTLP requests refused with 429 in the last ${SHED_REPORT_MILLIS / 1000} s`);
    return found;
  }

  return {
    retryAfterSeconds: () =>
      storeHealth.error || heapGuard.overloaded || history.overloadReason() !== undefined
        ? OVERLOAD_RETRY_AFTER_SECONDS
        : undefined,
    health(): Health {
      const found = reasons();
      const storeError = storeHealth.error;
      return {
        ok: found.length === 0,
        reasons: found,
        uptimeSeconds: (clock() - input.startedAt) / 1000,
        counts: {
          openFindings: input.openFindings(),
          heapUsedShare: heapGuard.share,
          inFlightRequests: shedder.inFlightRequests,
          bufferedBytes: shedder.bufferedBytes,
          shedRequests: shedder.shed.requests + shedder.shed.bytes,
          jobSeries: input.metrics.jobSeriesCount,
          ...input.model.windowSizes(),
        },
        store: storeError ? { ok: false, error: storeError.message } : { ok: true },
      };
    },
  };
}
