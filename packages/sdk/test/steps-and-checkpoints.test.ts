import {
  ATTR_CHECKPOINT_DATA,
  ATTR_CHECKPOINT_NAME,
  ATTR_STEP_NAME,
  EVENT_CHECKPOINT,
  EVENT_EXCEPTION,
  MAX_CHECKPOINT_DATA_BYTES,
} from '@joblens/semconv';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpoint, currentAttempt, step } from '../src/index.js';
import { aJob, type InMemoryJoblens, startInMemoryJoblens } from './support/in-memory-joblens.js';

describe('steps and checkpoints', () => {
  let sdk: InMemoryJoblens;
  afterEach(() => sdk?.shutdown());

  it('makes each step an INTERNAL child span of the attempt, nested as called', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob(), async (job) => {
      await job.step('fetch', async () => {
        await job.step('parse', () => 'parsed');
      });
      await job.step('upload', () => 'uploaded');
    });
    const spans = await sdk.spans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    const attempt = byName.get('process emails');
    expect(byName.get('fetch')?.kind).toBe(SpanKind.INTERNAL);
    expect(byName.get('fetch')?.attributes[ATTR_STEP_NAME]).toBe('fetch');
    expect(byName.get('fetch')?.parentSpanContext?.spanId).toBe(attempt?.spanContext().spanId);
    expect(byName.get('parse')?.parentSpanContext?.spanId).toBe(byName.get('fetch')?.spanContext().spanId);
    expect(byName.get('upload')?.parentSpanContext?.spanId).toBe(attempt?.spanContext().spanId);
  });

  it('records a failing step and rethrows its error untouched', async () => {
    sdk = startInMemoryJoblens();
    const thrown = new RangeError('bad page');
    const caught = await sdk.joblens
      .runAttempt(aJob(), (job) =>
        job.step('render', () => {
          throw thrown;
        }),
      )
      .catch((error: unknown) => error);
    expect(caught).toBe(thrown);
    const render = (await sdk.spans()).find((s) => s.name === 'render');
    expect(render?.status.code).toBe(SpanStatusCode.ERROR);
    expect(render?.events.map((e) => e.name)).toContain(EVENT_EXCEPTION);
  });

  it('passes a step result through', async () => {
    sdk = startInMemoryJoblens();
    const value = { rows: 3 };
    const result = await sdk.joblens.runAttempt(aJob(), (job) => job.step('query', async () => value));
    expect(result).toBe(value);
  });

  it('adds a checkpoint event with its data as bounded JSON', async () => {
    sdk = startInMemoryJoblens();
    await sdk.joblens.runAttempt(aJob(), (job) => {
      job.checkpoint('page', { page: 3, of: 10 });
      job.checkpoint('blob', { text: 'x'.repeat(10_000) });
    });
    const [span] = (await sdk.spans()).filter((s) => s.name === 'process emails');
    const checkpoints = span.events.filter((e) => e.name === EVENT_CHECKPOINT);
    expect(checkpoints.map((e) => e.attributes?.[ATTR_CHECKPOINT_NAME])).toEqual(['page', 'blob']);
    expect(JSON.parse(String(checkpoints[0].attributes?.[ATTR_CHECKPOINT_DATA]))).toEqual({
      page: 3,
      of: 10,
    });
    const big = String(checkpoints[1].attributes?.[ATTR_CHECKPOINT_DATA]);
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(MAX_CHECKPOINT_DATA_BYTES);
    expect(JSON.parse(big).truncated).toBe(true);
  });

  it('survives checkpoint data that cannot be serialized', async () => {
    sdk = startInMemoryJoblens();
    const cyclic: Record<string, unknown> = { big: 10n };
    cyclic.self = cyclic;
    await sdk.joblens.runAttempt(aJob(), (job) => job.checkpoint('odd', cyclic));
    const [span] = await sdk.spans();
    const data = span.events.find((e) => e.name === EVENT_CHECKPOINT)?.attributes?.[ATTR_CHECKPOINT_DATA];
    expect(JSON.parse(String(data))).toEqual({ big: '10', self: '[circular]' });
  });

  it('lets deep code reach the attempt through step(), checkpoint() and currentAttempt()', async () => {
    sdk = startInMemoryJoblens();
    async function deepLibraryCode(): Promise<string | undefined> {
      checkpoint('deep', { ok: true });
      return step('deep-step', () => currentAttempt()?.spanId);
    }
    let attemptSpanId = '';
    const seen = await sdk.joblens.runAttempt(aJob(), async (job) => {
      attemptSpanId = job.spanId;
      return deepLibraryCode();
    });
    expect(seen).toBe(attemptSpanId);
    const spans = await sdk.spans();
    expect(spans.find((s) => s.name === 'deep-step')?.parentSpanContext?.spanId).toBe(attemptSpanId);
    const attempt = spans.find((s) => s.name === 'process emails');
    expect(attempt?.events.some((e) => e.name === EVENT_CHECKPOINT)).toBe(true);
  });

  it('outside an attempt, step() just runs the function and checkpoint() does nothing', async () => {
    sdk = startInMemoryJoblens();
    expect(currentAttempt()).toBeUndefined();
    expect(await step('alone', () => 7)).toBe(7);
    expect(() => checkpoint('alone', { x: 1 })).not.toThrow();
    expect(await sdk.spans()).toHaveLength(0);
  });

  it('keeps concurrent attempts apart', async () => {
    sdk = startInMemoryJoblens();
    const run = (id: string, delay: number) =>
      sdk.joblens.runAttempt(aJob({ jobId: id }), async () => {
        await new Promise((r) => setTimeout(r, delay));
        return step(`step-${id}`, () => currentAttempt()?.spanId);
      });
    const [a, b] = await Promise.all([run('a', 30), run('b', 5)]);
    const spans = await sdk.spans();
    expect(spans.find((s) => s.name === 'step-a')?.parentSpanContext?.spanId).toBe(a);
    expect(spans.find((s) => s.name === 'step-b')?.parentSpanContext?.spanId).toBe(b);
    expect(a).not.toBe(b);
  });
});
