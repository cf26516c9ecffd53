import { EVENT_FAILURE_SNAPSHOT } from '@joblens/semconv';
import type { AttemptContext, LiveJobView, WorkerSummary } from './analyzer-view.js';
import type { AttemptRecord } from './attempt-store.js';
import type { JobLogFacts } from './facts.js';

export interface AttemptContextSources {
  traceId: string;
  spanId: string;
  record?: AttemptRecord;
  live?: LiveJobView;
  snapshot?: JobLogFacts;
  workers: WorkerSummary[];
  dumpsOf(worker: string): readonly JobLogFacts[];
}

/** Dumps taken this long around an attempt still count as about it. */
const DUMP_MARGIN_MS = 60_000;
const LATEST_DUMPS = 3;

/** What `explain` shows about one attempt: its attributes, failure snapshot, dumps and its worker's state. */
export function buildAttemptContext(sources: AttemptContextSources): AttemptContext | undefined {
  const { record, live, snapshot } = sources;
  if (record === undefined && live === undefined && snapshot === undefined) return undefined;
  const worker = record?.facts.worker ?? live?.worker ?? snapshot?.worker;
  const snapshotEvent = record?.marks.find((mark) => mark.name === EVENT_FAILURE_SNAPSHOT);
  const dumps = worker === undefined ? [] : sources.dumpsOf(worker);
  const fromMs = (record?.facts.startMs ?? live?.startedMs ?? Number.NEGATIVE_INFINITY) - DUMP_MARGIN_MS;
  const toMs = (record?.facts.endMs ?? Number.POSITIVE_INFINITY) + DUMP_MARGIN_MS;
  const during = dumps.filter((dump) => dump.timeMs >= fromMs && dump.timeMs <= toMs);
  return {
    traceId: sources.traceId,
    spanId: sources.spanId,
    facts: record?.facts,
    live,
    attributes: record?.facts.attributes ?? live?.attributes ?? snapshot?.attributes ?? {},
    snapshot: snapshot?.attributes ?? snapshotEvent?.attributes,
    dumps: during.length > 0 ? during : dumps.slice(-LATEST_DUMPS),
    worker: worker === undefined ? undefined : sources.workers.find((summary) => summary.worker === worker),
  };
}
