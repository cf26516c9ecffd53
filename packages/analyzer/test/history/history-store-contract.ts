import { afterEach, describe, expect, it } from 'vitest';
import {
  type HistoryStore,
  type JobSearch,
  type JobSummary,
  MAX_HISTORY_STEPS,
  MAX_JOB_ATTEMPTS,
} from '../../src/history/history-store.js';
import { InvalidCursorError } from '../../src/history/job-cursor.js';
import { makeHistoryAttempt, makeJobsEndingApart } from './make-history-attempt.js';

export interface HistoryStoreFixture {
  /** An empty history. */
  store: HistoryStore;
  /** Another store on the same history, as a second analyzer would open it. */
  openPeer(): Promise<HistoryStore>;
}

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const emails = { service: 'billing', queue: 'emails', jobId: '42' };

/** Every job of a search, following the cursor page after page. */
async function searchAll(store: HistoryStore, search: JobSearch): Promise<JobSummary[]> {
  const jobs: JobSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = await store.searchJobs({ ...search, cursor });
    jobs.push(...result.jobs);
    cursor = result.nextCursor;
    if (!cursor) return jobs;
  }
  throw new Error('the cursor never ran out');
}

const ids = (jobs: JobSummary[]) => jobs.map((job) => job.jobId);

/**
 * The behaviour every HistoryStore shares, SQLite or PostgreSQL. `open` gives an empty history each time;
 * the suite closes what it opens.
 */
