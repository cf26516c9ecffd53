import type { AlertRoute, RouteMatch } from '../config/alerts-config.js';
import type { AlertEvent, AlertPublisher } from '../findings/alert-event.js';
import type { QueuedAlert } from '../findings/finding-store.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import type { AlertChannel } from './alert-channel.js';
import type { AlertOutbox, OutboxEntry } from './alert-outbox.js';
import { matchesRoute, routeEvent } from './route-event.js';

/** What became of one try, for joblens_analyzer_alert_deliveries_total{channel,result}. */
export type DeliveryResult = 'sent' | 'retried' | 'dead' | 'skipped';

export interface AlertDelivererOptions {
  outbox: AlertOutbox;
  channels: readonly AlertChannel[];
  routes: readonly AlertRoute[];
  /** Channels that get every event whatever the routes say (the `alertWebhookUrl` shorthand). */
  unroutedChannels?: readonly string[];
  /** A delivery still failing this long after its event is dead-lettered. Default 24 h. */
  retryForMillis?: number;
  /** Ceiling of the backoff before the second try; it doubles each try, with full jitter. Default 1000. */
  initialBackoffMillis?: number;
  /** Ceiling of one backoff. Default 1 h: a receiver back after a long outage hears within the hour. */
  maxBackoffMillis?: number;
  /** How often the outbox is read for due retries; new events wake the loop at once. Default 1000. */
  pollIntervalMillis?: number;
  /** Rows taken per pass. Default 100. */
  batchSize?: number;
  /** The finding as it is now, for snoozes set after an event was queued. */
  currentFinding?: (id: string) => Promise<{ snoozedUntil?: number } | undefined>;
  /**
   * Reloads the channels created through the API: on a shared database another analyzer may have added
   * or removed one. Called every `CHANNEL_SYNC_MILLIS`, and before a row for an unknown channel is
   * dead-lettered.
   */
  syncChannels?: () => Promise<void>;
  clock?: () => number;
  /** 0 ≤ x < 1, for jitter. Default Math.random. */
  random?: () => number;
  onResult?: (channel: string, result: DeliveryResult, error?: string) => void;
  /** Where an outage of the outbox and its end are told, once each. Default {@link stderrLogger}. */
  logger?: Logger;
}

/** How often the outbox forgets old delivered rows and surplus dead letters. */
const PRUNE_INTERVAL_MILLIS = 3600_000;
/** How often the API-created channels are reloaded, for those another analyzer added or removed. */
const CHANNEL_SYNC_MILLIS = 10_000;
/**
 * How long a claimed row is hidden from the other analyzers' loops. A pass sends a channel's rows one
 * after the other, each bounded by the channel's timeout, and a failing channel stops after one try: two
 * minutes is far beyond a pass. Should an analyzer die mid-send, another sends its rows after this.
 */
const CLAIM_LEASE_MILLIS = 120_000;

/** Kinds a snooze silences; an acknowledgement or a resolution still goes out. */
const SNOOZABLE = new Set<AlertEvent['kind']>(['raised', 'reminder']);

/**
 * The outbox's delivery loop and the publisher that fills it. `publish` writes one row per routed
 * channel before it resolves (durable with the analyzer's synchronous=FULL database); the loop sends due
 * rows, one channel's rows in order and channels side by side, so a dead receiver never holds up the
 * others. A row is marked only after its try ends: a kill -9 mid-send means one more send after the
 * restart (at least once), never none.
 */
export class AlertDeliverer implements AlertPublisher {
  private readonly channels: Map<string, AlertChannel>;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly retryForMillis: number;
  private readonly initialBackoffMillis: number;
  private readonly maxBackoffMillis: number;
  private readonly pollIntervalMillis: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private running = false;
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private lastChannelSyncAt = Number.NEGATIVE_INFINITY;
  private claimsReleased = false;
  /** Whether the last pass failed as a whole (the outbox unreachable), so the next failure is not logged again. */
  private failing = false;
  private readonly logger: Logger;
  /** Channels added at run time (created through the API), outside the routes: each with its own match. */
  private readonly added = new Map<string, RouteMatch | undefined>();

  constructor(private readonly options: AlertDelivererOptions) {
    this.channels = new Map(options.channels.map((c) => [c.name, c]));
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.retryForMillis = options.retryForMillis ?? 24 * 3600_000;
    this.initialBackoffMillis = options.initialBackoffMillis ?? 1000;
    this.maxBackoffMillis = options.maxBackoffMillis ?? 3600_000;
    this.pollIntervalMillis = options.pollIntervalMillis ?? 1000;
    this.batchSize = options.batchSize ?? 100;
  }

  /** The channel names an event goes to. */
  channelsFor(event: AlertEvent): string[] {
    const configured = [...this.channels.keys()].filter((name) => !this.added.has(name));
    const routed = routeEvent(event, this.options.routes, configured);
    const added = [...this.added].filter(([, match]) => matchesRoute(match, event)).map(([name]) => name);
    return [...new Set([...routed, ...(this.options.unroutedChannels ?? []), ...added])];
  }

  /** Whether a channel of that name exists, from the config file or added. */
  hasChannel(name: string): boolean {
    return this.channels.has(name);
  }

  /** Adds a channel outside the routes: it gets the events `match` picks (every event without one). */
  addChannel(channel: AlertChannel, match?: RouteMatch): void {
    this.channels.set(channel.name, channel);
    this.added.set(channel.name, match);
  }

  /**
   * Removes an added channel; deliveries still queued for it are dead-lettered when due. Channels from
   * the config file stay: the operator wrote them there.
   */
  removeChannel(name: string): boolean {
    if (!this.added.delete(name)) return false;
    this.channels.get(name)?.close?.();
    this.channels.delete(name);
    return true;
  }

