import type { FindingStore } from '../findings/finding-store.js';
import type { HistoryStore } from '../history/history-store.js';
import type { Logger } from '../log/logger.js';
import type { TelemetryModelOptions } from '../model/model-options.js';

/** Things tests and embedders may supply instead of the defaults the config implies. */
export interface AnalyzerDependencies {
  /**
   * Findings go here instead of the configured database; the alerts its saves raise go to that store's own
   * outbox, so give it the analyzer's database (tests of a failing store).
   */
  store?: FindingStore;
  /** The owner recorded on the findings this analyzer raises. Default: see `instanceName`. */
  instanceName?: string;
  /** Current time in Unix ms. Default `Date.now`. */
  clock?: () => number;
  /** Bounds of the job model's windows (defaults in model-options.ts). */
  model?: TelemetryModelOptions;
  /** The heap's used share of its limit (0..1). Default: read from V8 (tests pass their own). */
  heapUsedShare?: () => number;
  /** Runs a full garbage collection once the model freed memory under heap pressure. Default: V8's. */
  collectGarbage?: () => void;
  /** The job history goes here instead of PostgreSQL (with a database URL) or the SQLite file. */
  history?: HistoryStore;
  /** False: finished attempts are not written to the job history (benchmarks compare). Default true. */
  recordHistory?: boolean;
  /** Where failures, recoveries and refused work are told. Default {@link stderrLogger}: one line each on stderr. */
  logger?: Logger;
}
