import type { AlertDeliverer } from '../alerts/alert-deliverer.js';
import { alertEventForTransition } from '../alerts/alert-event-for-transition.js';
import { adoptSharedFindings } from '../findings/adopt-shared-findings.js';
import type { AlertEvent } from '../findings/alert-event.js';
import type { DetectorRunner } from '../findings/detector-runner.js';
import type { Finding, FindingTransition } from '../findings/finding.js';
import type { FindingStore } from '../findings/finding-store.js';
import type { IncidentLifecycle } from '../findings/incident-lifecycle.js';
import type { Logger } from '../log/logger.js';
import type { AnalyzerMetrics } from '../metrics/analyzer-metrics.js';
import { AttemptCounter } from '../metrics/attempt-counter.js';
import type { ReceiverTotals } from '../metrics/metric-inputs.js';
import { refreshMetricsFromView } from '../metrics/refresh-from-view.js';
import type { TelemetryModel } from '../model/telemetry-model.js';
import type { HeapGuard } from '../overload/heap-guard.js';
import type { HeldFindings } from './held-findings.js';
import type { StoreHealth } from './store-health.js';

/**
 * After a restart the model starts empty, so every finding open before it would look gone. Findings
 * inherited from the store are not resolved during this first minute, while telemetry refills the model.
 */
const RESTART_WARMUP_MILLIS = 60_000;
/**
 * The detectors read windows of up to 50k attempts and 100k live jobs; under a flood of telemetry one
 * evaluation can take a good part of a second. Spacing evaluations so they take at most about one part in
 * (1 + this), a tenth, of the process's time keeps ingest from starving (a 250 ms evaluation then runs
 * every 2.5 s rather than every second). An idle analyzer, whose evaluations are
 * cheap, still evaluates every `evaluationIntervalMillis`; what is found does not change, only how soon.
 */
const EVALUATION_IDLE_FACTOR = 9;
/** How often resolved findings past the retention are deleted. */
const FINDING_PRUNE_INTERVAL_MILLIS = 3_600_000;

export interface EvaluationLoopOptions {
  clock: () => number;
  /** When the analyzer was built: the restart's warm-up counts from here. */
  startedAt: number;
  evaluationIntervalMillis: number;
  /** Resolved findings older than this are pruned from the store. */
  historyRetentionDays: number;
  model: TelemetryModel;
  heapGuard: HeapGuard;
  runner: DetectorRunner;
  held: HeldFindings;
  /** Whether other analyzers write to the same store: then the held findings are refreshed before each evaluation. */
  shared: boolean;
  /** What must be ready before an evaluation reads the store (the monitors' tables and the config's monitors). */
  prepare: () => Promise<void>;
  store: FindingStore;
  alerts: Pick<AlertDeliverer, 'queued' | 'wake'>;
  storeHealth: StoreHealth;
  lifecycle: Pick<IncidentLifecycle, 'remind'>;
  metrics: AnalyzerMetrics;
  receiverTotals: () => ReceiverTotals;
  logger: Logger;
}

/**
 * The evaluation loop: prune the model, run the detectors on it, reconcile with the held findings, save
 * findings, transitions and their alert rows in one transaction, remind, refresh /metrics. It moves from
 * idle (built, evaluating only when asked) to scheduled (`start`) to stopped (`stop`), never back;
 * evaluations never overlap.
 */
export class EvaluationLoop {
  private state: 'idle' | 'scheduled' | 'stopped' = 'idle';
  private timer: NodeJS.Timeout | undefined;
  /** Tail of the evaluations asked for: each waits for the one before, so two never overlap. */
  private evaluations: Promise<void> = Promise.resolve();
  private lastFindingPruneAt = Number.NEGATIVE_INFINITY;
  private readonly attemptCounter: AttemptCounter;

  constructor(private readonly options: EvaluationLoopOptions) {
    this.attemptCounter = new AttemptCounter(options.model, options.metrics);
  }

  /** Evaluates every `evaluationIntervalMillis`, the first time one interval from now. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'scheduled';
    this.schedule(this.options.evaluationIntervalMillis);
  }

  /** No evaluation is scheduled any more; one in flight finishes, and `evaluateNow` still runs one. */
  stop(): void {
    this.state = 'stopped';
    clearTimeout(this.timer);
  }

  /** Runs one evaluation after the ones asked for before it. */
  evaluateNow(): Promise<void> {
    const next = this.evaluations.then(() => this.evaluateOnce());
    this.evaluations = next.catch(() => {});
    return next;
  }

