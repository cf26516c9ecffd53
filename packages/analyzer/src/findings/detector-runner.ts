import type { FindingType } from '@joblens/semconv';
import type {
  ConfiguredDetector,
  DetectorOverrideInput,
  DetectorRegistry,
} from '../detectors/detector-registry.js';
import type { FindingDraft } from '../detectors/finding-draft.js';
import { type Logger, stderrLogger } from '../log/logger.js';
import type { AnalyzerView } from '../model/analyzer-view.js';
import type { Finding, FindingTransition } from './finding.js';
import { RecentlyResolved } from './recently-resolved.js';
import { findingIdentity, reconcile } from './reconcile.js';
import { withWorkerProcess } from './worker-process.js';

export interface DetectorRunnerOptions {
  /** The detectors to run (`builtInDetectors`, with the monitors' beside them in the analyzer). */
  registry: DetectorRegistry;
  /**
   * Overrides of detector defaults, by finding type, including each type's `reopenWithinSeconds`
   * (default 600); validated at construction. Default none.
   */
  overrides?: DetectorOverrideInput;
  /** Passed to `reconcile`: an absent key resolves its finding after this long. Default 0. */
  resolveAfterSeconds?: number;
  /** Where a detector's failure is reported (`warn`), once per detector and message. Default {@link stderrLogger}. */
  logger?: Logger;
}

/** Per detector, for the analyzer's /metrics. */
export interface DetectorStats {
  type: FindingType;
  evaluations: number;
  errors: number;
  /** Total seconds spent evaluating since start. */
  evaluationSeconds: number;
  lastEvaluationSeconds: number;
  /** Problems the last successful evaluation returned. */
  lastDrafts: number;
}

export interface DetectorRunResult {
  /** Findings to save (opened, updated, resolved). */
  findings: Finding[];
  transitions: FindingTransition[];
  /** Types whose detector threw this time: their open findings were left as they were. */
  failedTypes: FindingType[];
}

const MAX_LOGGED_MESSAGES = 100;

/**
 * Runs each detector in isolation (one that throws is caught, logged once and counted, and the others go
 * on), times each, then reconciles the drafts with the open findings of the detectors it ran.
 */
export class DetectorRunner {
  private readonly registry: DetectorRegistry;
  private detectors: readonly ConfiguredDetector[];
  /** Findings that resolved lately, so a key coming back within its type's hold time reopens one. */
  private readonly resolved = new RecentlyResolved();
  private readonly resolveAfterSeconds: number;
  private readonly logger: Logger;
  private readonly statsByType = new Map<FindingType, DetectorStats>();
  private readonly logged = new Set<string>();

  constructor(options: DetectorRunnerOptions) {
    this.registry = options.registry;
    this.detectors = this.registry.configure(options.overrides);
    const resolveAfter = options.resolveAfterSeconds ?? 0;
    if (!Number.isFinite(resolveAfter) || resolveAfter < 0) {
      throw new Error(`resolveAfterSeconds: expected a finite number >= 0, got ${String(resolveAfter)}`);
    }
    this.resolveAfterSeconds = resolveAfter;
    this.logger = options.logger ?? stderrLogger;
    for (const detector of this.detectors) {
      this.statsByType.set(detector.type, {
        type: detector.type,
        evaluations: 0,
        errors: 0,
        evaluationSeconds: 0,
        lastEvaluationSeconds: 0,
        lastDrafts: 0,
      });
    }
  }

  /** Replaces the overrides (configuration reload); throws, keeping the old ones, when they are invalid. */
  setOverrides(overrides: DetectorOverrideInput): void {
    this.detectors = this.registry.configure(overrides);
  }

  /** Findings resolved before this runner started (read back from the store), so they can still reopen. */
  remember(resolved: readonly Finding[]): void {
    for (const finding of resolved) if (finding.status === 'resolved') this.resolved.add(finding);
  }

  /** The types this runner's detectors produce: pass only open findings of these to `run`. */
  get types(): FindingType[] {
    return this.detectors.map((detector) => detector.type);
  }

  run(view: AnalyzerView, openFindings: readonly Finding[], now: number): DetectorRunResult {
    const drafts: FindingDraft[] = [];
    const failed = new Set<FindingType>();
    for (const detector of this.detectors) {
      const stats = this.statsByType.get(detector.type)!;
      const started = performance.now();
      try {
        const result = detector.evaluate(view, now);
        for (const draft of result)
          drafts.push(draft.type === detector.type ? draft : { ...draft, type: detector.type });
        stats.lastDrafts = result.length;
      } catch (error) {
        stats.errors += 1;
        failed.add(detector.type);
        const message = `detector ${detector.type} failed: ${error instanceof Error ? error.message : String(error)}`;
        if (!this.logged.has(message) && this.logged.size < MAX_LOGGED_MESSAGES) {
          this.logged.add(message);
          this.logger.warn(message);
        }
      } finally {
        const seconds = (performance.now() - started) / 1000;
        stats.evaluations += 1;
        stats.evaluationSeconds += seconds;
        stats.lastEvaluationSeconds = seconds;
      }
    }
    const ran = new Set(this.types);
    const judged = (finding: Finding) => ran.has(finding.type) && !failed.has(finding.type);
    const open = openFindings.filter(judged);
    const reopenWindows = new Map(this.detectors.map((d) => [d.type, d.reopenWithinSeconds]));
    const reopenWithinSeconds = (type: FindingType) => reopenWindows.get(type) ?? 0;
    this.resolved.prune(now, reopenWithinSeconds);
    const { findings, transitions } = reconcile(
      [...open, ...this.resolved.list().filter(judged)],
      withWorkerProcess(drafts, view),
      now,
      { resolveAfterSeconds: this.resolveAfterSeconds, reopenWithinSeconds },
    );
    for (const finding of findings) {
      if (finding.status === 'resolved') this.resolved.add(finding);
      else this.resolved.forget(findingIdentity(finding.type, finding.key));
    }
    return { findings, transitions, failedTypes: [...failed] };
  }

  stats(): DetectorStats[] {
    return [...this.statsByType.values()].map((stats) => ({ ...stats }));
  }
}
