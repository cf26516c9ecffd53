/**
 * analyzer_decode_vs_generic_ratio: spans per second of the analyzer's hand-written protobuf decoder
 * divided by a generic protobufjs decode (reflection-built from the OTLP schema) of the same bytes:
 * one 512-span request shaped like the joblens SDK's output. Rounds interleave the two decoders (and
 * alternate which goes first) and count CPU time, so that other processes on the machine hit both
 * alike; the figure is the median of the per-round ratios. The decoder keeps one set of caches across
 * requests, as the receiver does (`createOtlpApp` holds one `DecodeCaches`).
 */

import { otlpType, SPANS_PER_BATCH, traceTemplate } from '@joblens/test-utils';
import { DecodeCaches } from '../src/protobuf/decode-caches.js';
import { decodeTracesProto } from '../src/traces/proto-traces.js';

const ROUNDS = 31;
const MILLIS_PER_SIDE = 150;

const payload = traceTemplate(Date.now(), 0).forBatch(1);
const generic = otlpType('ExportTraceServiceRequest');
const caches = new DecodeCaches();
let keep = 0;

function ours(): void {
  keep += decodeTracesProto(payload, undefined, caches).records.length;
}
function theirs(): void {
  keep += (generic.decode(payload) as unknown as { resource_spans: unknown[] }).resource_spans.length;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * Decodes repeatedly for about `millis` of CPU time and returns spans per CPU second. CPU time, not
 * wall time: on a shared machine the process is descheduled at random, which wall time would count.
 */
function spansPerSecond(decode: () => void, millis: number): number {
  let iterations = 0;
  const start = cpuMicros();
  let elapsed = 0;
  do {
    for (let i = 0; i < 5; i++) decode();
    iterations += 5;
    elapsed = cpuMicros() - start;
  } while (elapsed < millis * 1000);
  return (iterations * SPANS_PER_BATCH) / (elapsed / 1e6);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Warm both up so that the JIT has optimized each before measuring.
spansPerSecond(ours, 500);
spansPerSecond(theirs, 500);

const ratios: number[] = [];
const oursRates: number[] = [];
const theirsRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let a: number;
  let b: number;
  if (round % 2 === 0) {
    a = spansPerSecond(ours, MILLIS_PER_SIDE);
    b = spansPerSecond(theirs, MILLIS_PER_SIDE);
  } else {
    b = spansPerSecond(theirs, MILLIS_PER_SIDE);
    a = spansPerSecond(ours, MILLIS_PER_SIDE);
  }
  oursRates.push(a);
  theirsRates.push(b);
  ratios.push(a / b);
}
if (keep === 0) throw new Error('decoders produced nothing');
process.stderr.write(
  `decode: joblens ${Math.round(median(oursRates))} spans, protobufjs ${Math.round(median(theirsRates))} spans per CPU second (medians of ${ROUNDS} rounds, ${payload.length}-byte request)\n`,
);
console.log(`analyzer_decode_spans_per_cpu_sec: ${Math.round(median(oursRates))}`);
console.log(`analyzer_decode_vs_generic_ratio: ${median(ratios).toFixed(2)}`);
