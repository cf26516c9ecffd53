import { createRequire } from 'node:module';
import { ATTR_WAITING_OPERATIONS, LOG_JOB_STILL_RUNNING } from '@joblens/semconv';
import { ensureRedis } from '@joblens/test-utils';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeClientSpan, WaitingSpanProcessor } from '../src/waiting/client-span-processor.js';
import { aJob, type InMemoryJoblens, sleep, startInMemoryJoblens } from './support/in-memory-joblens.js';

// The application's own OpenTelemetry setup, as a user has it: a tracer provider with the official
// instrumentations of its Redis and PostgreSQL clients, and joblens's processor added to it. Its context
// manager makes the attempt span the parent of the client spans (ioredis's instrumentation requires one).
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
const provider = new BasicTracerProvider({ spanProcessors: [new WaitingSpanProcessor()] });
const instrumentations = [new IORedisInstrumentation(), new PgInstrumentation()];
for (const instrumentation of instrumentations) {
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
}
// Loaded through require after the instrumentations are enabled, as the instrumentations patch require.
const load = createRequire(import.meta.url);
const Redis = load('ioredis') as typeof import('ioredis').default;
const pg = load('pg') as typeof import('pg');

let sdk: InMemoryJoblens;

async function waitingOperations(): Promise<string[]> {
  for (;;) {
    const records = (await sdk.logs())
      .filter((log) => log.eventName === LOG_JOB_STILL_RUNNING)
      .map((log) => (log.attributes[ATTR_WAITING_OPERATIONS] ?? []) as string[])
      .filter((operations) => operations.length > 0);
    if (records.length > 0) return records[records.length - 1];
    await sleep(20);
  }
}

beforeAll(ensureRedis);
afterEach(() => sdk?.shutdown());
afterAll(() => {
  for (const instrumentation of instrumentations) instrumentation.disable();
  context.disable();
});

describe('what a silent attempt waits on, from its clients’ OpenTelemetry spans', () => {
  it('names a Redis command that blocks, with the server, and no arguments', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50, sampling: { gapThresholdMillis: 20 } });
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
    try {
      const job = sdk.joblens.runAttempt(aJob(), async () => {
        // Nothing ever pushes to this list: the job waits until the connection is closed.
        await redis.blpop('joblens-test-never-pushed-secret-key', 0).catch(() => {});
      });
      expect(await waitingOperations()).toEqual(['BLPOP redis://127.0.0.1:6379']);
      redis.disconnect();
      await job;
    } finally {
      redis.disconnect();
    }
  });

  it('names a PostgreSQL query that does not return, without its text', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50, sampling: { gapThresholdMillis: 20 } });
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await client.connect();
    const job = sdk.joblens.runAttempt(aJob(), async () => {
      await client.query("SELECT pg_sleep(30), 'a literal that must not leak'").catch(() => {});
    });
    try {
      expect(await waitingOperations()).toEqual(['SELECT postgresql://127.0.0.1:5432/postgres']);
    } finally {
      // Ending the connection cancels the sleep; the job then ends.
      await client.end().catch(() => {});
      await job;
    }
  });

  it('ignores HTTP client spans, which the diagnostics channels follow already', () => {
    expect(
      describeClientSpan('GET', {
        'http.request.method': 'GET',
        'server.address': 'example.com',
        'db.system': 'x',
      }),
    ).toBeUndefined();
  });

  it('keeps calls made outside any attempt off every attempt', async () => {
    sdk = startInMemoryJoblens({ stillRunningIntervalMillis: 50, sampling: { gapThresholdMillis: 20 } });
    const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
    const outside = redis.blpop('joblens-test-outside', 0).catch(() => {});
    const job = sdk.joblens.runAttempt(aJob(), () => sleep(300));
    await job;
    const named = (await sdk.logs()).flatMap(
      (log) => (log.attributes[ATTR_WAITING_OPERATIONS] ?? []) as string[],
    );
    expect(named).toEqual([]);
    redis.disconnect();
    await outside;
  });
});
