import type { AnalyzerView, LiveJobView } from '../model/analyzer-view.js';

export interface SilentCandidate {
  /** `service|queue|jobId`: one finding per job, whichever of its attempts is most silent. */
  key: string;
  job: LiveJobView;
  silenceSeconds: number;
}

interface Entry {
  job: LiveJobView;
  silenceSeconds: number;
  /** Position in the live-job walk: among equal silences, the first seen ranks first. */
  order: number;
}

/** True when `a` ranks after `b` (less silent, or as silent and seen later). */
function after(a: Entry, b: Entry): boolean {
  return a.silenceSeconds < b.silenceSeconds || (a.silenceSeconds === b.silenceSeconds && a.order > b.order);
}

/**
 * The `maxFindings` most silent jobs past the threshold, most silent first, one per job. With 100k live
 * jobs, most of them past the threshold when a fleet hangs, building a key and an object per job and
 * sorting them all cost a quarter second and ~40 MB per evaluation; a bounded heap of the top entries
 * allocates nothing per job. Several live attempts of one job take several heap slots, so when deduplication
 * leaves fewer than `maxFindings` jobs the heap is rebuilt larger (rare: stale attempts of one job).
 */
export function mostSilent(
  view: AnalyzerView,
  now: number,
  options: Readonly<{ silenceThresholdSeconds: number; maxFindings: number }>,
): SilentCandidate[] {
  if (options.maxFindings <= 0) return [];
  for (let capacity = options.maxFindings; ; capacity *= 2) {
    const { entries, silentCount } = topEntries(view, now, options.silenceThresholdSeconds, capacity);
    entries.sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0));
    const result: SilentCandidate[] = [];
    const seen = new Set<string>();
    for (const { job, silenceSeconds } of entries) {
      const key = `${job.service}|${job.queue}|${job.jobId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ key, job, silenceSeconds });
      if (result.length === options.maxFindings) return result;
    }
    if (silentCount <= capacity) return result;
  }
}

/** The `capacity` top-ranked silent jobs (unordered), in a min-heap whose root ranks last. */
function topEntries(
  view: AnalyzerView,
  now: number,
  thresholdSeconds: number,
  capacity: number,
): { entries: Entry[]; silentCount: number } {
  const heap: Entry[] = [];
  let order = 0;
  let silentCount = 0;
  for (const job of view.liveJobs()) {
    const silenceSeconds = (now - job.quietSinceMs) / 1000;
    order++;
    if (!(silenceSeconds >= thresholdSeconds)) continue;
    silentCount++;
    if (heap.length < capacity) {
      heap.push({ job, silenceSeconds, order });
      siftUp(heap, heap.length - 1);
      continue;
    }
    const root = heap[0];
    // Ranks after the last kept entry: not among the top (the common case, no allocation).
    if (silenceSeconds < root.silenceSeconds || silenceSeconds === root.silenceSeconds) continue;
    root.job = job;
    root.silenceSeconds = silenceSeconds;
    root.order = order;
    siftDown(heap, 0);
  }
  return { entries: heap, silentCount };
}

function siftUp(heap: Entry[], index: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!after(heap[i], heap[parent])) return;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function siftDown(heap: Entry[], index: number): void {
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let last = i;
    if (left < heap.length && after(heap[left], heap[last])) last = left;
    if (right < heap.length && after(heap[right], heap[last])) last = right;
    if (last === i) return;
    [heap[i], heap[last]] = [heap[last], heap[i]];
    i = last;
  }
}
