import { describe, expect, it } from 'vitest';
import * as bullmq from '../src/adapters/bullmq/index.js';
import * as dumpLocation from '../src/dump/dump-location.js';
import * as sdk from '../src/index.js';

// The entry points offer what the README documents and nothing more: whatever else they exported would
// become API users lean on, and the SDK could no longer change its insides without a major version.
describe('the public API', () => {
  it('offers from @joblens/sdk what the README shows, and no internals', () => {
    expect(Object.keys(sdk).sort()).toEqual([
      'WaitingSpanProcessor',
      'checkpoint',
      'currentAttempt',
      'injectJobContext',
      'instrumentHandler',
      'runScheduledJob',
      'startJoblens',
      'step',
    ]);
  });

  it('offers from @joblens/sdk/bullmq the adapter the README shows', () => {
    expect(Object.keys(bullmq).sort()).toEqual([
      'JobStalledError',
      'addWithContext',
      'createBullmqQueueStatsSource',
      'injectJobContext',
      'observeWorker',
      'withJoblens',
    ]);
  });

  it('offers from @joblens/sdk/dump-location where dumps land, for joblens dump', () => {
    expect(Object.keys(dumpLocation).sort()).toEqual(['defaultDumpDirectory', 'dumpFilePrefix']);
    expect(dumpLocation.dumpFilePrefix(42)).toBe('joblens-dump-42-');
  });
});
