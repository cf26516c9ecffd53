import { gzipSync } from 'node:zlib';
import { traceTemplate } from '@joblens/test-utils';

/** Workers whose requests take turns, one batch each per round. */
const WORKERS = 8;

/**
 * A batch's jobs end over 171 ms. Time moves on by that much for every round of the workers, as it does
 * in a real fleet: batches that all reused one set of timestamps would land on the same 171 instants,
 * spread all over the job history's time indexes and the model's time windows, which no real traffic does.
 */
const BATCH_MILLIS = 171;

/**
 * Gzip protobuf requests of the benchmarks' 512 spans (attempt spans, events, step children; every request
 * new jobs), from 8 workers in turn, `warmup` then `measured` of them, the last ending now.
 */
export function fleetRequests(warmup: number, measured: number): { warmup: Buffer[]; measured: Buffer[] } {
  const rounds = Math.ceil((warmup + measured) / WORKERS);
  const firstNow = Date.now() - rounds * BATCH_MILLIS;
  const bodies = (first: number, count: number) =>
    Array.from({ length: count }, (_, i) => {
      const batch = first + i;
      const nowMs = firstNow + Math.floor(batch / WORKERS) * BATCH_MILLIS;
      return gzipSync(traceTemplate(nowMs, batch % WORKERS).forBatch(batch));
    });
  return { warmup: bodies(0, warmup), measured: bodies(warmup, measured) };
}