  /** The outbox rows of events, for a store to write in the transaction that records what caused them. */
  queued(events: readonly AlertEvent[]): QueuedAlert[] {
    const at = this.clock();
    return events
      .map((event) => ({ event, channels: this.channelsFor(event), at }))
      .filter((alert) => alert.channels.length > 0);
  }

  async publish(event: AlertEvent): Promise<void> {
    const alerts = this.queued([event]);
    if (alerts.length > 0) await this.options.outbox.enqueue(alerts);
    this.wake();
  }

  /** Starts the loop: rows left pending by an earlier process go out first. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  /** Asks for a pass now (after rows were enqueued outside `publish`). */
  wake(): void {
    if (!this.running) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.pass = this.deliverDue()
      .then(
        (settled) => {
          if (this.failing) this.logger.info('delivering alerts works again');
          this.failing = false;
          return settled;
        },
        (error) => {
          // Once per outage: a database away for an hour must not log a stack every second.
          if (!this.failing) this.logger.error('delivering alerts failed (retrying quietly)', error);
          this.failing = true;
          return 0;
        },
      )
      .then((settled) => {
        this.pass = undefined;
        if (!this.running) return;
        // A settled row may have let the next event of its finding through: go on at once.
        if (this.again || settled > 0) {
          this.again = false;
          this.wake();
          return;
        }
        this.timer = setTimeout(() => this.wake(), this.pollIntervalMillis);
        // Pending retries must not keep a stopping analyzer alive.
        this.timer.unref();
      });
  }

  /**
   * One pass over the due rows; resolves, once every try in it ended, with the number of rows settled
   * (sent, skipped or dead). Tests call it directly.
   */
  async deliverDue(): Promise<number> {
    const now = this.clock();
    if (now - this.lastPruneAt >= PRUNE_INTERVAL_MILLIS) {
      this.lastPruneAt = now;
      await this.options.outbox.prune(now);
    }
    if (now - this.lastChannelSyncAt >= CHANNEL_SYNC_MILLIS) await this.syncChannels(now);
    if (!this.claimsReleased) {
      await this.options.outbox.releaseClaims();
      this.claimsReleased = true;
    }
    const due = await this.options.outbox.claimDue(now, this.batchSize, CLAIM_LEASE_MILLIS);
    if (due.some((entry) => !this.channels.has(entry.channel))) await this.syncChannels(now);
    due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    const byChannel = new Map<string, OutboxEntry[]>();
    for (const entry of due) byChannel.set(entry.channel, [...(byChannel.get(entry.channel) ?? []), entry]);
    let settled = 0;
    await Promise.all(
      [...byChannel.values()].map(async (entries) => {
        // A channel that fails gets no more tries this pass: a receiver timing out costs the pass one
        // timeout, not one per queued row, and the other channels' next pass is not held up behind it.
        for (const entry of entries) {
          if (!(await this.deliverOne(entry))) break;
          settled++;
        }
      }),
    );
    return settled;
  }

  /** Waits up to `timeoutMillis` for the pass in flight, then stops; pending rows wait for the next start. */
  async stop(timeoutMillis = 2000): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const pass = this.pass;
    if (pass) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pass, new Promise((r) => (timer = setTimeout(r, timeoutMillis)))]);
      clearTimeout(timer);
    }
    for (const channel of this.channels.values()) channel.close?.();
  }

  /** Tries one row; false when the channel failed and should get no more tries this pass. */
  private async deliverOne(entry: OutboxEntry): Promise<boolean> {
    const channel = this.channels.get(entry.channel);
    if (!channel) return this.finish(entry, 'dead', `channel ${entry.channel} is no longer configured`);
    if (await this.snoozed(entry.event)) return this.finish(entry, 'skipped', 'the finding is snoozed');
    const outcome = await channel
      .deliver({ id: entry.id, event: entry.event })
      .catch((error: unknown) => ({ ok: false as const, retryable: true, error: String(error) }));
    if (outcome.ok) return this.finish(entry, 'sent');
    const now = this.clock();
    const attempts = entry.attempts + 1;
    if (!outcome.retryable || now - entry.createdAt >= this.retryForMillis) {
      return this.finish({ ...entry, attempts }, 'dead', outcome.error);
    }
    const ceiling = Math.min(this.maxBackoffMillis, this.initialBackoffMillis * 2 ** (attempts - 1));
    const nextAttemptAt = now + this.random() * ceiling;
    await this.options.outbox.record({ ...entry, attempts, nextAttemptAt, lastError: outcome.error });
    this.options.onResult?.(entry.channel, 'retried', outcome.error);
    return false;
  }

  private async syncChannels(now: number): Promise<void> {
    this.lastChannelSyncAt = now;
    await this.options.syncChannels?.();
  }

  private async snoozed(event: AlertEvent): Promise<boolean> {
    if (!SNOOZABLE.has(event.kind)) return false;
    const current = (await this.options.currentFinding?.(event.finding.id)) ?? event.finding;
    const until = (current as { snoozedUntil?: number }).snoozedUntil;
    return until !== undefined && until > this.clock();
  }

  private async finish(
    entry: OutboxEntry,
    result: 'sent' | 'dead' | 'skipped',
    error?: string,
  ): Promise<true> {
    const attempts = result === 'sent' ? entry.attempts + 1 : entry.attempts;
    await this.options.outbox.record({
      ...entry,
      status: result === 'dead' ? 'dead' : 'delivered',
      attempts,
      lastError: error,
      finishedAt: this.clock(),
    });
    this.options.onResult?.(entry.channel, result, error);
    return true;
  }
}
