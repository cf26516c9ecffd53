import type { Attributes, SpanEventRecord } from '@joblens/otlp-receiver';
import {
  ATTR_CHECKPOINT_NAME,
  EVENT_CHECKPOINT,
  EVENT_FAILURE_SNAPSHOT,
  EVENT_JOB_COMPLETED,
  EVENT_JOB_FAILED,
  EVENT_JOB_FETCHED,
  EVENT_JOB_RETRY_SCHEDULED,
  EVENT_JOB_STARTED,
  EVENT_STEP_ENDED,
  EVENT_STEP_STARTED,
} from '@joblens/semconv';
import type { AttemptView, GapView, MarkView, StepView } from './analyzer-view.js';
import { attemptAttributeBytes } from './attribute-bytes.js';
import { readString } from './attribute-readers.js';
import { computeGaps, longestGapLocation, longestGapSeconds } from './compute-gaps.js';
import type { AttemptFacts } from './facts.js';
import { FifoTable } from './table/fifo-table.js';

/** Lifecycle events say when, not what: they do not break a silence. */
const LIFECYCLE_EVENTS: ReadonlySet<string> = new Set([
  EVENT_JOB_FETCHED,
  EVENT_JOB_STARTED,
  EVENT_JOB_COMPLETED,
  EVENT_JOB_FAILED,
  EVENT_JOB_RETRY_SCHEDULED,
  EVENT_FAILURE_SNAPSHOT,
  'job completed',
  'job failed',
]);

/**
 * Events that only restate the attempt's start and end, or (diagnostic mode) its steps' edges: not kept
 * as marks. They would add nothing the spans do not say, cost memory at 100k attempts, and step-edge
 * events would name gaps after themselves instead of after the steps.
 */
const UNREMARKABLE_EVENTS: ReadonlySet<string> = new Set([
  EVENT_JOB_FETCHED,
  EVENT_JOB_STARTED,
  EVENT_JOB_COMPLETED,
  EVENT_STEP_STARTED,
  EVENT_STEP_ENDED,
  'job completed',
]);

function breaksSilence(mark: MarkView): boolean {
  return mark.kind === 'checkpoint' || !LIFECYCLE_EVENTS.has(mark.name);
}

// Shared while empty (most attempts): never mutated, replaced by an own array on the first insert.
const NO_MARKS: MarkView[] = [];
const NO_STEPS: StepView[] = [];
const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

export interface AttemptRecord extends AttemptView {
  steps: StepView[];
  marks: MarkView[];
  /** Cached; cleared when a late child arrives. */
  gaps?: GapView[];
  /** Cached like `gaps`; most attempts are only ever asked this. */
  longestGapSeconds?: number;
  /** Set once evicted or pruned: cheaper to test than a lookup by a key built again. */
  dropped: boolean;
  /** Its key (trace + span id), to find it by and to compare with on a hash match. */
  key: string;
  /** Estimated bytes of the attributes it still holds (span and marks); 0 once they are dropped. */
  attributeBytes: number;
}

interface PendingChildren {
  /** When the newest of them arrived (refreshed at most every {@link PENDING_REFRESH_MS}). */
  receivedMs: number;
  steps: StepView[];
}

/**
 * A long job's steps are exported as they end, minutes before its attempt span: its children wait while
 * more keep coming. Moving the entry to the back of the prune order on every child would cost a Map
 * delete and set per span on the ingest path, so it is refreshed only once this much older.
 */
const PENDING_REFRESH_MS = 10_000;

function toMarks(events: readonly SpanEventRecord[], limit: number): MarkView[] {
  let marks = NO_MARKS;
  for (const event of events) {
    if (marks.length >= limit) break;
    if (UNREMARKABLE_EVENTS.has(event.name)) continue;
    const checkpoint = event.name === EVENT_CHECKPOINT;
    const mark: MarkView = {
      kind: checkpoint ? 'checkpoint' : 'event',
      name: checkpoint ? (readString(event.attributes, ATTR_CHECKPOINT_NAME) ?? event.name) : event.name,
      timeMs: event.timeMs,
      attributes: event.attributes,
    };
    marks = withOneMore(marks, mark);
  }
  if (marks.length > 1) marks.sort((a, b) => a.timeMs - b.timeMs);
  return marks;
}

/** Below this length an array grows by a copy of exact size rather than by push. */
const EXACT_GROWTH_BELOW = 8;

/**
 * `items` with `item` appended: a copy of exact size while short, as push on a short array reserves room
 * for 16 more (~130 bytes each for an attempt's two or three steps or its one mark, held by 50k
 * attempts and copied by the GC); in place once longer.
 */
