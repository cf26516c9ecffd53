import { randomUUID } from 'node:crypto';
import type { AlertEvent } from './alert-event.js';
import type { Finding } from './finding.js';
import type { FindingStore } from './finding-store.js';
import { applyIncidentAction, type IncidentAction, type IncidentOutcome } from './incident-state.js';
import { isReminderDue } from './reminder-due.js';

export interface IncidentLifecycleOptions {
  store: FindingStore;
  /** Unix ms. */
  clock: () => number;
  /** The analyzer's durable alert publisher. */
  publish: (event: AlertEvent) => Promise<void>;
  /**
   * The freshest copy of a finding: the evaluation loop keeps open findings in memory and saves them at
   * every evaluation, so an action must start from (and hand back to) that copy, not an older stored one.
   */
  current?: (id: string) => Finding | undefined;
  /** Told of each finding an action changed once it is stored, and of each reminded one as it is sent. */
  onChange?: (finding: Finding) => void;
  /** Hours between reminders of an open, unacknowledged finding; 0 sends none. Default 4. */
  reminderHours?: number;
}

export type IncidentResult = IncidentOutcome | { ok: false; reason: 'not_found'; message: string };

/** Most reminders sent in one evaluation, so a restart after a long outage does not flood the channels. */
const MAX_REMINDERS_PER_RUN = 100;

/**
 * Acknowledge and snooze (from the page, the API and the CLI), and reminders (from the evaluation loop).
 * Each change is stored with its transition before it is published, so a stored acknowledgement is never
 * announced twice by a retry of the request.
 */
export class IncidentLifecycle {
  private readonly reminderMillis: number;

  constructor(private readonly options: IncidentLifecycleOptions) {
    const hours = options.reminderHours ?? 4;
    if (!Number.isFinite(hours) || hours < 0)
      throw new Error(`alerts.reminderHours must be a number >= 0, got ${String(hours)}`);
    this.reminderMillis = hours * 3_600_000;
  }

  acknowledge(findingId: string, by: string): Promise<IncidentResult> {
    return this.act(findingId, { kind: 'acknowledge', by });
  }

  snooze(findingId: string, until: number, by?: string): Promise<IncidentResult> {
    return this.act(findingId, { kind: 'snooze', until, ...(by ? { by } : {}) });
  }

  /** Publishes a reminder for each due finding among `open`, and stores when it was sent. */
  async remind(open: Iterable<Finding>, now: number): Promise<Finding[]> {
    const reminded: Finding[] = [];
    for (const finding of open) {
      if (reminded.length >= MAX_REMINDERS_PER_RUN) break;
      if (!isReminderDue(finding, now, this.reminderMillis)) continue;
      const next = { ...finding, remindedAt: now };
      // Published first: the publisher is durable, and a crash before the save only repeats a reminder.
      await this.options.publish(event('reminder', next, now));
      reminded.push(next);
    }
    if (reminded.length === 0) return reminded;
    // The loop's copies first: should the store fail, the next evaluation must not remind again.
    for (const finding of reminded) this.options.onChange?.(finding);
    await this.options.store.save(reminded, []);
    return reminded;
  }

  private async act(findingId: string, action: IncidentAction): Promise<IncidentResult> {
    const finding = this.options.current?.(findingId) ?? (await this.options.store.get(findingId));
    if (!finding) return { ok: false, reason: 'not_found', message: `no finding with id ${findingId}` };
    const now = this.options.clock();
    const outcome = applyIncidentAction(finding, action, now);
    if (!outcome.ok) return outcome;
    await this.options.store.save([outcome.finding], [outcome.transition]);
    this.options.onChange?.(outcome.finding);
    if (action.kind === 'acknowledge')
      await this.options.publish({
        ...event('acknowledged', outcome.finding, now),
        transition: outcome.transition,
        actor: action.by,
      });
    return outcome;
  }
}

function event(kind: AlertEvent['kind'], finding: Finding, at: number): AlertEvent {
  return { id: randomUUID(), kind, at, finding };
}
