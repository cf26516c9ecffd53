import type { SdkFeature } from './sdk-feature.js';

/** Every feature `startJoblens` starts, in order (and stops in reverse order). Add entries here. */
export const FEATURES: readonly SdkFeature[] = [];