function withOneMore<T>(items: T[], item: T): T[] {
  // Literals for the usual lengths: cheaper than concat, which goes through the generic builtin.
  switch (items.length) {
    case 0:
      return [item];
    case 1:
      return [items[0], item];
    case 2:
      return [items[0], items[1], item];
    case 3:
      return [items[0], items[1], items[2], item];
  }
  if (items.length >= EXACT_GROWTH_BELOW) {
    items.push(item);
    return items;
  }
  return items.concat([item]);
}

/** `steps` with `step` inserted by start (the same array or a grown copy); undefined if not added. */
function addStep(steps: StepView[], step: StepView, limit: number): StepView[] | undefined {
  if (steps.length >= limit) return undefined;
  for (const existing of steps) if (existing.spanId === step.spanId) return undefined;
  // Insertion by hand: splice would allocate an (empty) array of removed elements for every step.
  const grown = withOneMore(steps, step);
  let index = grown.length - 1;
  while (index > 0 && grown[index - 1].startMs > step.startMs) {
    grown[index] = grown[index - 1];
    index--;
  }
  grown[index] = step;
  return grown;
}

/**
 * Finished attempts by trace + span id, with their children; children whose attempt has not arrived yet
 * wait in a bounded pending area. Attempts sit in a FifoTable in arrival order, which is what eviction
 * and pruning follow (both take the oldest): as a Map keyed by 48-character strings, every new attempt's
 * miss compared against key strings spread over the heap, and walking the window from its old end
 * needs positions.
 */
export class AttemptStore {
  private readonly pending = new Map<string, PendingChildren>();
  private pendingCount = 0;
  /** Attempts added since the last `takeNew`, for metrics that count each attempt once. */
  private fresh: AttemptRecord[] = [];
  /**
   * Completed attempts that still hold their span attributes, oldest first from `withAttributesHead`: a
   * queue of the records themselves, as a Set of keys cost a hash insert and a lookup per attempt.
   */
  private withAttributes: (AttemptRecord | undefined)[] = [];
  /** Bumped whenever the held attempts change, so `inArrivalOrder` can hand out the same list until then. */
  private version = 0;
  private listed: { version: number; records: AttemptRecord[]; oldestEndMs: number } | undefined;
  private withAttributesHead = 0;
  /** Held attempts by key, oldest first; never deleted from in the middle, so it has no holes. */
  private readonly held: FifoTable<AttemptRecord>;
  /** Its bound, past which `fresh` is halved. */
  private readonly capacity: number;
  /** Estimated bytes of the attributes the held attempts keep, against `maxRetainedAttributeBytes`. */
  retainedAttributeBytes = 0;
  /** Positions from the oldest whose attributes the budget already dropped: trimming goes on from there. */
  private trimmedRows = 0;
  /** The last key looked up and its attempt: a step's siblings name the same parent one after another. */
  private lastKey = '';
  private lastAttempt: AttemptRecord | undefined;

  constructor(
    maxAttempts: number,
    private readonly maxPendingChildren: number,
    private readonly maxStepsPerAttempt: number,
    private readonly maxCompletedWithAttributes: number,
    /** Completed attempts at least this long keep their attributes, as failed ones do. */
    private readonly longAttemptMs: number,
    /** Attributes held in all, estimated; past it the oldest attempts' attributes go first. */
    private readonly maxRetainedAttributeBytes: number = Number.POSITIVE_INFINITY,
  ) {
    this.capacity = Math.max(1, Math.floor(maxAttempts));
    this.held = new FifoTable<AttemptRecord>(this.capacity, (_key, record) => this.dropped(record));
  }

  /** Attempts held. */
  get size(): number {
    return this.held.size;
  }

  has(key: string): boolean {
    return this.held.get(key) !== undefined;
  }

  get(key: string): AttemptRecord | undefined {
    return this.held.get(key);
  }

  /** The record held for the attempt; undefined for a duplicate (OTLP retries deliver twice). */
  addAttempt(
    key: string,
    facts: AttemptFacts,
    events: readonly SpanEventRecord[],
    receivedMs: number,
  ): AttemptRecord | undefined {
    if (this.held.get(key) !== undefined) return undefined;
    // Every field set here, gaps too, so all records share one shape and detectors read them monomorphically.
    const marks = toMarks(events, this.maxStepsPerAttempt);
    const record: AttemptRecord = {
      facts,
      steps: NO_STEPS,
      marks,
      receivedMs,
      gaps: undefined,
      longestGapSeconds: undefined,
      dropped: false,
      key,
      attributeBytes: attemptAttributeBytes(facts.attributes, marks),
    };
    const waiting = this.pending.size === 0 ? undefined : this.pending.get(key);
    if (waiting !== undefined) {
      // Already sorted, deduplicated and capped by addChild: the attempt takes the array over.
      this.pending.delete(key);
      this.pendingCount -= waiting.steps.length;
      record.steps = waiting.steps;
    }
    // Evicts the oldest attempt first when full (`dropped`).
    this.held.set(key, record);
    this.version += 1;
    // Nobody taking them (a model without the metrics loop) must not make this grow without bound.
    if (this.fresh.length >= this.capacity) this.fresh = this.fresh.slice(this.fresh.length >> 1);
    this.fresh.push(record);
    // Failed and long attempts keep their attributes for explain; other completed ones only while among
    // the newest.
    if (facts.outcome === 'completed' && facts.endMs - facts.startMs < this.longAttemptMs)
      this.keepAttributes(record);
    this.retainedAttributeBytes += record.attributeBytes;
    if (this.retainedAttributeBytes > this.maxRetainedAttributeBytes) this.trimAttributes();
    return record;
  }

