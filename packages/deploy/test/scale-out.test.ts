import { createAnalyzer, MemoryLogger } from '@joblens/analyzer';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTraceIdRing } from '../src/trace-id-ring.js';
import { fleetTelemetry, NOW, split, type Telemetry } from './fleet-telemetry.js';
import { readRepoYaml } from './repo-files.js';

// docs/scale-out.md argues that routing traces and logs by trace id (and every metric to every analyzer)
// keeps every detector correct. This test feeds the same telemetry to one analyzer's model and detectors,
// and split the way the gateway's `loadbalancing` exporter splits it to two, and compares the findings.

/** What one analyzer holds open after evaluating this telemetry, as `type key` strings. */
async function findingsOf(telemetry: Telemetry): Promise<Set<string>> {
  // Received a few seconds before the evaluation, past the time mystery_gap waits for late steps.
  let clock = NOW - 5_000;
  const analyzer = createAnalyzer(
    { host: '127.0.0.1', port: 0, otlpPort: 0, dataDir: ':memory:' },
    { clock: () => clock, logger: new MemoryLogger(), recordHistory: false },
  );
  try {
    analyzer.sink.acceptMetrics(telemetry.metrics);
    analyzer.sink.acceptSpans(telemetry.spans);
    analyzer.sink.acceptLogs(telemetry.logs);
    clock = NOW;
    await analyzer.evaluateNow();
    return new Set((await analyzer.store.open()).map((finding) => `${finding.type} ${finding.key}`));
  } finally {
    await analyzer.stop();
  }
}

const union = (sets: Iterable<Set<string>>) => new Set([...sets].flatMap((set) => [...set]));
const findingsOfShards = async (shards: Map<string, Telemetry>) =>
  union(await Promise.all([...shards.values()].map(findingsOf)));

describe('two analyzers behind the loadbalancing exporter', () => {
  const backends: string[] = readRepoYaml('collector-config/scale-out/gateway.yaml').exporters[
    'loadbalancing/analyzers'
  ].resolver.static.hostnames;
  const telemetry = fleetTelemetry();
  let single: Set<string>;
  beforeAll(async () => {
    single = await findingsOf(telemetry);
  });

  it('finds, between them, exactly what one analyzer finds when traces and logs go by trace id', async () => {
    const ring = createTraceIdRing(backends);
    const shards = split(telemetry, backends, (traceId, index) =>
      traceId ? ring.endpointFor(traceId) : backends[index % backends.length],
    );
    for (const shard of shards.values())
      expect(shard.spans.length).toBeGreaterThan(telemetry.spans.length * 0.25);
    expect(single.size).toBeGreaterThanOrEqual(4);
    for (const type of ['runaway_retries', 'mystery_gap', 'silent_job', 'event_loop_blocked']) {
      expect(
        [...single].some((finding) => finding.startsWith(`${type} `)),
        type,
      ).toBe(true);
    }
    expect(await findingsOfShards(shards)).toEqual(single);
  });

  it('misplaces a gap when the spans of one trace are spread over analyzers', async () => {
    const shards = split(telemetry, backends, (_traceId, index) => backends[index % backends.length]);
    const found = await findingsOfShards(shards);
    // The attempt's analyzer never saw its `fetch` step: it blames the stretch from the attempt's start.
    expect(found.has('mystery_gap billing|reports|export|fetch->upload')).toBe(false);
    expect(found.has('mystery_gap billing|reports|export|start->upload')).toBe(true);
    expect(single.has('mystery_gap billing|reports|export|fetch->upload')).toBe(true);
  });
});
