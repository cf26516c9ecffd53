import type { SdkFeature } from '../sdk-feature.js';
import { followOutboundCalls } from './outbound-call-channels.js';

/** Follows the outbound calls of running attempts, so a silent one's record says what it waits on. */
export const waitingEvidenceFeature: SdkFeature = {
  name: 'waiting evidence',
  start() {
    return { stop: followOutboundCalls() };
  },
};
