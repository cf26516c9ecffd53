import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BullmqJobProducer } from '../src/bullmq-job-producer.js';

const REDIS_URL = process.env.JOBLENS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

describe('BullmqJobProducer', () => {
  it('enqueues jobs under its own prefix and leaves nothing under it when closed', async () => {
    const prefix = `joblens-demo-test-${randomBytes(4).toString('hex')}`;
    const producer = new BullmqJobProducer(REDIS_URL, prefix);
    await producer.add('demo-emails', { name: 'send-email', data: { to: 'a@example.com' } });
    await producer.add('demo-emails', { name: 'send-email' });
    expect(await producer.waitingCount('demo-emails')).toBe(2);
    // What the SDK's BullMQ adapter keeps per retried job, outside BullMQ's own keys.
    await redis.set(`${prefix}:demo-emails:1:joblens`, '{}', 'PX', 60_000);
    expect((await keysUnder(prefix)).length).toBeGreaterThan(0);
    await producer.close();
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it('does not touch keys of other prefixes', async () => {
    const prefix = `joblens-demo-test-${randomBytes(4).toString('hex')}`;
    const neighbour = `${prefix}x:demo-emails:keep`;
    await redis.set(neighbour, 'keep', 'PX', 60_000);
    const producer = new BullmqJobProducer(REDIS_URL, prefix);
    await producer.add('demo-emails', { name: 'send-email' });
    await producer.close();
    expect(await redis.get(neighbour)).toBe('keep');
    await redis.unlink(neighbour);
  });
});
