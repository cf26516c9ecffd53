import {
  ATTR_JOB_ID,
  ATTR_JOB_NAME,
  ATTR_LINK_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MONITOR_SLUG,
  LINK_TYPE_PRODUCER,
} from '@joblens/semconv';
import { afterEach, describe, expect, it } from 'vitest';
import { injectJobContext, instrumentHandler, runScheduledJob, step } from '../src/index.js';
import { aJob, type InMemoryJoblens, startInMemoryJoblens } from './support/in-memory-joblens.js';

type Message = { id: string; body: string; trace?: Record<string, string> };

describe('the generic adapter', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('wraps a consumer callback so each call is one attempt, passing arguments and result through', async () => {
    sdk = startInMemoryJoblens();
    const handler = instrumentHandler(
      sdk.joblens,
      {
        queue: 'sqs-orders',
        jobName: 'ship-order',
        describe: (message: Message, _receipt: string) => ({ jobId: message.id }),
      },
      async (message: Message, receipt: string) => step('ship', () => `${message.body}/${receipt}`),
    );
    expect(await handler({ id: 'm-1', body: 'order 1' }, 'r-1')).toBe('order 1/r-1');
    const spans = await sdk.spans();
    const attempt = spans.find((s) => s.attributes[ATTR_JOB_ID] === 'm-1');
    expect(attempt?.attributes).toMatchObject({
      [ATTR_MESSAGING_DESTINATION_NAME]: 'sqs-orders',
      [ATTR_JOB_NAME]: 'ship-order',
    });
    expect(spans.find((s) => s.name === 'ship')?.parentSpanContext?.spanId).toBe(
      attempt?.spanContext().spanId,
    );
  });

  it('rethrows the handler error untouched and reports a throwing describe without failing the message', async () => {
    sdk = startInMemoryJoblens();
    const thrown = new Error('cannot ship');
    const failing = instrumentHandler(sdk.joblens, { queue: 'q' }, () => Promise.reject(thrown));
    await expect(failing()).rejects.toBe(thrown);
    const oddDescribe = instrumentHandler(
      sdk.joblens,
      {
        queue: 'q',
        describe: () => {
          throw new Error('bad message shape');
        },
      },
      () => 'handled',
    );
    expect(await oddDescribe()).toBe('handled');
    expect(sdk.errors.map((e) => e.message)).toEqual(['describing a message of queue q']);
  });

  it('carries the producer trace through the payload into the attempt', async () => {
    sdk = startInMemoryJoblens();
    let payload: Message = { id: 'child', body: '' };
    let producerSpanId = '';
    await sdk.joblens.runAttempt(aJob({ jobId: 'parent' }), (job) => {
      producerSpanId = job.spanId;
      payload = { id: 'child', body: 'x', trace: injectJobContext() };
    });
    const consume = instrumentHandler(
      sdk.joblens,
      { queue: 'children', describe: (m: Message) => ({ jobId: m.id, producerCarrier: m.trace }) },
      (_message: Message) => 1,
    );
    await consume(payload);
    const spans = await sdk.spans();
    const parent = spans.find((s) => s.attributes[ATTR_JOB_ID] === 'parent');
    const child = spans.find((s) => s.attributes[ATTR_JOB_ID] === 'child');
    expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
    expect(
      child?.links.find((l) => l.attributes?.[ATTR_LINK_TYPE] === LINK_TYPE_PRODUCER)?.context.spanId,
    ).toBe(producerSpanId);
  });

  it('injects nothing outside any trace', () => {
    expect(injectJobContext()).toEqual({});
  });

  it('runs a cron script as one attempt with its monitor slug and flushes it out', async () => {
    sdk = startInMemoryJoblens();
    const result = await runScheduledJob(
      sdk.joblens,
      { jobName: 'nightly-report', monitorSlug: 'nightly' },
      (job) => job.step('render', () => 'report.pdf'),
    );
    expect(result).toBe('report.pdf');
    const attempt = (await sdk.spans()).find((s) => s.attributes[ATTR_JOB_NAME] === 'nightly-report');
    expect(attempt?.attributes).toMatchObject({
      [ATTR_MONITOR_SLUG]: 'nightly',
      [ATTR_MESSAGING_DESTINATION_NAME]: 'nightly-report',
    });
  });

  it('rethrows a failing cron script', async () => {
    sdk = startInMemoryJoblens();
    const thrown = new Error('no data');
    await expect(
      runScheduledJob(sdk.joblens, { jobName: 'nightly', queue: 'cron' }, () => Promise.reject(thrown)),
    ).rejects.toBe(thrown);
  });
});
