import type { HistoryAttempt } from './history-store.js';

/**
 * What one stored attempt costs beyond its text: the row's integers and header, its entries in the
 * attempts' indexes and its share of its job's row and that row's indexes. Measured on a table of attempts
 * beside one of jobs, as the PostgreSQL history keeps them, with short texts (about 330 bytes per attempt
 * all told, of which ~130 are text) and rounded. The SQLite history keeps a job's attempts in its row and
 * estimates them its own way (see jobColumnsOf).
 */
const ATTEMPT_OVERHEAD_BYTES = 200;

/**
 * About how many bytes an attempt takes in the history, for retention by size. An estimate kept per row
 * and summed as rows come and go, rather than measured: SQLite's dbstat is not always compiled in, and
 * neither a SQLite file nor a PostgreSQL table shrinks when rows are deleted, so a measured size would
 * never fall below the limit that pruning aims for. Characters stand in for bytes (exact for ASCII).
 */
export function estimateAttemptBytes(attempt: HistoryAttempt, stepsJson: string): number {
  return (
    ATTEMPT_OVERHEAD_BYTES +
    attempt.worker.length +
    attempt.host.length +
    (attempt.errorType?.length ?? 0) +
    (attempt.errorMessage?.length ?? 0) +
    stepsJson.length +
    (attempt.longestGapLocation?.length ?? 0) +
    // Trace and span ids are in the row and again in the unique index.
    2 * (attempt.traceId.length + attempt.spanId.length)
  );
}
