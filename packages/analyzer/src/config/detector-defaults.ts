import { detectorDefaults } from '../detectors/index.js';
import type { DetectorDefaults } from './validate-config.js';

/** Every detector's default options by finding type: what config overrides are checked against. */
export const DETECTOR_DEFAULTS: DetectorDefaults = detectorDefaults as unknown as DetectorDefaults;