  /**
   * Drops the attributes of the oldest attempts until the held ones fit the budget again, with the
   * slack of `evictOldest` so that a flood of large attempts does not trim on every insert.
   */
  private trimAttributes(): void {
    const target = this.maxRetainedAttributeBytes - this.maxRetainedAttributeBytes / 64;
    while (this.retainedAttributeBytes > target && this.trimmedRows < this.held.length) {
      const record = this.held.at(this.trimmedRows);
      if (record !== undefined) this.dropAttributes(record);
      this.trimmedRows += 1;
    }
  }

  /** Drops every held attempt's attributes (the heap guard's relief); explain shows none until new come. */
  dropAllAttributes(): void {
    for (let i = 0; i < this.held.length; i++) {
      const record = this.held.at(i);
      if (record !== undefined) this.dropAttributes(record);
    }
    this.trimmedRows = this.held.length;
  }

  private dropAttributes(record: AttemptRecord): void {
    if (record.attributeBytes === 0) return;
    this.retainedAttributeBytes -= record.attributeBytes;
    record.attributeBytes = 0;
    record.facts.attributes = NO_ATTRIBUTES;
    if (record.marks.length > 0)
      record.marks = record.marks.map((mark) => ({ ...mark, attributes: NO_ATTRIBUTES }));
  }

  /**
   * Held attempts whose end is at or after `sinceMs`, in arrival order. Several detectors walk the window
   * in one evaluation, with no ingest in between: the list is built once per change of the store, and
   * shared as is when every attempt qualifies (the usual case), instead of a generator per detector
   * allocating a result object per attempt. Read it, do not keep or change it.
   */
  inArrivalOrder(sinceMs: number): readonly AttemptRecord[] {
    let listed = this.listed;
    if (listed === undefined || listed.version !== this.version) {
      const records: AttemptRecord[] = new Array(this.held.length);
      let oldestEndMs = Number.POSITIVE_INFINITY;
      for (let i = 0; i < this.held.length; i++) {
        const record = this.held.at(i) as AttemptRecord;
        records[i] = record;
        if (record.facts.endMs < oldestEndMs) oldestEndMs = record.facts.endMs;
      }
      listed = { version: this.version, records, oldestEndMs };
      this.listed = listed;
    }
    if (listed.oldestEndMs >= sinceMs) return listed.records;
    return listed.records.filter((record) => record.facts.endMs >= sinceMs);
  }

  /** Drops the oldest held attempt (pruning). */
  private dropOldest(): void {
    const record = this.held.shift();
    if (record !== undefined) this.dropped(record);
  }

  /** Bookkeeping for an attempt that left the old end of the window, evicted or pruned. */
  private dropped(record: AttemptRecord): void {
    this.retainedAttributeBytes -= record.attributeBytes;
    record.dropped = true;
    if (this.lastAttempt === record) this.lastAttempt = undefined;
    if (this.trimmedRows > 0) this.trimmedRows -= 1;
    this.version += 1;
  }

  private keepAttributes(record: AttemptRecord): void {
    this.withAttributes.push(record);
    const max = this.maxCompletedWithAttributes;
    if (this.withAttributes.length - this.withAttributesHead <= max) return;
    const target = Math.max(0, max - Math.floor(max / 64));
    while (this.withAttributes.length - this.withAttributesHead > target) {
      const old = this.withAttributes[this.withAttributesHead];
      this.withAttributes[this.withAttributesHead] = undefined;
      this.withAttributesHead += 1;
      // Its marks' attributes go too: the budget counts them with the span's, and a completed short
      // attempt is not one a finding is about.
      if (old !== undefined && !old.dropped) this.dropAttributes(old);
    }
    if (this.withAttributesHead * 2 > this.withAttributes.length) {
      this.withAttributes = this.withAttributes.slice(this.withAttributesHead);
      this.withAttributesHead = 0;
    }
  }

