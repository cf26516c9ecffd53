import type { AttemptView } from '../model/analyzer-view.js';
import type { FindingDraft } from './finding-draft.js';
import { formatSeconds } from './format-seconds.js';
import { medianExcluding, sortedMedian } from './sorted-median.js';

export interface SlowHostOptions {
  slowFactor: number;
  minSamplesPerHost: number;
}

interface HostSamples {
  host: string;
  /** Seconds, sorted before use. */
  durations: number[];
  /** The longest attempt (the first of equals), to point at. */
  example: AttemptView;
  exampleMillis: number;
}

interface NameGroup {
  nameKey: string;
  hosts: Map<string, HostSamples>;
}

/**
 * Completed attempts' durations per job name and host, gathered in one pass over the window. Groups are
 * found through nested maps of the (interned) names, so adding an attempt builds no key string; they are
 * kept in first-seen order so findings come in the order they always did.
 */
export class SlowHostSamples {
  private readonly index = new Map<string, Map<string, Map<string, NameGroup>>>();
  private readonly groups: NameGroup[] = [];

  add(attempt: AttemptView): void {
    const facts = attempt.facts;
    if (facts.outcome !== 'completed' || facts.host === '') return;
    let byQueue = this.index.get(facts.service);
    if (byQueue === undefined) {
      byQueue = new Map();
      this.index.set(facts.service, byQueue);
    }
    let byName = byQueue.get(facts.queue);
    if (byName === undefined) {
      byName = new Map();
      byQueue.set(facts.queue, byName);
    }
    let group = byName.get(facts.jobName);
    if (group === undefined) {
      group = { nameKey: `${facts.service}|${facts.queue}|${facts.jobName}`, hosts: new Map() };
      byName.set(facts.jobName, group);
      this.groups.push(group);
    }
    const millis = facts.endMs - facts.startMs;
    const samples = group.hosts.get(facts.host);
    if (samples === undefined) {
      group.hosts.set(facts.host, {
        host: facts.host,
        durations: [millis / 1000],
        example: attempt,
        exampleMillis: millis,
      });
      return;
    }
    samples.durations.push(millis / 1000);
    if (millis > samples.exampleMillis) {
      samples.example = attempt;
      samples.exampleMillis = millis;
    }
  }

  /** Hosts whose median duration of a job name is `slowFactor` times their peers' (eligible hosts only). */
  findings(options: Readonly<SlowHostOptions>, sinceMs: number): FindingDraft[] {
    const drafts: FindingDraft[] = [];
    for (const { nameKey, hosts } of this.groups) {
      const eligible: HostSamples[] = [];
      for (const samples of hosts.values())
        if (samples.durations.length >= options.minSamplesPerHost) eligible.push(samples);
      if (eligible.length < 2) continue;
      const all: number[] = [];
      for (const samples of eligible) {
        samples.durations.sort(ascending);
        for (const seconds of samples.durations) all.push(seconds);
      }
      all.sort(ascending);
      for (const { host, durations, example } of eligible) {
        const hostMedian = sortedMedian(durations);
        const peerMedian = medianExcluding(all, durations);
        if (!(peerMedian > 0) || hostMedian < options.slowFactor * peerMedian) continue;
        const { service, queue, jobName } = example.facts;
        drafts.push({
          type: 'host_imbalance',
          key: `slow|${nameKey}|${host}`,
          severity: 'warning',
          subject: { service, queue, jobName, host },
          summary:
            `${jobName} on ${queue} (${service}) takes ${formatSeconds(hostMedian)}s (median) on host ${host}, ` +
            `${Math.round((hostMedian / peerMedian) * 10) / 10}× its peers' ${formatSeconds(peerMedian)}s`,
          nextStep:
            `Compare host ${host} with its peers: CPU steal or saturation, memory pressure, network path to the ` +
            "job's dependencies, or a different version deployed there.",
          evidence: {
            figures: {
              hostMedianSeconds: formatSeconds(hostMedian),
              peerMedianSeconds: formatSeconds(peerMedian),
              ratio: Math.round((hostMedian / peerMedian) * 100) / 100,
              hostSamples: durations.length,
              peerSamples: all.length - durations.length,
            },
            traces: [
              { traceId: example.facts.traceId, spanId: example.facts.spanId, label: `slowest on ${host}` },
            ],
          },
          since: sinceMs,
        });
      }
    }
    return drafts;
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}
