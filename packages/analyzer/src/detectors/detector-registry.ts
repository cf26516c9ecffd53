import type { FindingType } from '@joblens/semconv';
import type { AnalyzerView } from '../model/analyzer-view.js';
import type { Detector } from './detector.js';
import type { FindingDraft } from './finding-draft.js';

/**
 * An option every detector takes besides its own: a finding that resolved and comes back within this many
 * seconds reopens under its old id (see `reconcile`). It is the runner's, not passed to `evaluate`.
 */
const REOPEN_OPTION = 'reopenWithinSeconds';
/**
 * Default of {@link REOPEN_OPTION}. Ten minutes: conditions measured over a window (shares, bursts, gaps)
 * dip below their thresholds now and then for a few evaluations, and a problem that comes back within
 * minutes is, to the person reading it, the same problem.
 */
export const DEFAULT_REOPEN_WITHIN_SECONDS = 600;

/** Overrides as a configuration holds them: by finding type, option name to value; checked when applied. */
export type DetectorOverrideInput = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

/** A detector with its options applied: what the runner calls each evaluation. */
export interface ConfiguredDetector {
  readonly type: FindingType;
  /** {@link REOPEN_OPTION} for this detector's findings. */
  readonly reopenWithinSeconds: number;
  evaluate(view: AnalyzerView, now: number): FindingDraft[];
}

/**
 * A detector in a registry. Its own options type is closed over by {@link registerDetector}, so detectors
 * whose options differ sit in one list, and nothing outside has to name (or cast to) their options.
 */
export interface RegisteredDetector {
  readonly type: FindingType;
  /** Option names and their defaults, for configuration checks and the README. */
  readonly defaults: Readonly<Record<string, number>>;
  /** Applies overrides (and {@link REOPEN_OPTION}); throws naming the option, what was expected and what was given. */
  configure(overrides?: Readonly<Record<string, unknown>>): ConfiguredDetector;
}

/**
 * `detector`'s defaults with `overrides` applied. Rejects an unknown option or a value that is not a finite
 * number >= 0; {@link REOPEN_OPTION} is accepted and left out (it is the runner's).
 */
export function resolveOptions<Name extends string>(
  detector: Detector<Record<Name, number>>,
  overrides: Readonly<Record<string, unknown>> = {},
): Record<Name, number> {
  const isOption = (name: string): name is Name => Object.hasOwn(detector.defaults, name);
  const options: Record<Name, number> = { ...detector.defaults };
  for (const [name, value] of Object.entries(overrides)) {
    const field = `detectors.${detector.type}.${name}`;
    if (!isOption(name) && name !== REOPEN_OPTION) {
      const known = [...Object.keys(detector.defaults), REOPEN_OPTION].join(', ');
      throw new Error(`${field}: unknown option, expected one of ${known}`);
    }
    const number = checkedNumber(value, field);
    if (isOption(name)) options[name] = number;
  }
  return options;
}

/** Puts `detector` in a registry's list, its options type kept inside. */
export function registerDetector<Name extends string>(
  detector: Detector<Record<Name, number>>,
): RegisteredDetector {
  return {
    type: detector.type,
    defaults: detector.defaults,
    configure(overrides = {}) {
      const options = resolveOptions(detector, overrides);
      const reopen = overrides[REOPEN_OPTION];
      return {
        type: detector.type,
        reopenWithinSeconds:
          reopen === undefined
            ? DEFAULT_REOPEN_WITHIN_SECONDS
            : checkedNumber(reopen, `detectors.${detector.type}.${REOPEN_OPTION}`),
        evaluate: (view, now) => detector.evaluate(view, now, options),
      };
    },
  };
}

function checkedNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${field}: expected a finite number >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The detectors one runner runs, by finding type: at most one detector per type. */
export class DetectorRegistry {
  readonly detectors: readonly RegisteredDetector[];

  constructor(detectors: readonly RegisteredDetector[]) {
    const seen = new Set<FindingType>();
    for (const detector of detectors) {
      if (seen.has(detector.type)) throw new Error(`detector ${detector.type} is registered twice`);
      seen.add(detector.type);
    }
    this.detectors = detectors;
  }

  /** A registry with `more` after this one's detectors (the monitors' beside the built-in ones). */
  with(more: readonly RegisteredDetector[]): DetectorRegistry {
    return new DetectorRegistry([...this.detectors, ...more]);
  }

  get types(): FindingType[] {
    return this.detectors.map((detector) => detector.type);
  }

  /** Every detector's defaults by type, {@link REOPEN_OPTION} included: what configuration is checked against. */
  defaults(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      this.detectors.map((detector) => [
        detector.type,
        { ...detector.defaults, [REOPEN_OPTION]: DEFAULT_REOPEN_WITHIN_SECONDS },
      ]),
    );
  }

  /** Each detector with its overrides applied; rejects a type no detector here has, naming the known ones. */
  configure(overrides: DetectorOverrideInput = {}): ConfiguredDetector[] {
    for (const type of Object.keys(overrides)) {
      if (!this.detectors.some((detector) => detector.type === type)) {
        throw new Error(`detectors.${type}: unknown detector, expected one of ${this.types.join(', ')}`);
      }
    }
    return this.detectors.map((detector) => detector.configure(overrides[detector.type]));
  }
}
