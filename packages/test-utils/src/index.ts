export { ensureRedis, isPortOpen, REDIS_URL } from './ensure-redis.js';
