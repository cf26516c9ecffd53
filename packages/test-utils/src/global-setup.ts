import { ensureRedis } from './ensure-redis.js';

/** Runs once before the whole suite: bring up the real services the tests talk to. */
export default async function setup(): Promise<void> {
  await ensureRedis();
}
