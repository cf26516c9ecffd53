import type { MonitorEvent } from './monitor-event.js';
import type { PingRecord, StoredTransition } from './monitor-store.js';

/**
 * Rows of `monitor_pings` and `monitor_transitions` as both backends return them (same column names;
 * `detail` already parsed). Absent run ids and exit codes are NULL in the row and missing in the record.
 */
export function pingFromRow(slug: string, row: Record<string, unknown>): PingRecord {
  const event = { type: row.type, atMs: row.at } as Record<string, unknown>;
  if (row.run_id !== null) event.runId = row.run_id;
  if (row.exit_code !== null) event.exitCode = row.exit_code;
  const ping: PingRecord = {
    seq: Number(row.seq),
    slug,
    event: event as unknown as MonitorEvent,
    source: row.source as string,
    detail: row.detail as Record<string, unknown>,
  };
  if (row.body !== null) ping.body = row.body as string;
  return ping;
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
