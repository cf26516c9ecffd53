import {
  ATTR_DIAGNOSTIC_MODE,
  ATTR_STEP_DURATION,
  ATTR_STEP_NAME,
  EVENT_STEP_ENDED,
  EVENT_STEP_STARTED,
  LOG_DIAGNOSTIC_MODE,
} from '@joblens/semconv';
import { afterEach, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

describe('diagnostic mode', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('is off by default and adds no step events', async () => {
    sdk = startInMemoryJoblens();
    expect(sdk.joblens.diagnosticMode).toBe(false);
    await sdk.joblens.runAttempt(aJob(), (job) => job.step('fetch', () => 1));
    const attempt = (await sdk.spans()).find((s) => s.name === 'process emails');
    expect(attempt?.events.some((e) => e.name === EVENT_STEP_STARTED)).toBe(false);
    expect(attempt?.attributes[ATTR_DIAGNOSTIC_MODE]).toBeUndefined();
  });

  it('adds step started and ended events with timings on the attempt span', async () => {
    sdk = startInMemoryJoblens({ diagnostic: { enabled: true } });
    expect(sdk.joblens.diagnosticMode).toBe(true);
    await sdk.joblens.runAttempt(aJob(), (job) => job.step('fetch', () => sleep(20)));
    const attempt = (await sdk.spans()).find((s) => s.name === 'process emails');
    const started = attempt?.events.find((e) => e.name === EVENT_STEP_STARTED);
    const ended = attempt?.events.find((e) => e.name === EVENT_STEP_ENDED);
    expect(started?.attributes?.[ATTR_STEP_NAME]).toBe('fetch');
    expect(ended?.attributes?.[ATTR_STEP_NAME]).toBe('fetch');
    expect(Number(ended?.attributes?.[ATTR_STEP_DURATION])).toBeGreaterThanOrEqual(0.015);
    expect(attempt?.attributes[ATTR_DIAGNOSTIC_MODE]).toBe(true);
  });

  it('starts on when JOBLENS_DIAGNOSTIC=1', async () => {
    process.env.JOBLENS_DIAGNOSTIC = '1';
    try {
      sdk = startInMemoryJoblens();
      expect(sdk.joblens.diagnosticMode).toBe(true);
    } finally {
      delete process.env.JOBLENS_DIAGNOSTIC;
    }
  });

  it('writes a record each time it is toggled, and none when set to what it already is', async () => {
    sdk = startInMemoryJoblens();
    sdk.joblens.setDiagnosticMode(true);
    sdk.joblens.setDiagnosticMode(true);
    sdk.joblens.setDiagnosticMode(false);
    const records = (await sdk.logs()).filter((l) => l.eventName === LOG_DIAGNOSTIC_MODE);
    expect(records.map((r) => [r.body, r.attributes[ATTR_DIAGNOSTIC_MODE]])).toEqual([
      ['diagnostic mode on', true],
      ['diagnostic mode off', false],
    ]);
  });
});
