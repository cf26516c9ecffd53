import { setTimeout as sleep } from 'node:timers/promises';
import type { ObservedFinding } from './attribute-finding.js';
import type { FaultLedger, LedgerEntry } from './fault-ledger.js';
import { fetchFindings } from './finding-poller.js';
import type { InterruptSignal } from './interrupt-signal.js';

export interface WatchFindingsOptions {
  apiUrl: string;
  ledger: FaultLedger;
  interrupt: InterruptSignal;
  /** Unix ms when the demo stops waiting for faults to be found. */
  deadlineMs: number;
  /** After every fault is found, end once this long has passed without a new false finding. */
  quietMillis: number;
  /** Default 1000. */
  pollEveryMillis?: number;
  onFinding(entry: LedgerEntry): void;
  /** A finding already handed on changed severity (it is the same finding, updated, not a new one). */
  onSeverityChange?(finding: ObservedFinding, previousSeverity: string): void;
  /** After each poll; `pollError` says why the analyzer's API could not be read this time. */
  onTick(pollError?: string): void;
}

export type WatchEnd = 'all-found' | 'deadline' | 'interrupted';

/**
 * Polls the analyzer's findings until every fault is found and a quiet period passed, the deadline
 * comes, or the person interrupts. Each finding is handed on once, the first time it is seen, and
 * again only as one line when its severity changes.
 */
export async function watchFindings(options: WatchFindingsOptions): Promise<WatchEnd> {
  const { ledger, interrupt } = options;
  let allFoundAtMs: number | undefined;
  const interrupted = interrupt.promise.then(() => 'interrupted' as const);
  for (;;) {
    let pollError: string | undefined;
    try {
      const now = Date.now();
      for (const finding of await fetchFindings(options.apiUrl)) {
        const entry = ledger.record(finding, now);
        if (entry) options.onFinding(entry);
        else {
          const previous = ledger.severityChange(finding);
          if (previous !== undefined) options.onSeverityChange?.(finding, previous);
        }
      }
    } catch (error) {
      pollError = error instanceof Error ? error.message : String(error);
    }
    const now = Date.now();
    options.onTick(pollError);
    if (ledger.allFound()) {
      allFoundAtMs ??= now;
      if (now - Math.max(allFoundAtMs, ledger.lastFalseFindingAtMs()) >= options.quietMillis)
        return 'all-found';
    }
    if (now >= options.deadlineMs) return 'deadline';
    const next = await Promise.race([
      sleep(options.pollEveryMillis ?? 1000).then(() => 'tick' as const),
      interrupted,
    ]);
    if (next === 'interrupted' || interrupt.received) return 'interrupted';
  }
}
