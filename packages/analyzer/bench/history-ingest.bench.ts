/**
 * analyzer_history_ingest_ratio: spans per second the full analyzer accepts with every finished attempt
 * written to the job history on its SQLite file, over the same analyzer with history recording off
 * (`recordHistory: false`), in one run, on the requests of the ingest bench (512 spans each, ~170
 * attempts with two steps each), whose times move on batch after batch as a fleet's do. Both analyzers keep their SQLite file in a fresh temporary directory.
 * Wall time from the first post to the last answer after a warm-up. The history writes a few seconds
 * behind ingest (attempts settle 3 s for their steps); one that cannot keep up fills its queue (100k
 * attempts, fewer than a run sends) and answers 503, which the senders retry, so its cost shows in the
 * rate. Three rounds alternate the two, and the best of each counts (a shared machine disturbs single
 * runs). Also printed: the same ratio per CPU second of the analyzer process (its writer thread's
 * included), counted until the history wrote everything it queued; how long after the last answer that
 * was (`analyzer_history_write_lag_seconds`: the settle delay and up to a second of timer when the writer
 * keeps up); and the history's own write rate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPANS_PER_BATCH } from '@joblens/test-utils';
import { type AnalyzerChild, postAll, startAnalyzerChild } from './analyzer-client.js';
import { fleetRequests } from './fleet-requests.js';

const WARMUP_BATCHES = 60;
const MEASURED_BATCHES = Number(process.env.JOBLENS_BENCH_HISTORY_BATCHES ?? 1500);
const ROUNDS = 3;
const CONNECTIONS = 4;
const { warmup, measured } = fleetRequests(WARMUP_BATCHES, MEASURED_BATCHES);

interface Measurement {
  perSecond: number;
  perCpuSecond: number;
  written: number;
  lagSeconds: number;
}

/** A figure of the analyzer's /metrics (0 when absent). */
async function metric(analyzer: AnalyzerChild, name: string): Promise<number> {
  const text = await (await fetch(`${analyzer.apiUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

async function measure(history: boolean): Promise<Measurement> {
  const dataDir = mkdtempSync(join(tmpdir(), 'joblens-bench-history-'));
  const analyzer = await startAnalyzerChild('full', {
    JOBLENS_BENCH_DATA_DIR: dataDir,
    JOBLENS_BENCH_HISTORY: history ? 'on' : 'off',
  });
  try {
    const url = `${analyzer.otlpUrl}/v1/traces`;
    await postAll(url, warmup, CONNECTIONS);
    const writtenBefore = await metric(analyzer, 'joblens_analyzer_history_attempts_written_total');
    const cpuBefore = (await analyzer.ask<{ cpuMicros: number }>('cpu')).cpuMicros;
    const start = performance.now();
    const outcome = await postAll(url, measured, CONNECTIONS);
    const seconds = (performance.now() - start) / 1000;
    // The history writes a few seconds behind: its CPU counts until it has written what it queued.
    while (history && (await metric(analyzer, 'joblens_analyzer_history_queued_attempts')) > 0)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const drainedSeconds = (performance.now() - start) / 1000;
    const cpuSeconds = ((await analyzer.ask<{ cpuMicros: number }>('cpu')).cpuMicros - cpuBefore) / 1e6;
    const written =
      (await metric(analyzer, 'joblens_analyzer_history_attempts_written_total')) - writtenBefore;
    const spans = outcome.ok * SPANS_PER_BATCH;
    process.stderr.write(
      `history ingest (${history ? 'history on' : 'history off'}): ${spans} spans in ${seconds.toFixed(2)} s wall (${drainedSeconds.toFixed(2)} s until written), ${cpuSeconds.toFixed(2)} s CPU; ${outcome.retried} retried after 503; ${written} attempts written\n`,
    );
    return {
      perSecond: spans / seconds,
      perCpuSecond: spans / cpuSeconds,
      written: written / drainedSeconds,
      lagSeconds: drainedSeconds - seconds,
    };
  } finally {
    await analyzer.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const best = { off: undefined as Measurement | undefined, on: undefined as Measurement | undefined };
const better = (a: Measurement | undefined, b: Measurement) => (a && a.perSecond >= b.perSecond ? a : b);
for (let round = 0; round < ROUNDS; round++) {
  best.off = better(best.off, await measure(false));
  best.on = better(best.on, await measure(true));
}
const off = best.off as Measurement;
const on = best.on as Measurement;
console.log(`analyzer_history_ingest_ratio: ${(on.perSecond / off.perSecond).toFixed(3)}`);
console.log(`analyzer_history_ingest_cpu_ratio: ${(on.perCpuSecond / off.perCpuSecond).toFixed(3)}`);
console.log(`analyzer_history_spans_per_sec: ${Math.round(on.perSecond)}`);
console.log(`analyzer_history_written_attempts_per_sec: ${Math.round(on.written)}`);
console.log(`analyzer_history_write_lag_seconds: ${on.lagSeconds.toFixed(1)}`);
