import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

function activeSpanId(): string | undefined {
  return trace.getSpan(context.active())?.spanContext().spanId;
}

describe("other instrumentation inside a job, under OpenTelemetry's context manager", () => {
  let sdk: InMemoryJoblens;
  let manager: AsyncLocalStorageContextManager | undefined;
  afterEach(async () => {
    await sdk?.shutdown();
    manager?.disable();
    context.disable();
    manager = undefined;
  });

  it('sees the attempt span as the active span, and a step span inside a step', async () => {
    manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    sdk = startInMemoryJoblens();
    const seen = await sdk.joblens.runAttempt(aJob(), async (job) => {
      await sleep(1);
      const inAttempt = activeSpanId();
      const inStep = await job.step('call-api', async () => {
        await sleep(1);
        return activeSpanId();
      });
      return { attempt: job.spanId, inAttempt, inStep };
    });
    expect(seen.inAttempt).toBe(seen.attempt);
    const step = (await sdk.spans()).find((s) => s.name === 'call-api');
    expect(seen.inStep).toBe(step?.spanContext().spanId);
  });

  it('picks up a context manager registered after the SDK started', async () => {
    sdk = startInMemoryJoblens();
    const before = await sdk.joblens.runAttempt(aJob({ jobId: 'before' }), () => activeSpanId());
    expect(before).toBeUndefined();
    manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    // The SDK asks whether a manager exists at most once a second.
    await sleep(1100);
    const after = await sdk.joblens.runAttempt(aJob({ jobId: 'after' }), (job) => ({
      attempt: job.spanId,
      active: activeSpanId(),
    }));
    expect(after.active).toBe(after.attempt);
  });
});
