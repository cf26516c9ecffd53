import type { MonitorEvent } from './monitor-event.js';
import type { PingRecord, StoredTransition } from './monitor-store.js';

/**
 * Rows of `monitor_pings` and `monitor_transitions` as both backends return them (same column names;
 * `detail` already parsed). Absent run ids and exit codes are NULL in the row and missing in the record.
 */
export function pingFromRow(slug: string, row: Record<string, unknown>): PingRecord {
  const ping: PingRecord = {
    seq: Number(row.seq),
    slug,
    event: eventFromRow(row),
    source: row.source as string,
    detail: row.detail as Record<string, unknown>,
  };
  if (row.body !== null) ping.body = row.body as string;
  return ping;
}

/** The stored event, one variant per type; a type this code does not know is a corrupt row, not a guess. */
function eventFromRow(row: Record<string, unknown>): MonitorEvent {
  const atMs = Number(row.at);
  const runId = row.run_id === null || row.run_id === undefined ? undefined : String(row.run_id);
  const run = runId === undefined ? {} : { runId };
  switch (row.type) {
    case 'start':
    case 'success':
    case 'retry':
      return { type: row.type, atMs, ...run };
    case 'failure':
      return {
        type: 'failure',
        atMs,
        ...run,
        ...(row.exit_code === null || row.exit_code === undefined ? {} : { exitCode: Number(row.exit_code) }),
      };
    case 'pause':
    case 'resume':
      return { type: row.type, atMs };
    default:
      throw new Error(`monitor_pings: unknown event type ${JSON.stringify(row.type)}`);
  }
}

export function transitionFromRow(slug: string, row: Record<string, unknown>): StoredTransition {
  const t: StoredTransition = {
    slug,
    atMs: row.at as number,
    from: row.from_state as StoredTransition['from'],
    to: row.to_state as StoredTransition['to'],
    reason: row.reason as string,
  };
  if (row.run_id !== null) t.runId = row.run_id as string;
  if (row.exit_code !== null) t.exitCode = row.exit_code as number;
  return t;
}
