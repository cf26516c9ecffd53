import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalJobQueue } from '../src/local-job-queue.js';
import type { LocalJob, ParentMessage } from '../src/worker-protocol.js';

const queues: LocalJobQueue[] = [];
afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.close();
});

function makeQueue() {
  const sent: { workerId: string; message: ParentMessage }[] = [];
  const queue = new LocalJobQueue((workerId, message) => sent.push({ workerId, message }), 50);
  queues.push(queue);
  const jobsSent = () =>
    sent.flatMap((entry) =>
      entry.message.type === 'job' ? [{ workerId: entry.workerId, job: entry.message.job }] : [],
    );
  return { queue, sent, jobsSent };
}

describe('LocalJobQueue', () => {
  it('hands waiting jobs to free slots in the order both arrived', async () => {
    const { queue, jobsSent } = makeQueue();
    await queue.add('q', { name: 'a' });
    await queue.add('q', { name: 'b' });
    queue.handle('w1', { type: 'pull', queue: 'q' });
    queue.handle('w2', { type: 'pull', queue: 'q' });
    expect(jobsSent().map(({ workerId, job }) => `${workerId}:${job.name}`)).toEqual(['w1:a', 'w2:b']);
    expect(await queue.waitingCount('q')).toBe(0);
  });

  it('gives a worker with more free slots more of a backlog', async () => {
    const { queue, jobsSent } = makeQueue();
    for (let i = 0; i < 10; i++) await queue.add('q', { name: `job-${i}` });
    for (let slot = 0; slot < 4; slot++) queue.handle('hot', { type: 'pull', queue: 'q' });
    queue.handle('cold', { type: 'pull', queue: 'q' });
    const taken = (workerId: string) => jobsSent().filter((entry) => entry.workerId === workerId).length;
    expect(taken('hot')).toBe(4);
    expect(taken('cold')).toBe(1);
    expect(await queue.waitingCount('q')).toBe(5);
  });

  it('retries a failed attempt after its backoff as the next attempt, until attempts run out', async () => {
    const { queue, jobsSent } = makeQueue();
    await queue.add('q', { name: 'poison', attempts: 2, backoffMillis: 30 });
    queue.handle('w', { type: 'pull', queue: 'q' });
    const first = jobsSent()[0].job as LocalJob;
    queue.handle('w', { type: 'result', queue: 'q', jobId: first.id, ok: false, error: 'bad' });
    queue.handle('w', { type: 'pull', queue: 'q' });
    expect(jobsSent()).toHaveLength(1);
    await sleep(80);
    const second = jobsSent()[1].job;
    expect(second).toMatchObject({ id: first.id, attempt: 2, maxAttempts: 2 });
    queue.handle('w', { type: 'result', queue: 'q', jobId: second.id, ok: false, error: 'bad' });
    queue.handle('w', { type: 'pull', queue: 'q' });
    await sleep(80);
    expect(jobsSent()).toHaveLength(2);
  });

  it('tells the consumers of a queue its counts and the age of its oldest ready job', async () => {
    const { queue, sent } = makeQueue();
    queue.handle('w', { type: 'pull', queue: 'q' });
    await queue.add('q', { name: 'running' });
    await queue.add('q', { name: 'waiting' });
    await sleep(120);
    const stats = sent.map((entry) => entry.message).filter((message) => message.type === 'queue-stats');
    expect(stats.at(-1)).toMatchObject({ queue: 'q', counts: { waiting: 1, active: 1 } });
    const last = stats.at(-1);
    expect(last?.type === 'queue-stats' ? last.oldestReadyAgeSeconds : 0).toBeGreaterThan(0.05);
  });
});