  /** Evaluates, then waits the interval, or longer after a costly evaluation (EVALUATION_IDLE_FACTOR). */
  private schedule(delayMillis: number): void {
    this.timer = setTimeout(async () => {
      const started = performance.now();
      // Awaited: the next evaluation is scheduled only once this one saved, so they never overlap.
      await this.evaluateNow();
      if (this.state === 'stopped') return;
      const costMillis = performance.now() - started;
      this.schedule(Math.max(this.options.evaluationIntervalMillis, costMillis * EVALUATION_IDLE_FACTOR));
    }, delayMillis);
    // The loop must not keep a process alive on its own; the servers do that while they listen.
    this.timer.unref();
  }

  private async evaluateOnce(): Promise<void> {
    const { clock, model, heapGuard, runner, held, metrics, logger } = this.options;
    const now = clock();
    // Here and not only during ingest: while ingest is refused, nothing else would prune.
    model.prune(now);
    heapGuard.check(() => model.shedRetainedAttributes());
    try {
      if (!(await this.loadedFromStore())) return;
      const run = runner.run(model, [...held.open.values()], now);
      const failed = new Set<string>(run.failedTypes);
      metrics.recordDetectorRuns(
        runner
          .stats()
          .map((s) => ({ detector: s.type, seconds: s.lastEvaluationSeconds, failed: failed.has(s.type) })),
      );
      const shared = adoptSharedFindings(run, held.othersOpen);
      const result =
        now - this.options.startedAt < RESTART_WARMUP_MILLIS ? held.keepInheritedOpen(shared) : shared;
      const recorded = await this.persist(result.findings, result.transitions);
      if (!recorded) return;
      held.update(result.findings);
      this.announce(result.findings, recorded);
      await this.options.lifecycle.remind(held.open.values(), now);
      await this.pruneResolvedFindings(now);
    } catch (error) {
      logger.error('evaluation failed', error);
    }
    try {
      metrics.refreshFindings([...held.open.values()]);
      refreshMetricsFromView(metrics, model, now);
      metrics.updateReceiverTotals(this.options.receiverTotals());
      this.attemptCounter.countNew();
    } catch (error) {
      logger.error('refreshing metrics failed', error);
    }
  }

  /** False (and the store marked failing) while what the store holds cannot be read at start. */
  private async loadedFromStore(): Promise<boolean> {
    try {
      // An embedder (or a test) may evaluate without start(): the config's monitors must be in all the same.
      await this.options.prepare();
      await this.options.held.load();
      if (this.options.shared) await this.options.held.refreshFromStore();
      return true;
    } catch (error) {
      this.options.storeHealth.failed(error);
      return false;
    }
  }

  /**
   * Saves, with the alerts the recorded transitions raise in the same transaction of the same database:
   * a kill -9 after the save cannot lose them, and a transition another analyzer recorded first is
   * neither recorded nor alerted again. With nothing to save the store is still read, so a database
   * that went away is noticed. A failing store is remembered (back pressure, /healthz) and retried by
   * the next evaluation; resolves with the recorded transitions, or undefined when the store failed.
   */
  private async persist(
    findings: Finding[],
    transitions: FindingTransition[],
  ): Promise<FindingTransition[] | undefined> {
    const { store, alerts, storeHealth } = this.options;
    try {
      let recorded: FindingTransition[] = [];
      if (findings.length === 0 && transitions.length === 0) await store.list({ limit: 1 });
      else
        recorded = await store.save(findings, transitions, {
          alertsFor: (kept) => alerts.queued(alertEventsOf(findings, [...kept])),
        });
      if (recorded.length > 0) alerts.wake();
      storeHealth.worked();
      return recorded;
    } catch (error) {
      storeHealth.failed(error);
      return undefined;
    }
  }

  /** Once an hour: findings resolved longer ago than `historyRetentionDays`, with their transitions. */
  private async pruneResolvedFindings(now: number): Promise<void> {
    if (now - this.lastFindingPruneAt < FINDING_PRUNE_INTERVAL_MILLIS) return;
    this.lastFindingPruneAt = now;
    try {
      await this.options.store.prune(now - this.options.historyRetentionDays * 24 * 3_600_000);
    } catch (error) {
      this.options.logger.error('pruning resolved findings failed', error);
    }
  }

  private announce(findings: Finding[], transitions: FindingTransition[]): void {
    const byId = new Map(findings.map((f) => [f.id, f]));
    for (const transition of transitions) {
      const finding = byId.get(transition.findingId);
      if (!finding) continue;
      if (transition.to === 'open' && transition.from === null)
        this.options.metrics.countOpened(finding.type);
    }
  }
}

/** The alert events of saved transitions, in order; a reopening within the hold time raises none. */
function alertEventsOf(findings: Finding[], transitions: FindingTransition[]): AlertEvent[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const events: AlertEvent[] = [];
  for (const transition of transitions) {
    const finding = byId.get(transition.findingId);
    const event = finding && alertEventForTransition(finding, transition);
    if (event) events.push(event);
  }
  return events;
}
