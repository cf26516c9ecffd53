import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate-config.js';
import { builtInDetectors, DETECTOR_DEFAULTS } from '../../src/detectors/built-in-detectors.js';

describe('the reopenWithinSeconds option', () => {
  it('is taken by every detector, defaulting to ten minutes', () => {
    const config = validateConfig(
      { detectors: { host_imbalance: { reopenWithinSeconds: 900 } } },
      DETECTOR_DEFAULTS,
    );
    const windows = Object.fromEntries(
      builtInDetectors.configure(config.detectors).map((d) => [d.type, d.reopenWithinSeconds]),
    );
    expect(windows.host_imbalance).toBe(900);
    expect(windows.silent_job).toBe(600);
    expect(Object.keys(windows)).toEqual(Object.keys(DETECTOR_DEFAULTS));
  });

  it('is refused when it is not a positive number, naming the option', () => {
    expect(() =>
      validateConfig({ detectors: { silent_job: { reopenWithinSeconds: 'soon' } } }, DETECTOR_DEFAULTS),
    ).toThrow('detectors.silent_job.reopenWithinSeconds must be a positive number, got "soon"');
  });
});
