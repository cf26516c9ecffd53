import { describe, expect, it } from 'vitest';
import { builtInDetectorOptions, builtInDetectors } from '../../src/detectors/built-in-detectors.js';
import type { Detector } from '../../src/detectors/detector.js';
import {
  DEFAULT_REOPEN_WITHIN_SECONDS,
  DetectorRegistry,
  registerDetector,
} from '../../src/detectors/detector-registry.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

const seen: Record<string, number>[] = [];
const recording: Detector<{ thresholdSeconds: number; windowSeconds: number }> = {
  type: 'retry_storm',
  defaults: { thresholdSeconds: 5, windowSeconds: 600 },
  evaluate(_view, _now, options) {
    seen.push({ ...options });
    return [];
  },
};

describe('DetectorRegistry', () => {
  it("hands each detector its own options: defaults with the overrides for its type, without the runner's", () => {
    const registry = new DetectorRegistry([registerDetector(recording)]);
    const [configured] = registry.configure({
      retry_storm: { thresholdSeconds: 2, reopenWithinSeconds: 60 },
    });
    configured.evaluate(new TelemetryModel(), 0);
    expect(seen.at(-1)).toEqual({ thresholdSeconds: 2, windowSeconds: 600 });
    expect(configured.reopenWithinSeconds).toBe(60);
    expect(registry.configure()[0].reopenWithinSeconds).toBe(DEFAULT_REOPEN_WITHIN_SECONDS);
  });

  it('refuses a type registered twice, an unknown type and an unknown option, naming them', () => {
    expect(() => new DetectorRegistry([registerDetector(recording), registerDetector(recording)])).toThrow(
      'detector retry_storm is registered twice',
    );
    const registry = new DetectorRegistry([registerDetector(recording)]);
    expect(() => registry.configure({ silent_job: {} })).toThrow(
      'detectors.silent_job: unknown detector, expected one of retry_storm',
    );
    expect(() => registry.configure({ retry_storm: { threshold: 1 } })).toThrow(
      'detectors.retry_storm.threshold: unknown option, expected one of thresholdSeconds, windowSeconds, reopenWithinSeconds',
    );
  });

  it('adds detectors with other options beside the built-in ones', () => {
    const monitor = registerDetector({ type: 'missed_heartbeat', defaults: {}, evaluate: () => [] });
    const registry = builtInDetectors.with([monitor]);
    expect(registry.types.at(-1)).toBe('missed_heartbeat');
    expect(registry.defaults().missed_heartbeat).toEqual({
      reopenWithinSeconds: DEFAULT_REOPEN_WITHIN_SECONDS,
    });
  });

  it("types the built-in detectors' options with the overrides applied", () => {
    const options = builtInDetectorOptions({ mystery_gap: { gapThresholdSeconds: 2 } });
    expect(options.mystery_gap.gapThresholdSeconds).toBe(2);
    const { reopenWithinSeconds: _reopen, ...silentJobDefaults } = builtInDetectors.defaults().silent_job;
    expect(options.silent_job).toEqual(silentJobDefaults);
  });
});
