import type { FindingType } from '@joblens/semconv';
import type { AnalyzerView } from '../model/analyzer-view.js';
import type { FindingDraft } from './finding-draft.js';

/**
 * A detector is pure: given what was seen (the view) and the time, it returns the problems that hold
 * now. It keeps no state of its own; the model keeps the windows and the runner keeps findings.
 */
export interface Detector<Options extends object = Record<string, number>> {
  readonly type: FindingType;
  /** Defaults, each documented where the detector is defined; units in the names. */
  readonly defaults: Readonly<Options>;
  evaluate(view: AnalyzerView, now: number, options: Readonly<Options>): FindingDraft[];
}
