import type { SpanRecord } from '@joblens/otlp-receiver';
import { makeAttemptSpan, makeResource, makeStepSpan } from '@joblens/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryWriter, type HistoryWriterOptions } from '../../src/history/history-writer.js';
import { SqliteHistoryStore } from '../../src/history/sqlite-history-store.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { TelemetryModel } from '../../src/model/telemetry-model.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.js';
import { FlakyHistoryStore } from './flaky-history-store.js';

const T0 = Date.UTC(2026, 0, 5, 12);
const resource = makeResource({ service: 'billing', worker: 'w-1', host: 'h-1' });

let now: number;
let db: SqliteDatabase;
let store: FlakyHistoryStore;
let model: TelemetryModel;
let logger: MemoryLogger;

beforeEach(() => {
  now = T0;
  db = openDatabase(':memory:');
  store = new FlakyHistoryStore(new SqliteHistoryStore(db));
  model = new TelemetryModel({ clock: () => now });
  logger = new MemoryLogger();
});

afterEach(() => {
  if (db.open) db.close();
});

/** A writer tapping the model, as the analyzer wires it. */
function tapModel(options: Partial<HistoryWriterOptions> = {}): HistoryWriter {
  const writer = new HistoryWriter({
    store,
    clock: () => now,
    longestGapOf: (attempt) => model.attemptLongestGap(attempt),
    settleMillis: 3000,
    logger,
    ...options,
  });
  model.listen({ finishedAttempt: (attempt) => writer.capture(attempt) });
  return writer;
}

function exportJob(jobId: string, startMs = T0 - 20_000): SpanRecord {
  const attempt = makeAttemptSpan({ resource, queue: 'invoices', jobName: 'render', jobId, startMs });
  model.ingestSpans([attempt]);
  return attempt;
}

const renderJob = (jobId: string) => ({ service: 'billing', queue: 'invoices', jobId });

describe('the history writer', () => {
  it('writes an attempt once it settled, with the steps and the gap that came after its span', async () => {
    const writer = tapModel();
    const startMs = T0 - 20_000;
    const attempt = makeAttemptSpan({
      resource,
      queue: 'invoices',
      jobName: 'render',
      jobId: 'inv-1',
      startMs,
      durationMs: 10_000,
    });
    model.ingestSpans([attempt]);
    await writer.tick();
    expect(await store.jobAttempts(renderJob('inv-1'))).toEqual([]);

    now += 1000;
    model.ingestSpans([
      makeStepSpan({ parent: attempt, name: 'fetch', startMs, endMs: startMs + 1000 }),
      makeStepSpan({ parent: attempt, name: 'upload', startMs: startMs + 9000, endMs: startMs + 10_000 }),
    ]);
    now += 2000;
    await writer.tick();

    const [written] = await store.jobAttempts(renderJob('inv-1'));
    expect(written).toMatchObject({
      jobName: 'render',
      attempt: 1,
      worker: 'w-1',
      host: 'h-1',
      outcome: 'completed',
      traceId: attempt.traceId,
      spanId: attempt.spanId,
      steps: [
        { name: 'fetch', startMs, endMs: startMs + 1000 },
        { name: 'upload', startMs: startMs + 9000, endMs: startMs + 10_000 },
      ],
      longestGapSeconds: 8,
      longestGapLocation: 'fetch->upload',
    });
    expect(writer.counts.written).toBe(1);
  });

  it('appends at most a batch at a time', async () => {
    const writer = tapModel({ maxBatchSize: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) exportJob(id);
    await writer.tick();
    now += 3000;
    await writer.tick();
    expect(store.appendSizes).toEqual([2, 2, 1]);
    expect((await store.searchJobs({ name: 'render' })).jobs).toHaveLength(5);
  });

  it('asks for back pressure once settled attempts wait for the store, and lets go once it caught up', async () => {
    const writer = tapModel({ maxQueued: 3 });
    store.failing = true;
    for (const id of ['a', 'b', 'c']) exportJob(id);
    expect(writer.overloaded).toBe(false);
    await writer.tick();
    now += 3000;
    await writer.tick();
    expect(writer.backlog).toBe(3);
    expect(writer.overloaded).toBe(true);

    store.failing = false;
    await writer.tick();
    expect(writer.overloaded).toBe(false);
    expect(writer.queued).toBe(0);
  });

  it('asks for back pressure when the attempts still settling reach one and a half times the bound', () => {
    const writer = tapModel({ maxQueued: 2 });
    exportJob('a');
    exportJob('b');
    expect(writer.overloaded).toBe(false);
    exportJob('c');
    expect(writer.backlog).toBe(0);
    expect(writer.overloaded).toBe(true);
  });

  it('drops and counts attempts only past twice the queue bound', async () => {
    const writer = tapModel({ maxQueued: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) exportJob(id);
    expect(writer.queued).toBe(4);
    expect(writer.counts.dropped).toBe(1);
  });

  it('keeps a batch the store refused, reports it, and writes it when the store works again', async () => {
    const writer = tapModel({ maxQueued: 2 });
    store.failing = true;
    exportJob('a');
    await writer.tick();
    now += 3000;
    await writer.tick();
    expect(writer.error?.message).toBe('database or disk is full');
    expect(writer.counts.failedAppends).toBe(1);
    expect(writer.queued).toBe(1);
    exportJob('b');
    expect(writer.backlog).toBe(1);

    store.failing = false;
    now += 1000;
    await writer.tick();
    expect(writer.error).toBeUndefined();
    expect(writer.queued).toBe(1);
    now += 3000;
    await writer.tick();
    expect(writer.queued).toBe(0);
    expect((await store.searchJobs({ name: 'render' })).jobs.map((job) => job.jobId).sort()).toEqual([
      'a',
      'b',
    ]);
    expect(logger.lines.map((line) => line.text)).toEqual([
      'writing the job history failed; refusing telemetry while attempts pile up: database or disk is full',
      'the job history store works again',
    ]);
  });

  it('runs one append at a time, however often it is ticked', async () => {
    const writer = tapModel({ maxBatchSize: 1, settleMillis: 0 });
    exportJob('a');
    exportJob('b');
    await Promise.all([writer.tick(), writer.tick(), writer.tick()]);
    expect(store.appendSizes).toEqual([1, 1]);
  });

  it('writes what it holds when stopped, settled or not', async () => {
    const writer = tapModel();
    exportJob('a');
    await writer.stop(1000);
    expect(await store.jobAttempts(renderJob('a'))).toHaveLength(1);
  });

  it('gives up stopping at once when the store fails, saying what is left unwritten', async () => {
    const writer = tapModel();
    store.failing = true;
    exportJob('a');
    await writer.stop(60_000);
    expect(logger.lines.at(-1)?.text).toBe('stopping with 1 attempts not written to the job history');
  });
});