export function describeHistoryStoreContract(name: string, open: () => Promise<HistoryStoreFixture>): void {
  describe(`${name} (history store contract)`, () => {
    const opened: HistoryStore[] = [];
    async function openStore(): Promise<HistoryStore & { openPeer(): Promise<HistoryStore> }> {
      const fixture = await open();
      opened.push(fixture.store);
      return Object.assign(fixture.store, {
        openPeer: async () => {
          const peer = await fixture.openPeer();
          opened.push(peer);
          return peer;
        },
      });
    }
    afterEach(async () => {
      for (const store of opened.splice(0).reverse()) await store.close();
    });

    describe('storing attempts', () => {
      it('finds an appended job by its id and by its name, and gives its attempt back as it was stored', async () => {
        const store = await openStore();
        const attempt = makeHistoryAttempt({
          outcome: 'failed',
          errorType: 'SmtpError',
          errorMessage: 'connection refused',
          longestGapSeconds: 12.5,
          longestGapLocation: 'render->deliver',
        });
        await store.append([attempt]);

        const [byId] = await store.jobsById('42');
        expect(byId).toEqual({
          service: 'billing',
          queue: 'emails',
          jobName: 'send-email',
          jobId: '42',
          attempts: 1,
          lastAttempt: 1,
          lastOutcome: 'failed',
          firstStartMs: attempt.startMs,
          lastEndMs: attempt.endMs,
          lastWorker: 'worker-1',
          lastHost: 'host-a',
          lastErrorType: 'SmtpError',
          lastErrorMessage: 'connection refused',
          latestTraceId: attempt.traceId,
        });
        expect((await store.searchJobs({ name: 'send-email' })).jobs).toEqual([byId]);
        expect(await store.jobAttempts(emails)).toEqual([attempt]);
      });

      it('leaves optional fields out of an attempt that has none', async () => {
        const store = await openStore();
        const attempt = makeHistoryAttempt({ steps: [] });
        await store.append([attempt]);
        const [stored] = await store.jobAttempts(emails);
        expect(stored).toEqual(attempt);
        expect(stored).not.toHaveProperty('errorType');
        expect((await store.jobsById('42'))[0]).not.toHaveProperty('lastErrorMessage');
      });

      it(`keeps the first ${MAX_HISTORY_STEPS} steps of an attempt that has more`, async () => {
        const store = await openStore();
        const steps = Array.from({ length: MAX_HISTORY_STEPS + 5 }, (_, i) => ({
          name: `step-${i}`,
          startMs: T0 + i,
          endMs: T0 + i + 1,
        }));
        await store.append([makeHistoryAttempt({ steps })]);
        const [stored] = await store.jobAttempts(emails);
        expect(stored.steps).toEqual(steps.slice(0, MAX_HISTORY_STEPS));
      });

      it('stores an attempt once however many times it is appended', async () => {
        const store = await openStore();
        const first = makeHistoryAttempt({ attempt: 1, endMs: T0 });
        const second = makeHistoryAttempt({ attempt: 2, endMs: T0 + MINUTE });
        await store.append([first, second]);
        const size = await store.sizeBytes();

        await store.append([first, second, first]);
        await store.append([second]);

        expect(await store.jobAttempts(emails)).toHaveLength(2);
        expect((await store.jobsById('42'))[0].attempts).toBe(2);
        expect(await store.sizeBytes()).toBe(size);
      });

      it('stores a large batch whole: each attempt once, and a job retried within it counted twice', async () => {
        const store = await openStore();
        const batch = Array.from({ length: 150 }, (_, i) =>
          makeHistoryAttempt({ jobId: `job-${i}`, endMs: T0 + i * 1000 }),
        );
        // A retry of job 10 far into the batch (another statement, for a store that inserts rows in chunks),
        // and one attempt sent twice.
        const retry = makeHistoryAttempt({ jobId: 'job-10', attempt: 2, endMs: T0 + 200_000 });
        await store.append([...batch, retry, batch[3]]);

        expect(await store.jobAttempts({ ...emails, jobId: 'job-149' })).toEqual([batch[149]]);
        expect(await store.jobAttempts({ ...emails, jobId: 'job-3' })).toHaveLength(1);
        const [retried] = await store.jobsById('job-10');
        expect(retried).toMatchObject({ attempts: 2, lastAttempt: 2, lastEndMs: T0 + 200_000 });
        expect((await store.searchJobs({ limit: 500 })).jobs).toHaveLength(150);
      });

      it("counts a job's attempts and keeps its highest attempt number and its first start", async () => {
        const store = await openStore();
        await store.append([
          makeHistoryAttempt({ attempt: 1, startMs: T0, endMs: T0 + MINUTE, outcome: 'retry_scheduled' }),
          makeHistoryAttempt({
            attempt: 2,
            startMs: T0 + 2 * MINUTE,
            endMs: T0 + 3 * MINUTE,
            outcome: 'retry_scheduled',
          }),
        ]);
        await store.append([
          makeHistoryAttempt({ attempt: 3, startMs: T0 + 4 * MINUTE, endMs: T0 + 5 * MINUTE }),
        ]);

        const [job] = await store.jobsById('42');
        expect(job).toMatchObject({
          attempts: 3,
          lastAttempt: 3,
          lastOutcome: 'completed',
          firstStartMs: T0,
          lastEndMs: T0 + 5 * MINUTE,
        });
      });

      it('takes the latest state from the attempt that ended last, even when that attempt arrives first', async () => {
        const store = await openStore();
        const last = makeHistoryAttempt({
          attempt: 2,
          endMs: T0 + 5 * MINUTE,
          worker: 'worker-2',
          host: 'host-b',
        });
        const earlier = makeHistoryAttempt({
          attempt: 1,
          endMs: T0 + MINUTE,
          worker: 'worker-1',
          outcome: 'retry_scheduled',
          errorType: 'Timeout',
          errorMessage: 'took too long',
        });
        await store.append([last]);
        await store.append([earlier]);

        const [job] = await store.jobsById('42');
        expect(job).toMatchObject({
          attempts: 2,
          lastAttempt: 2,
          lastOutcome: 'completed',
          lastEndMs: T0 + 5 * MINUTE,
          firstStartMs: earlier.startMs,
          lastWorker: 'worker-2',
          lastHost: 'host-b',
          latestTraceId: last.traceId,
        });
        expect(job).not.toHaveProperty('lastErrorType');
      });

      it('lists the attempts of a job oldest first, and none for a job it does not know', async () => {
        const store = await openStore();
        const attempts = [3, 1, 2].map((n) => makeHistoryAttempt({ attempt: n, startMs: T0 + n * MINUTE }));
        await store.append(attempts);
        await store.append([makeHistoryAttempt({ queue: 'sms' })]);

        expect((await store.jobAttempts(emails)).map((a) => a.attempt)).toEqual([1, 2, 3]);
        expect(await store.jobAttempts({ ...emails, jobId: '43' })).toEqual([]);
      });

      it(`lists the newest ${MAX_JOB_ATTEMPTS} attempts of a job retried more often, and counts them all`, async () => {
        const store = await openStore();
        const attempts = Array.from({ length: MAX_JOB_ATTEMPTS + 20 }, (_, i) =>
          makeHistoryAttempt({ attempt: i + 1, endMs: T0 + i * MINUTE }),
        );
        for (let i = 0; i < attempts.length; i += 7) await store.append(attempts.slice(i, i + 7));

        expect((await store.jobAttempts(emails)).map((a) => a.attempt)).toEqual(
          attempts.slice(20).map((a) => a.attempt),
        );
        expect((await store.jobsById('42'))[0]).toMatchObject({
          attempts: MAX_JOB_ATTEMPTS + 20,
          lastAttempt: MAX_JOB_ATTEMPTS + 20,
          firstStartMs: attempts[0].startMs,
        });

        // The 20 no longer listed are older than any listed: pruning past the 30th takes them all.
        const result = await store.prune({
          olderThanMs: T0 + 30 * MINUTE,
          maxBytes: Number.MAX_SAFE_INTEGER,
        });
        expect(result).toEqual({ deletedAttempts: 30 });
        expect((await store.jobsById('42'))[0]).toMatchObject({ attempts: MAX_JOB_ATTEMPTS - 10 });
        expect(await store.jobAttempts(emails)).toHaveLength(MAX_JOB_ATTEMPTS - 10);
      });

      it('tells apart jobs that share an id in different queues, and finds both by that id', async () => {
        const store = await openStore();
        await store.append([
          makeHistoryAttempt({ queue: 'emails', endMs: T0 }),
          makeHistoryAttempt({ queue: 'sms', endMs: T0 + MINUTE }),
          makeHistoryAttempt({ queue: 'sms', service: 'alerts', endMs: T0 + 2 * MINUTE }),
        ]);
        const jobs = await store.jobsById('42');
        expect(jobs.map((job) => `${job.service}/${job.queue}`).sort()).toEqual([
          'alerts/sms',
          'billing/emails',
          'billing/sms',
        ]);
        expect(jobs.every((job) => job.attempts === 1)).toBe(true);
        expect(await store.jobsById('43')).toEqual([]);
      });

      it('keeps a correct count when two stores append the same job at the same time', async () => {
        const store = await openStore();
        const peer = await store.openPeer();
        for (let round = 0; round < 5; round++) {
          const jobId = `shared-${round}`;
          const attempts = Array.from({ length: 6 }, (_, i) =>
            makeHistoryAttempt({ jobId, attempt: i + 1, endMs: T0 + i * MINUTE }),
          );
          // Each writes four of the six, two in common, in opposite orders.
          await Promise.all([
            store.append(attempts.slice(0, 4)),
            peer.append(attempts.slice(2).reverse()),
            store.append(attempts.slice(1, 3)),
          ]);
          const [job] = await peer.jobsById(jobId);
          expect(job).toMatchObject({ attempts: 6, lastAttempt: 6, lastEndMs: T0 + 5 * MINUTE });
          expect(await store.jobAttempts({ ...emails, jobId })).toHaveLength(6);
        }
      });
    });

    describe('searching jobs', () => {
      async function storeWithVariedJobs(): Promise<HistoryStore> {
        const store = await openStore();
        await store.append([
          makeHistoryAttempt({ jobId: 'a', queue: 'emails', jobName: 'send-email', endMs: T0 + 1 * MINUTE }),
          makeHistoryAttempt({
            jobId: 'b',
            queue: 'emails',
            jobName: 'send-email',
            worker: 'worker-2',
            outcome: 'failed',
            errorType: 'SmtpError',
            errorMessage: 'Mailbox FULL (100%_used)',
            endMs: T0 + 2 * MINUTE,
          }),
          makeHistoryAttempt({
            jobId: 'c',
            queue: 'reports',
            jobName: 'build-report',
            outcome: 'exhausted',
            errorType: 'OutOfMemory',
            errorMessage: 'heap limit reached',
            endMs: T0 + 3 * MINUTE,
          }),
          makeHistoryAttempt({
            jobId: 'd',
            queue: 'reports',
            jobName: 'build-report',
            worker: 'worker-2',
            endMs: T0 + 4 * MINUTE,
          }),
          // Job e failed first on worker-3, then completed on worker-1: its latest state is what counts.
          makeHistoryAttempt({
            jobId: 'e',
            queue: 'emails',
            jobName: 'send-email',
            worker: 'worker-3',
            outcome: 'retry_scheduled',
            errorType: 'SmtpError',
            errorMessage: 'greylisted',
            endMs: T0 + 5 * MINUTE,
          }),
          makeHistoryAttempt({
            jobId: 'e',
            queue: 'emails',
            jobName: 'send-email',
            attempt: 2,
            endMs: T0 + 6 * MINUTE,
          }),
        ]);
        return store;
      }
      const found = async (store: HistoryStore, search: JobSearch) =>
        ids((await store.searchJobs(search)).jobs);

      it('lists every job newest first when no filter is given', async () => {
        const store = await storeWithVariedJobs();
        expect(await found(store, {})).toEqual(['e', 'd', 'c', 'b', 'a']);
      });

      it('filters by queue, by name and by id', async () => {
        const store = await storeWithVariedJobs();
        expect(await found(store, { queue: 'reports' })).toEqual(['d', 'c']);
        expect(await found(store, { name: 'send-email' })).toEqual(['e', 'b', 'a']);
        expect(await found(store, { id: 'c' })).toEqual(['c']);
        expect(await found(store, { name: 'send' })).toEqual([]);
      });

      it("filters by the worker and the outcome of the job's latest attempt", async () => {
        const store = await storeWithVariedJobs();
        expect(await found(store, { worker: 'worker-2' })).toEqual(['d', 'b']);
        expect(await found(store, { worker: 'worker-3' })).toEqual([]);
        expect(await found(store, { outcome: 'completed' })).toEqual(['e', 'd', 'a']);
        expect(await found(store, { outcome: 'retry_scheduled' })).toEqual([]);
      });

      it('finds a substring of the latest error type or message, whatever its case', async () => {
        const store = await storeWithVariedJobs();
        expect(await found(store, { error: 'smtperr' })).toEqual(['b']);
        expect(await found(store, { error: 'HEAP LIMIT' })).toEqual(['c']);
        expect(await found(store, { error: 'greylisted' })).toEqual([]);
      });

      it('matches % and _ in an error search as themselves, not as wildcards', async () => {
        const store = await storeWithVariedJobs();
        expect(await found(store, { error: '100%_used' })).toEqual(['b']);
        expect(await found(store, { error: '%' })).toEqual(['b']);
        expect(await found(store, { error: 'full_(100' })).toEqual([]);
        expect(await found(store, { error: 'heap_limit' })).toEqual([]);
      });

      it('filters by when the latest attempt ended, from inclusive to exclusive', async () => {
        const store = await storeWithVariedJobs();
        expect(await found(store, { fromMs: T0 + 2 * MINUTE, toMs: T0 + 4 * MINUTE })).toEqual(['c', 'b']);
        expect(await found(store, { fromMs: T0 + 6 * MINUTE })).toEqual(['e']);
        expect(await found(store, { toMs: T0 + 2 * MINUTE })).toEqual(['a']);
      });

      it('combines filters with AND', async () => {
        const store = await storeWithVariedJobs();
        expect(
          await found(store, { queue: 'emails', worker: 'worker-2', outcome: 'failed', error: 'mailbox' }),
        ).toEqual(['b']);
        expect(await found(store, { queue: 'reports', error: 'smtp' })).toEqual([]);
      });

      it('pages through every job exactly once with the cursor, jobs that ended at the same time included', async () => {
        const store = await openStore();
        const attempts = Array.from({ length: 23 }, (_, i) =>
          // Three jobs end in each second: the cursor must tell them apart by more than the time.
          makeHistoryAttempt({ jobId: `job-${i}`, endMs: T0 + Math.floor(i / 3) * 1000 }),
        );
        await store.append(attempts);

        const first = await store.searchJobs({ limit: 5 });
        expect(first.jobs).toHaveLength(5);
        expect(first.nextCursor).toEqual(expect.any(String));
        const all = await searchAll(store, { limit: 5 });
        expect(all).toHaveLength(23);
        expect(new Set(ids(all)).size).toBe(23);
        const ends = all.map((job) => job.lastEndMs);
        expect(ends).toEqual([...ends].sort((x, y) => y - x));
        expect(ids(await searchAll(store, { limit: 4, name: 'send-email', toMs: T0 + 3000 }))).toHaveLength(
          9,
        );
      });

      it('pages past jobs that ended at a fraction of a millisecond, as nanosecond timestamps do', async () => {
        const store = await openStore();
        await store.append(
          Array.from({ length: 4 }, (_, i) =>
            makeHistoryAttempt({ jobId: `job-${i}`, endMs: T0 + i + 0.9998 }),
          ),
        );
        expect(ids(await searchAll(store, { limit: 1 }))).toEqual(['job-3', 'job-2', 'job-1', 'job-0']);
      });

      it('gives no cursor on the last page', async () => {
        const store = await openStore();
        await store.append(makeJobsEndingApart(4, T0));
        expect((await store.searchJobs({ limit: 4 })).nextCursor).toBeUndefined();
        expect((await store.searchJobs({ limit: 3 })).nextCursor).toBeDefined();
      });

      it('returns 50 jobs when no limit is given and never more than 500', async () => {
        const store = await openStore();
        await store.append(makeJobsEndingApart(520, T0));
        expect((await store.searchJobs({})).jobs).toHaveLength(50);
        expect((await store.searchJobs({ limit: 10_000 })).jobs).toHaveLength(500);
        expect((await store.searchJobs({ limit: 0 })).jobs).toHaveLength(1);
      });

      it('rejects a cursor it did not hand out', async () => {
        const store = await openStore();
        await expect(store.searchJobs({ cursor: 'not-a-cursor' })).rejects.toThrow(InvalidCursorError);
        await expect(
          store.searchJobs({ cursor: Buffer.from('{"a":1}').toString('base64url') }),
        ).rejects.toThrow(InvalidCursorError);
      });
    });

    describe('pruning', () => {
      it('deletes attempts that ended before the retention, and the jobs left without any', async () => {
        const store = await openStore();
        await store.append([
          makeHistoryAttempt({ jobId: 'old', endMs: T0 }),
          makeHistoryAttempt({ jobId: 'mixed', attempt: 1, endMs: T0 + MINUTE }),
          makeHistoryAttempt({ jobId: 'mixed', attempt: 2, endMs: T0 + 10 * MINUTE }),
          makeHistoryAttempt({ jobId: 'new', endMs: T0 + 10 * MINUTE }),
        ]);

        const result = await store.prune({ olderThanMs: T0 + 5 * MINUTE, maxBytes: Number.MAX_SAFE_INTEGER });

        expect(result).toEqual({ deletedAttempts: 2 });
        expect(await store.jobsById('old')).toEqual([]);
        expect(await store.jobAttempts({ ...emails, jobId: 'old' })).toEqual([]);
        expect((await store.jobsById('mixed'))[0]).toMatchObject({
          attempts: 1,
          lastEndMs: T0 + 10 * MINUTE,
        });
        expect((await store.jobAttempts({ ...emails, jobId: 'mixed' })).map((a) => a.attempt)).toEqual([2]);
        expect(ids(await searchAll(store, {}))).toEqual(['new', 'mixed']);
      });

      it('prunes more old attempts than fit in one batch', async () => {
        const store = await openStore();
        const old = makeJobsEndingApart(2500, T0);
        for (let i = 0; i < old.length; i += 500) await store.append(old.slice(i, i + 500));
        await store.append([makeHistoryAttempt({ jobId: 'kept', endMs: T0 + 10_000_000 })]);

        const result = await store.prune({ olderThanMs: T0 + 5_000_000, maxBytes: Number.MAX_SAFE_INTEGER });

        expect(result.deletedAttempts).toBe(2500);
        expect(ids(await searchAll(store, { limit: 500 }))).toEqual(['kept']);
      });

      it('deletes the oldest attempts until the history fits in the size it may take, and no more', async () => {
        const store = await openStore();
        const attempts = makeJobsEndingApart(20, T0);
        await store.append(attempts);
        const full = await store.sizeBytes();
        expect(full).toBeGreaterThan(0);

        await store.prune({ olderThanMs: 0, maxBytes: Math.floor(full / 2) });

        const size = await store.sizeBytes();
        expect(size).toBeLessThanOrEqual(full / 2);
        const kept = await searchAll(store, {});
        // Same-sized attempts: half of them fit, and the ones kept are the newest.
        expect(ids(kept)).toEqual(
          attempts
            .slice(10)
            .map((a) => a.jobId)
            .reverse(),
        );
      });

      it('grows by what each new attempt takes, and shrinks back to nothing when everything is pruned', async () => {
        const store = await openStore();
        expect(await store.sizeBytes()).toBe(0);
        await store.append([makeHistoryAttempt({ jobId: 'x' })]);
        const one = await store.sizeBytes();
        await store.append([makeHistoryAttempt({ jobId: 'y', errorMessage: 'e'.repeat(1000) })]);
        expect(await store.sizeBytes()).toBeGreaterThan(2 * one + 900);

        expect(await store.prune({ olderThanMs: 0, maxBytes: 0 })).toEqual({ deletedAttempts: 2 });
        expect(await store.sizeBytes()).toBe(0);
        expect((await store.searchJobs({})).jobs).toEqual([]);
      });
    });
  });
}
