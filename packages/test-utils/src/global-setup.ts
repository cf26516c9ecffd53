import { ensureChromium } from './ensure-chromium.js';
import { ensureRedis } from './ensure-redis.js';

/** Runs once before the whole suite: bring up the real services the tests talk to. */
export default async function setup(): Promise<void> {
  await ensureRedis();
  // Installed once up front: apt-get run from two test files at once would fight over dpkg's lock.
  ensureChromium();
}
