import { ATTR_JOB_NAME, ATTR_STEP_NAME, attemptSpanName } from '@joblens/semconv';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { aJob, type InMemoryJoblens, startInMemoryJoblens } from './support/in-memory-joblens.js';

/** A span of OpenTelemetry's own tracer, to hold the SDK's attempt span up against. */
function otelSpan(
  build: (span: ReturnType<ReturnType<BasicTracerProvider['getTracer']>['startSpan']>) => void,
) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const span = provider.getTracer('reference').startSpan('reference');
  build(span);
  span.end();
  return exporter.getFinishedSpans()[0];
}

function attemptOf(spans: ReadableSpan[]): ReadableSpan {
  const attempt = spans.find((s) => s.name === attemptSpanName('emails'));
  if (!attempt) throw new Error('no attempt span exported');
  return attempt;
}

describe("the SDK's attempt span, beside OpenTelemetry's own spans", () => {
  let sdk: InMemoryJoblens;
  const savedEnv = { ...process.env };
  afterEach(async () => {
    await sdk?.shutdown();
    process.env = { ...savedEnv };
  });

  it('shares the resource and instrumentation scope of the step spans the tracer makes', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob(), (job) => job.step('render', () => 'html'));
    const spans = await sdk.spans();
    const attempt = attemptOf(spans);
    const step = spans.find((s) => s.attributes[ATTR_STEP_NAME] === 'render');
    expect(step?.parentSpanContext?.spanId).toBe(attempt.spanContext().spanId);
    expect(step?.spanContext().traceId).toBe(attempt.spanContext().traceId);
    // The same objects, so exporters group both under one resource and one scope.
    expect(attempt.resource).toBe(step?.resource);
    expect(attempt.instrumentationScope).toBe(step?.instrumentationScope);
  });

  it('has a start before its end, a duration that matches, and lifecycle events inside it', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob(), () => new Promise((resolve) => setTimeout(resolve, 20)));
    const attempt = attemptOf(await sdk.spans());
    const toNanos = ([s, ns]: [number, number]) => BigInt(s) * 1_000_000_000n + BigInt(ns);
    const start = toNanos(attempt.startTime);
    const end = toNanos(attempt.endTime);
    expect(end - start).toBe(toNanos(attempt.duration));
    expect(Number(end - start) / 1e6).toBeGreaterThanOrEqual(15);
    for (const event of attempt.events) {
      expect(toNanos(event.time)).toBeGreaterThanOrEqual(start);
      expect(toNanos(event.time)).toBeLessThanOrEqual(end);
    }
    expect(attempt.ended).toBe(true);
  });

  it('takes what job code adds as OpenTelemetry does: invalid values dropped, exceptions alike', async () => {
    sdk = startInMemoryJoblens();
    const error = Object.assign(new Error('card declined'), { code: 'E_DECLINED' });
    await sdk.joblens.runAttempt(aJob(), (job) => {
      job.span.setAttribute('order.id', 'o-1');
      job.span.setAttribute('order.items', ['a', 'b']);
      job.span.setAttribute('bad.value', { nested: true } as never);
      job.span.setAttribute('', 'no key');
      job.span.setAttribute(null as never, 'a key that is not a string');
      job.span.recordException(error);
      job.span.addEvent('cache.miss', { 'cache.key': 'k', bad: { no: 1 } as never });
    });
    const attempt = attemptOf(await sdk.spans());
    const reference = otelSpan((span) => {
      span.setAttribute('order.id', 'o-1');
      span.setAttribute('order.items', ['a', 'b']);
      span.setAttribute('bad.value', { nested: true } as never);
      span.setAttribute('', 'no key');
      span.recordException(error);
      span.addEvent('cache.miss', { 'cache.key': 'k', bad: { no: 1 } as never });
    });
    expect(attempt.attributes).toMatchObject(reference.attributes);
    expect(attempt.attributes).not.toHaveProperty('bad.value');
    expect(Object.keys(attempt.attributes)).not.toContain('');
    const userEvents = (span: ReadableSpan) =>
      span.events
        .filter((e) => e.name === 'exception' || e.name === 'cache.miss')
        .map((e) => ({ name: e.name, attributes: e.attributes }));
    expect(userEvents(attempt)).toEqual(userEvents(reference));
  });

  it('keeps at most the attribute count limit and counts what it dropped', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob({ jobId: 'plain' }), () => undefined);
    await sdk.joblens.runAttempt(aJob({ jobId: 'crowded' }), (job) => {
      for (let i = 0; i < 200; i++) job.span.setAttribute(`extra.${i}`, i);
    });
    const [plain, crowded] = (await sdk.spans()).filter((s) => s.name === attemptSpanName('emails'));
    expect(Object.keys(crowded.attributes)).toHaveLength(128);
    expect(Object.keys(crowded.attributes).length + crowded.droppedAttributesCount).toBe(
      Object.keys(plain.attributes).length + 200,
    );
  });

  it('cuts long values to OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT, on attempt and step spans alike', async () => {
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '8';
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(
      aJob({ jobName: 'a-very-long-job-name', attributes: { 'tenant.name': 'a-long-tenant' } }),
      (job) => job.step('a-long-step-name', () => undefined),
    );
    const spans = await sdk.spans();
    const attempt = attemptOf(spans);
    expect(attempt.attributes[ATTR_JOB_NAME]).toBe('a-very-l');
    expect(attempt.attributes['tenant.name']).toBe('a-long-t');
    const step = spans.find((s) => s !== attempt);
    expect(step?.attributes[ATTR_STEP_NAME]).toBe('a-long-s');
  });

  it('follows a producer that was not sampled: the job runs, and neither it nor its steps are exported', async () => {
    sdk = startInMemoryJoblens();
    const unsampled = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' };
    const result = await sdk.joblens.runAttempt(aJob({ producerCarrier: unsampled }), (job) => {
      expect(job.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(job.span.isRecording()).toBe(false);
      return job.step('render', () => 'html');
    });
    expect(result).toBe('html');
    expect(await sdk.spans()).toEqual([]);
  });

  it('takes a time that is not a time as now, rather than throwing into the job', async () => {
    sdk = startInMemoryJoblens();
    const result = await sdk.joblens.runAttempt(aJob(), (job) => {
      job.span.addEvent('odd', {}, 'yesterday' as never);
      return 'done';
    });
    expect(result).toBe('done');
    const attempt = attemptOf(await sdk.spans());
    const odd = attempt.events.find((e) => e.name === 'odd');
    expect(odd?.time[0]).toBeGreaterThanOrEqual(attempt.startTime[0]);
  });

  it('keeps a status of OK final and ignores UNSET, as the API asks', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob(), (job) => {
      job.span.setStatus({ code: SpanStatusCode.OK });
      job.span.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
    });
    expect(attemptOf(await sdk.spans()).status).toEqual({ code: SpanStatusCode.OK });
  });
});
