/**
 * How the analyzer bears load it cannot take, each on a fresh analyzer process (the full
 * createAnalyzer, in-memory database, default options):
 *
 * - analyzer_metrics_scrape_ms_after_300k_job_names: wall time of one GET /metrics after 300,000
 *   attempts with distinct job names (posted 5,000 a request, the analyzer asked to evaluate after
 *   each so that every name reaches the job metrics); analyzer_job_label_sets_after_300k_job_names:
 *   the distinct service/queue/job_name label sets that scrape shows (goal: at most 20k; the cap is
 *   10k plus the `__other__` overflow). Before the caps, 300k names took 12.8 s to scrape.
 * - analyzer_healthz_p99_ms_under_flood: the 99th percentile of GET /healthz latency, one probe every
 *   50 ms for 8 s, while 64 connections (twice the bound on requests in flight) post requests of one
 *   span with 100,000 attributes (~3 MB) as fast as they are answered (goal: under 250 ms; the flood
 *   of 505k-attribute requests once held it at 3.96 s at the median).
 * - analyzer_flood_shed_ratio: of 128 slow uploads opened at once (each declares 8 MiB and sends
 *   1 KiB), the share of the excess answered 429 or 503 at once. The excess is what the default bounds
 *   cannot hold: past 32 requests in flight or 64 MiB declared, so past 8 such uploads.
 */

import { fork } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { distinctJobNamesTemplate, manyAttributesRequest } from '@joblens/test-utils';
import { type AnalyzerChild, postAll, startAnalyzerChild } from './analyzer-client.js';

const JOB_NAMES = 300_000;
const NAMES_PER_REQUEST = 5000;
const FLOOD_CONNECTIONS = 64;
const FLOOD_ATTRIBUTES = 100_000;
const FLOOD_MILLIS = 8000;
const PROBE_INTERVAL_MILLIS = 50;
const SLOW_UPLOADS = 128;
const SLOW_UPLOAD_BYTES = 8 * 1024 * 1024;
/** How many slow uploads the analyzer's default `maxConcurrentRequests` and `maxBufferedBytes` hold. */
const HELD_BY_DEFAULT_BOUNDS = Math.min(32, Math.floor((64 * 1024 * 1024) / SLOW_UPLOAD_BYTES));

async function withAnalyzer<T>(use: (analyzer: AnalyzerChild) => Promise<T>): Promise<T> {
  const analyzer = await startAnalyzerChild('full');
  try {
    return await use(analyzer);
  } finally {
    await analyzer.stop();
  }
}

async function scrapeAfterDistinctJobNames(): Promise<{
  millis: number;
  labelSets: number;
  jobSeries: number;
  small: number;
}> {
  return withAnalyzer(async (analyzer) => {
    const template = distinctJobNamesTemplate(Date.now(), NAMES_PER_REQUEST);
    const url = `${analyzer.otlpUrl}/v1/traces`;
    for (let batch = 0; batch < JOB_NAMES / NAMES_PER_REQUEST; batch++) {
      await postAll(url, [gzipSync(template.forBatch(batch))], 1);
      await analyzer.ask('evaluate');
    }
    const start = performance.now();
    const response = await fetch(`${analyzer.apiUrl}/metrics`);
    const text = await response.text();
    const millis = performance.now() - start;
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
    const labelSets = new Set<string>();
    const jobSeries = text.match(/^joblens_job_\w+\{[^}]*job_name=/gm)?.length ?? 0;
    for (const match of text.matchAll(/^joblens_job_\w+\{([^}]*)\}/gm)) {
      const labels = match[1].split(',').filter((pair) => /^(service|queue|job_name)=/.test(pair));
      labelSets.add(labels.join(','));
    }
    const small = await postAll(url, [gzipSync(template.forBatch(JOB_NAMES))], 1);
    process.stderr.write(
      `overload: /metrics after ${JOB_NAMES} job names: ${millis.toFixed(0)} ms, ${text.length} bytes, ${labelSets.size} job label sets; small export ${small.ok === 1 ? 'accepted' : 'refused'}\n`,
    );
    return { millis, labelSets: labelSets.size, jobSeries, small: small.ok };
  });
}

/** Runs the flood in a process of its own (flood-worker.ts); resolves with the answers by status. */
function startFlood(url: string, body: Buffer): Promise<Record<string, number>> {
  const child = fork(fileURLToPath(new URL('./flood-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send({ url, body, connections: FLOOD_CONNECTIONS, millis: FLOOD_MILLIS });
  return new Promise((resolve, reject) => {
    child.once('message', (statuses) => resolve(statuses as Record<string, number>));
    child.once('exit', (code) => reject(new Error(`the flood process exited with ${code}`)));
  });
}

async function healthzUnderFlood(): Promise<number> {
  return withAnalyzer(async (analyzer) => {
    const body = manyAttributesRequest(Date.now(), FLOOD_ATTRIBUTES);
    const until = performance.now() + FLOOD_MILLIS;
    const flood = startFlood(`${analyzer.otlpUrl}/v1/traces`, body);
    const latencies: number[] = [];
    // Let the flood fill the receiver before the first probe.
    await new Promise((resolve) => setTimeout(resolve, 500));
    while (performance.now() < until) {
      const start = performance.now();
      const response = await fetch(`${analyzer.apiUrl}/healthz`);
      await response.arrayBuffer();
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MILLIS));
    }
    const statuses = await flood;
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
    const median = latencies[Math.floor(latencies.length / 2)];
    process.stderr.write(
      `overload: /healthz under a flood of ${FLOOD_CONNECTIONS} connections of ${body.length}-byte requests: ${latencies.length} probes, median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; flood answers ${JSON.stringify(statuses)}\n`,
    );
    return p99;
  });
}

/** Opens a slow upload; resolves with its status if answered within `millis`, else undefined. */
function slowUpload(otlpUrl: string, millis: number, opened: Array<() => void>): Promise<number | undefined> {
  const target = new URL(`${otlpUrl}/v1/traces`);
  return new Promise((resolve) => {
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-length': SLOW_UPLOAD_BYTES },
    });
    const timer = setTimeout(() => resolve(undefined), millis);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    req.write(Buffer.alloc(1024));
    opened.push(() => req.destroy());
  });
}

async function shedRatio(): Promise<number> {
  return withAnalyzer(async (analyzer) => {
    const opened: Array<() => void> = [];
    const answers = await Promise.all(
      Array.from({ length: SLOW_UPLOADS }, () => slowUpload(analyzer.otlpUrl, 3000, opened)),
    );
    for (const close of opened) close();
    const shed = answers.filter((status) => status === 429 || status === 503).length;
    process.stderr.write(
      `overload: ${SLOW_UPLOADS} slow uploads: ${shed} shed, ${answers.filter((s) => s === undefined).length} held\n`,
    );
    return shed / (SLOW_UPLOADS - HELD_BY_DEFAULT_BOUNDS);
  });
}

const scrape = await scrapeAfterDistinctJobNames();
console.log(`analyzer_metrics_scrape_ms_after_300k_job_names: ${scrape.millis.toFixed(0)}`);
console.log(`analyzer_job_label_sets_after_300k_job_names: ${scrape.labelSets}`);
console.log(`analyzer_job_series_after_300k_job_names: ${scrape.jobSeries}`);
console.log(`analyzer_healthz_p99_ms_under_flood: ${(await healthzUnderFlood()).toFixed(1)}`);
console.log(`analyzer_flood_shed_ratio: ${(await shedRatio()).toFixed(3)}`);
