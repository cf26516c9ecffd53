import { type Logger, stderrLogger } from '../log/logger.js';
import type { HistoryStore } from './history-store.js';

const DAY_MILLIS = 86_400_000;

export interface HistoryRetentionOptions {
  store: HistoryStore;
  /** Current time in Unix ms. */
  clock: () => number;
  /** Attempts that ended longer ago than this are deleted. */
  retentionDays: number;
  /** Past this size the oldest attempts go too. */
  maxBytes: number;
  /** How often to prune. Default 300000 (5 minutes): deleting a few minutes' attempts at a time stays quick. */
  intervalMillis?: number;
  /** Where a failed prune is told. Default stderrLogger. */
  logger?: Logger;
}

/**
 * Prunes the job history by age and size in the background, on a timer that does not keep the process
 * alive. A prune still running when the next is due is not doubled; a failed one is logged and tried
 * again at the next interval (the history only grows a little meanwhile).
 */
export class HistoryRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: HistoryRetentionOptions) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.pruneNow(), this.options.intervalMillis ?? 300_000);
    this.timer.unref();
  }

  /** Prunes once now; resolves with the attempts deleted (0 when it failed). */
  pruneNow(): Promise<number> {
    if (this.running !== undefined) return this.running;
    const { store, clock, retentionDays, maxBytes } = this.options;
    this.running = store
      .prune({ olderThanMs: clock() - retentionDays * DAY_MILLIS, maxBytes })
      .then(
        (result) => result.deletedAttempts,
        (error: Error) => {
          (this.options.logger ?? stderrLogger).error('pruning the job history failed', error);
          return 0;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the timer and waits for a prune under way, so that the store can be closed after. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
