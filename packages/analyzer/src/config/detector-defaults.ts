import { DEFAULT_REOPEN_WITHIN_SECONDS, detectorDefaults, REOPEN_OPTION } from '../detectors/index.js';
import type { DetectorDefaults } from './validate-config.js';

/**
 * Every detector's default options by finding type, plus the hold time every detector takes: what config
 * overrides are checked against.
 */
export const DETECTOR_DEFAULTS: DetectorDefaults = Object.fromEntries(
  Object.entries(detectorDefaults).map(([type, defaults]) => [
    type,
    { ...defaults, [REOPEN_OPTION]: DEFAULT_REOPEN_WITHIN_SECONDS },
  ]),
);
