import { adminEndpointFeature } from './diagnostic/admin-endpoint-feature.js';
import { toggleSignalFeature } from './diagnostic/toggle-signal-feature.js';
import { signalDumpFeature } from './dump/signal-dump-feature.js';
import type { SdkFeature } from './sdk-feature.js';
import { waitingEvidenceFeature } from './waiting/waiting-evidence-feature.js';
import { watchdogFeature } from './watchdog/watchdog-feature.js';

/** Every feature `startJoblens` starts, in order (and stops in reverse order). Add entries here. */
export const FEATURES: readonly SdkFeature[] = [
  watchdogFeature,
  signalDumpFeature,
  toggleSignalFeature,
  adminEndpointFeature,
  waitingEvidenceFeature,
];
