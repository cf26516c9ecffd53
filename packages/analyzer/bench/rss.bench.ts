/**
 * analyzer_rss_mb_100k_active_jobs: resident memory of one analyzer process (the full createAnalyzer,
 * in-memory database) holding 100,000 jobs in flight, fed over OTLP/HTTP: a `job started` log record
 * for each (joblens SDK shape: messaging.* and joblens.* attributes, trace context, 16 workers), then
 * a `still running` record for each, and no ends. Measured from /proc after a full GC in the process,
 * then sampled for 5 s while the detector loop runs; the figure is the highest sample.
 * Also printed: the same for the receiver feeding only the job model, to show where memory goes.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { runningJobsTemplate } from '@joblens/test-utils';
import { postAll, startAnalyzerChild } from './analyzer-client.js';

const JOBS = 100_000;
const PER_REQUEST = 500;
const CONNECTIONS = 4;
const SETTLE_SAMPLES = 10;
const SAMPLE_INTERVAL_MILLIS = 500;

function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

const MIB = 1024 * 1024;
const now = Date.now();
const requests = JOBS / PER_REQUEST;
const started = runningJobsTemplate(now, false, PER_REQUEST);
const stillRunning = runningJobsTemplate(now, true, PER_REQUEST);
const startedBodies = Array.from({ length: requests }, (_, batch) => gzipSync(started.forBatch(batch)));
const stillRunningBodies = Array.from({ length: requests }, (_, batch) =>
  gzipSync(stillRunning.forBatch(batch)),
);

/** Feeds 100k running jobs to a fresh analyzer process in `mode` and returns its RSS in MB. */
async function residentMbWithRunningJobs(mode: 'full' | 'model'): Promise<number> {
  const analyzer = await startAnalyzerChild(mode);
  try {
    await analyzer.ask('measure');
    const idle = residentBytes(analyzer.pid);
    const url = `${analyzer.otlpUrl}/v1/logs`;
    const first = await postAll(url, startedBodies, CONNECTIONS);
    const second = await postAll(url, stillRunningBodies, CONNECTIONS);
    const state = await analyzer.ask<{
      heapUsed: number;
      heapTotal: number;
      external: number;
      windows: Record<string, number>;
    }>('measure');
    // The detector loop keeps running over the 100k jobs: take the highest RSS over a few of its
    // cycles rather than one lucky sample.
    let rss = residentBytes(analyzer.pid);
    let lowest = rss;
    for (let i = 0; i < SETTLE_SAMPLES; i++) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MILLIS));
      const sample = residentBytes(analyzer.pid);
      rss = Math.max(rss, sample);
      lowest = Math.min(lowest, sample);
    }
    process.stderr.write(
      `rss (${mode}): idle ${(idle / MIB).toFixed(1)} MB, with ${JOBS} running jobs ${(lowest / MIB).toFixed(1)}..${(rss / MIB).toFixed(1)} MB over ${(SETTLE_SAMPLES * SAMPLE_INTERVAL_MILLIS) / 1000} s (heap used ${(state.heapUsed / MIB).toFixed(1)} of ${(state.heapTotal / MIB).toFixed(1)} MB, external ${(state.external / MIB).toFixed(1)} MB); ${first.retried + second.retried} requests retried after 503; model windows ${JSON.stringify(state.windows)}\n`,
    );
    return rss / MIB;
  } finally {
    await analyzer.stop();
  }
}

console.log(`analyzer_rss_mb_100k_active_jobs: ${(await residentMbWithRunningJobs('full')).toFixed(1)}`);
// Receiver and job model only (no detector loop, API or store): their share of the figure above.
console.log(
  `analyzer_rss_mb_100k_active_jobs_model_only: ${(await residentMbWithRunningJobs('model')).toFixed(1)}`,
);
