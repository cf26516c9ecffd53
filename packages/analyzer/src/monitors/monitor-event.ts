/**
 * What happens to a monitor: signals from pings and telemetry, and pauses from people. The
 * evaluator reads these in time order; the store keeps them (as pings) for the history page.
 */
export type MonitorEvent =
  | {
      type: 'start';
      atMs: number;
      /** Pairs a start with its end; '' or absent for an anonymous run (a new one replaces the last). */
      runId?: string;
    }
  | { type: 'success'; atMs: number; runId?: string }
  | { type: 'failure'; atMs: number; runId?: string; exitCode?: number }
  /** An attempt ended and a retry is scheduled: its run closes with no verdict on the scheduled work. */
  | { type: 'retry'; atMs: number; runId?: string }
  | { type: 'pause'; atMs: number }
  | { type: 'resume'; atMs: number };
