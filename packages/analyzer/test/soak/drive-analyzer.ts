import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';
import type { Finding, FindingTransition } from '../../src/findings/finding.js';
import type { Delivery } from './timeline.js';

export interface DrivenRun {
  /** Every finding the run produced (open or resolved), each once. */
  findings: Finding[];
  transitionsOf(findingId: string): FindingTransition[];
  /** How many times the detectors ran. */
  evaluations: number;
}

/**
 * Feeds the deliveries to a real analyzer (model, monitors, detector runner, SQLite store) in arrival
 * order on a virtual clock, evaluating every `evaluateEveryMs` of simulated time as its loop would.
 * Nothing waits: a half hour takes as long as the analyzer needs to process it.
 */
export async function driveAnalyzer(
  deliveries: readonly Delivery[],
  options: { startMs: number; endMs: number; evaluateEveryMs: number; monitors: object[] },
): Promise<DrivenRun> {
  const clock = { now: options.startMs };
  const analyzer: AnalyzerHandle = createAnalyzer(
    { dataDir: ':memory:', monitors: options.monitors as never },
    { clock: () => clock.now },
  );
  let evaluations = 0;
  let nextEvaluationMs = options.startMs + options.evaluateEveryMs;
  const evaluateUntil = async (untilMs: number) => {
    while (nextEvaluationMs <= untilMs) {
      clock.now = nextEvaluationMs;
      await analyzer.evaluateNow();
      evaluations += 1;
      nextEvaluationMs += options.evaluateEveryMs;
    }
  };
  try {
    for (const delivery of deliveries) {
      await evaluateUntil(delivery.atMs);
      clock.now = Math.max(clock.now, delivery.atMs);
      if ('spans' in delivery) analyzer.sink.acceptSpans(delivery.spans);
      else if ('logs' in delivery) analyzer.sink.acceptLogs(delivery.logs);
      else analyzer.sink.acceptMetrics(delivery.points);
    }
    await evaluateUntil(options.endMs);
    const findings = await analyzer.store.list({ limit: 1000 });
    const transitions = new Map(
      await Promise.all(
        findings.map(async (finding) => [finding.id, await analyzer.store.transitions(finding.id)] as const),
      ),
    );
    return { findings, transitionsOf: (id) => transitions.get(id) ?? [], evaluations };
  } finally {
    await analyzer.stop();
  }
}
