/**
 * analyzer_ingest_spans_per_sec: spans per second one analyzer process (the full createAnalyzer:
 * receiver, decoder, job model, monitors, detector loop, job history) accepts over HTTP on loopback, from
 * gzip protobuf requests of 512 spans (attempt spans with messaging.* and joblens.* attributes, events,
 * step children; every request new jobs, its times moving on as a fleet's do) posted over 4 keep-alive
 * connections. The analyzer keeps its data in a fresh temporary directory, as `joblens analyzer` does in
 * its data directory: the history is written by its thread, not on the event loop as with an in-memory
 * database. Wall time from the first post to the last answer, after a warm-up. Also printed: the same per
 * CPU second of the analyzer process, which a busy shared machine disturbs less, and both for the receiver
 * feeding only the job model (no detector loop, metrics, monitors or history) and for the receiver alone
 * (records decoded and dropped), to tell the receiver's share from the model's and the rest's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPANS_PER_BATCH } from '@joblens/test-utils';
import { postAll, startAnalyzerChild } from './analyzer-client.js';
import { fleetRequests } from './fleet-requests.js';

const WARMUP_BATCHES = 60;
/**
 * Enough that the model's windows fill (100k jobs, 50k attempts) and then evict for most of the run:
 * 600 batches measured mostly a model still filling, about a tenth faster than one at steady state.
 */
const MEASURED_BATCHES = Number(process.env.JOBLENS_BENCH_INGEST_BATCHES ?? 1500);
const CONNECTIONS = 4;
const { warmup, measured } = fleetRequests(WARMUP_BATCHES, MEASURED_BATCHES);
process.stderr.write(
  `ingest: ${MEASURED_BATCHES} requests of ${SPANS_PER_BATCH} spans, ${measured[0].length} bytes gzip each\n`,
);

/** Posts the warm-up, then the measured requests, to a fresh analyzer process in `mode`. */
async function measure(mode: 'full' | 'model' | 'receiver') {
  const dataDir = mkdtempSync(join(tmpdir(), 'joblens-bench-ingest-'));
  const analyzer = await startAnalyzerChild(mode, { JOBLENS_BENCH_DATA_DIR: dataDir });
  try {
    const url = `${analyzer.otlpUrl}/v1/traces`;
    await postAll(url, warmup, CONNECTIONS);
    const cpuBefore = (await analyzer.ask<{ cpuMicros: number }>('cpu')).cpuMicros;
    const start = performance.now();
    const outcome = await postAll(url, measured, CONNECTIONS);
    const seconds = (performance.now() - start) / 1000;
    const cpuSeconds = ((await analyzer.ask<{ cpuMicros: number }>('cpu')).cpuMicros - cpuBefore) / 1e6;
    const spans = outcome.ok * SPANS_PER_BATCH;
    const state = await analyzer.ask<{ windows: Record<string, number> }>('measure');
    process.stderr.write(
      `ingest (${mode}): ${spans} spans in ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s analyzer CPU; ${outcome.retried} requests retried after 503; model windows ${JSON.stringify(state.windows)}\n`,
    );
    return { perSecond: Math.round(spans / seconds), perCpuSecond: Math.round(spans / cpuSeconds) };
  } finally {
    await analyzer.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const full = await measure('full');
console.log(`analyzer_ingest_spans_per_sec: ${full.perSecond}`);
console.log(`analyzer_ingest_spans_per_cpu_sec: ${full.perCpuSecond}`);
// Receiver and job model, without the detector loop, metrics and monitors: the model's share.
const model = await measure('model');
console.log(`analyzer_model_spans_per_sec: ${model.perSecond}`);
console.log(`analyzer_model_spans_per_cpu_sec: ${model.perCpuSecond}`);
// The receiver alone (HTTP, gunzip, decode; records dropped): its share of the figure above.
const receiver = await measure('receiver');
console.log(`analyzer_receiver_spans_per_sec: ${receiver.perSecond}`);
console.log(`analyzer_receiver_spans_per_cpu_sec: ${receiver.perCpuSecond}`);