  /**
   * Attempts added since the last call, oldest first, still held (not evicted or pruned): lets the
   * metrics count each attempt once without walking the whole window every evaluation.
   */
  takeNew(): AttemptRecord[] {
    const taken = this.fresh;
    this.fresh = [];
    return taken.filter((record) => !record.dropped);
  }

  /** Attaches a child to its attempt, or parks it until the attempt arrives. */
  addChild(parentKey: string, step: StepView, receivedMs: number): void {
    let attempt = this.lastAttempt;
    if (parentKey !== this.lastKey || attempt === undefined) {
      attempt = this.held.get(parentKey);
      this.lastKey = parentKey;
      this.lastAttempt = attempt;
    }
    if (attempt !== undefined) {
      if (attempt.steps === NO_STEPS && this.maxStepsPerAttempt > 0) {
        // Sized to the one step, as most attempts have few: `[]` then push reserves room for 17.
        attempt.steps = [step];
        attempt.gaps = undefined;
        attempt.longestGapSeconds = undefined;
        return;
      }
      const steps = addStep(attempt.steps, step, this.maxStepsPerAttempt);
      if (steps !== undefined) {
        attempt.steps = steps;
        attempt.gaps = undefined;
        attempt.longestGapSeconds = undefined;
      }
      return;
    }
    const waiting = this.pending.size === 0 ? undefined : this.pending.get(parentKey);
    if (waiting !== undefined) {
      const steps = addStep(waiting.steps, step, this.maxStepsPerAttempt);
      if (steps !== undefined) {
        waiting.steps = steps;
        this.pendingCount += 1;
      }
      // Pruning drops children that waited too long for their parent; a parent still sending children
      // is still running, not lost.
      if (receivedMs - waiting.receivedMs >= PENDING_REFRESH_MS) {
        waiting.receivedMs = receivedMs;
        this.pending.delete(parentKey);
        this.pending.set(parentKey, waiting);
      }
    } else if (this.maxStepsPerAttempt > 0) {
      this.pending.set(parentKey, { receivedMs, steps: [step] });
      this.pendingCount += 1;
    }
    if (this.pendingCount > this.maxPendingChildren) this.dropOldestPending();
  }

  /** Children already received for an attempt still running. */
  pendingSteps(parentKey: string): readonly StepView[] {
    return this.pending.get(parentKey)?.steps ?? [];
  }

  /** Drops the oldest waiting children, with the same slack as `evictOldest`. */
  private dropOldestPending(): void {
    const target = this.maxPendingChildren - Math.floor(this.maxPendingChildren / 64);
    for (const [key, waiting] of this.pending) {
      if (this.pendingCount <= target) break;
      this.pending.delete(key);
      this.pendingCount -= waiting.steps.length;
    }
  }

  /** The longest gap's seconds, 0 when there is none; cached without the gaps themselves. */
  longestGapSeconds(record: AttemptView): number {
    const cached = (record as AttemptRecord).longestGapSeconds;
    if (cached !== undefined) return cached;
    const { startMs, endMs } = record.facts;
    const longest = longestGapSeconds(startMs, endMs, record.steps, record.marks, breaksSilence);
    if ((record as AttemptRecord).dropped === false) (record as AttemptRecord).longestGapSeconds = longest;
    return longest;
  }

  /**
   * The longest gap's length and place, undefined when there is none; without building the gaps (the job
   * history asks this of every attempt once, and 50k cached gap lists would cost memory and collector time).
   */
  longestGap(record: AttemptView): { seconds: number; location: string } | undefined {
    const seconds = this.longestGapSeconds(record);
    if (seconds === 0) return undefined;
    const cached = (record as AttemptRecord).gaps;
    const { startMs, endMs } = record.facts;
    const location =
      cached !== undefined
        ? cached[0]?.location
        : longestGapLocation(startMs, endMs, record.steps, record.marks, breaksSilence);
    return location === undefined ? undefined : { seconds, location };
  }

  gaps(record: AttemptView): readonly GapView[] {
    const cached = (record as AttemptRecord).gaps;
    if (cached !== undefined) return cached;
    const activity = record.marks.filter(breaksSilence);
    const gaps = computeGaps(record.facts.startMs, record.facts.endMs, record.steps, activity);
    if ((record as AttemptRecord).dropped === false) (record as AttemptRecord).gaps = gaps;
    return gaps;
  }

  prune(attemptCutoffMs: number, pendingCutoffMs: number): void {
    while (this.held.length > 0 && (this.held.at(0)?.facts.endMs ?? 0) < attemptCutoffMs) this.dropOldest();
    for (const [key, waiting] of this.pending) {
      if (waiting.receivedMs >= pendingCutoffMs) break;
      this.pending.delete(key);
      this.pendingCount -= waiting.steps.length;
    }
  }

  get pendingChildren(): number {
    return this.pendingCount;
  }
}
