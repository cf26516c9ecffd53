import { MESSAGING_SYSTEM_BULLMQ, QUEUE_STATES, type QueueState } from '@joblens/semconv';
import type { Queue } from 'bullmq';
import type { QueueStats, QueueStatsSource } from '../../interfaces.js';

const COMMAND = 'joblensOldestReadyCandidates';

/**
 * One round trip, constant work: the oldest job of the wait list (FIFO jobs are pushed left and
 * taken from the right), the next prioritized job, and the oldest job of the lowest priority level
 * (where starvation happens; BullMQ scores are priority * 2^32 + a counter). For each: timestamp,
 * opts (for its delay) and processedOn. Delayed jobs and jobs in backoff live in another set and
 * are never candidates.
 */
const OLDEST_READY_LUA = `
local candidates = {}
local waiting = redis.call('LRANGE', KEYS[1], -1, -1)
if waiting[1] then candidates[#candidates + 1] = waiting[1] end
local head = redis.call('ZRANGE', KEYS[2], 0, 0)
if head[1] then candidates[#candidates + 1] = head[1] end
local tail = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if tail[1] then
  local level = math.floor(tonumber(tail[2]) / 4294967296) * 4294967296
  local oldest = redis.call('ZRANGEBYSCORE', KEYS[2], level, '+inf', 'LIMIT', 0, 1)
  if oldest[1] then candidates[#candidates + 1] = oldest[1] end
end
local out = {}
for _, id in ipairs(candidates) do
  local fields = redis.call('HMGET', ARGV[1] .. id, 'timestamp', 'opts', 'processedOn')
  out[#out + 1] = fields[1] or ''
  out[#out + 1] = fields[2] or ''
  out[#out + 1] = fields[3] or ''
end
return out
`;

type ScriptClient = {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string; readOnly?: boolean }): void;
  runCommand?(name: string, args: (string | number)[]): Promise<unknown>;
} & Record<string, unknown>;

const defined = new WeakSet<object>();

async function oldestReadyCandidates(queue: Queue): Promise<string[]> {
  const client = (await queue.client) as unknown as ScriptClient;
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { numberOfKeys: 2, lua: OLDEST_READY_LUA, readOnly: true });
    defined.add(client);
  }
  const args = [queue.keys.wait, queue.keys.prioritized, queue.toKey('')];
  if (typeof client.runCommand === 'function') return (await client.runCommand(COMMAND, args)) as string[];
  // A bare ioredis client (BullMQ before its client abstraction) exposes defined commands as methods.
  return (await (client[COMMAND] as (...a: string[]) => Promise<string[]>)(...args)) as string[];
}

/**
 * When a candidate became ready: its enqueue time plus its initial delay, or later if it already
 * ran (a retry back in the wait list was ready no earlier than its last start).
 */
function readyAtMs(timestamp: string, opts: string, processedOn: string): number | undefined {
  const enqueuedAt = Number(timestamp);
  if (!timestamp || !Number.isFinite(enqueuedAt)) return undefined;
  let delay = 0;
  if (opts) {
    try {
      const parsed = JSON.parse(opts) as { delay?: unknown };
      if (typeof parsed.delay === 'number' && Number.isFinite(parsed.delay))
        delay = Math.max(0, parsed.delay);
    } catch {
      // Unreadable options: count from the enqueue time.
    }
  }
  const started = Number(processedOn);
  return Math.max(enqueuedAt + delay, processedOn && Number.isFinite(started) ? started : 0);
}

/**
 * A {@link QueueStatsSource} for a BullMQ queue: counts by state through `getJobCounts` (one
 * script) and the oldest ready job's age through one more read-only script, whatever the size of
 * the queue. Hand it to `joblens.watchQueue(...)`.
 */
export function createBullmqQueueStatsSource(queue: Queue): QueueStatsSource {
  return {
    queue: queue.name,
    system: MESSAGING_SYSTEM_BULLMQ,
    async sample(): Promise<QueueStats> {
      const [rawCounts, fields] = await Promise.all([
        queue.getJobCounts(...QUEUE_STATES),
        oldestReadyCandidates(queue),
      ]);
      const counts: Partial<Record<QueueState, number>> = {};
      for (const state of QUEUE_STATES) counts[state] = rawCounts[state] ?? 0;
      const nowMs = Date.now();
      let oldestAgeMillis = 0;
      for (let i = 0; i + 2 < fields.length; i += 3) {
        const readyAt = readyAtMs(fields[i], fields[i + 1], fields[i + 2]);
        if (readyAt !== undefined) oldestAgeMillis = Math.max(oldestAgeMillis, nowMs - readyAt);
      }
      return { counts, oldestReadyAgeSeconds: oldestAgeMillis / 1000 };
    },
  };
}
