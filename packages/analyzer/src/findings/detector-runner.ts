import type { FindingType } from '@joblens/semconv';
import type { DetectorOptions } from '../detectors/detector-options.js';
import type { AnyDetector, DetectorOverrides } from '../detectors/index.js';
import { allDetectors, resolveDetectorOptions } from '../detectors/index.js';
import type { AnalyzerView } from '../model/analyzer-view.js';
import type { Finding, FindingDraft, FindingTransition } from './finding.js';
import { reconcile } from './reconcile.js';

export interface DetectorRunnerOptions {
  /** Default: every detector (`allDetectors`). */
  detectors?: readonly AnyDetector[];
  /** Overrides of detector defaults, by finding type; validated at construction. Default none. */
  overrides?: DetectorOverrides;
  /** Passed to `reconcile`: an absent key resolves its finding after this long. Default 0. */
  resolveAfterSeconds?: number;
  /** Where a detector's failure is reported, once per detector and message. Default: console.warn. */
  log?: (message: string) => void;
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
  private readonly detectors: readonly AnyDetector[];
  private options: DetectorOptions;
  private readonly resolveAfterSeconds: number;
  private readonly log: (message: string) => void;
  private readonly statsByType = new Map<FindingType, DetectorStats>();
  private readonly logged = new Set<string>();

  constructor(options: DetectorRunnerOptions = {}) {
    this.detectors = options.detectors ?? allDetectors;
    this.options = resolveDetectorOptions(options.overrides, this.detectors);
    const resolveAfter = options.resolveAfterSeconds ?? 0;
    if (!Number.isFinite(resolveAfter) || resolveAfter < 0) {
      throw new Error(`resolveAfterSeconds: expected a finite number >= 0, got ${String(resolveAfter)}`);
    }
    this.resolveAfterSeconds = resolveAfter;
    this.log = options.log ?? ((message) => console.warn(message));
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
  setOverrides(overrides: DetectorOverrides): void {
    this.options = resolveDetectorOptions(overrides, this.detectors);
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
        const options = (this.options as Record<string, object>)[detector.type] ?? detector.defaults;
        const result = (detector.evaluate as (v: AnalyzerView, n: number, o: object) => FindingDraft[])(
          view,
          now,
          options,
        );
        for (const draft of result)
          drafts.push(draft.type === detector.type ? draft : { ...draft, type: detector.type });
        stats.lastDrafts = result.length;
      } catch (error) {
        stats.errors += 1;
        failed.add(detector.type);
        const message = `detector ${detector.type} failed: ${error instanceof Error ? error.message : String(error)}`;
        if (!this.logged.has(message) && this.logged.size < MAX_LOGGED_MESSAGES) {
          this.logged.add(message);
          this.log(message);
        }
      } finally {
        const seconds = (performance.now() - started) / 1000;
        stats.evaluations += 1;
        stats.evaluationSeconds += seconds;
        stats.lastEvaluationSeconds = seconds;
      }
    }
    const ran = new Set(this.types);
    const open = openFindings.filter((finding) => ran.has(finding.type) && !failed.has(finding.type));
    const { findings, transitions } = reconcile(open, drafts, now, {
      resolveAfterSeconds: this.resolveAfterSeconds,
    });
    return { findings, transitions, failedTypes: [...failed] };
  }

  stats(): DetectorStats[] {
    return [...this.statsByType.values()].map((stats) => ({ ...stats }));
  }
}
