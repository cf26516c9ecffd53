import { type HistoryAttempt, MAX_HISTORY_STEPS } from './history-store.js';
import {
  ATTEMPT_OVERHEAD_BYTES,
  historyAttemptOfStored,
  type JobColumns,
  type StoredAttempt,
} from './sqlite-job-attempts.js';

/**
 * Attempts on their way to the SQLite history's writer thread, as one string. A thread copies one flat
 * string at the speed of memory, where objects with named keys, or even an array of strings, cost
 * microseconds per attempt to serialize on the event loop and as many to rebuild in the thread. The event
 * loop only writes the attempt's values down, and the thread builds the text its job's row keeps. A string
 * is `<length>:<text>` (`-` for none), a number `<digits>;`: lengths rather than separators, as telemetry
 * text may hold any character. The batch starts with a base time in whole milliseconds, and every time
 * after it is the difference from it: a Unix time in ms is too large for V8's small integers and takes a
 * slow path to become text, which made the times half of what encoding cost. Per attempt, in this order:
 * service, queue, job id, job name, attempt, worker, host, start, end, outcome, error type, error message,
 * longest gap (seconds, location), trace id, span id, the number of steps, and each step's name, start and
 * end.
 */
export type EncodedAttempts = string;

/** The attempts of an EncodedAttempts read back in the thread: WIRE_STRIDE values per attempt. */
export type WireValues = Array<string | number | null>;

export const WIRE_STRIDE = 14;

/** Offsets of the values of one attempt in WireValues. */
export const WIRE = {
  service: 0,
  queue: 1,
  jobId: 2,
  jobName: 3,
  /** JSON of the StoredAttempt, times in whole milliseconds. */
  stored: 4,
  /** The rest repeat values of `stored`, for the columns of a job with this one attempt. */
  attempt: 5,
  worker: 6,
  host: 7,
  startMs: 8,
  endMs: 9,
  outcome: 10,
  errorType: 11,
  errorMessage: 12,
  traceId: 13,
} as const;

const text = (value: string | undefined): string => (value === undefined ? '-' : `${value.length}:${value}`);

/**
 * On the event loop: the attempts' values, concatenated (V8 joins the pieces once, when the string is sent).
 * Whole milliseconds: the history's resolution, and an integer is written far faster than a fraction.
 */
export function encodeAttempts(attempts: readonly HistoryAttempt[]): EncodedAttempts {
  const base = attempts.length === 0 ? 0 : Math.round(attempts[0].startMs);
  let wire = `${base};`;
  for (const a of attempts) {
    wire += `${text(a.service)}${text(a.queue)}${text(a.jobId)}${text(a.jobName)}${a.attempt};${text(a.worker)}${text(a.host)}`;
    wire += `${Math.round(a.startMs) - base};${Math.round(a.endMs) - base};${text(a.outcome)}${text(a.errorType)}${text(a.errorMessage)}`;
    const steps = Math.min(a.steps.length, MAX_HISTORY_STEPS);
    wire += `${a.longestGapSeconds};${text(a.longestGapLocation)}${text(a.traceId)}${text(a.spanId)}${steps};`;
    for (let i = 0; i < steps; i++) {
      const step = a.steps[i];
      wire += `${text(step.name)}${Math.round(step.startMs) - base};${Math.round(step.endMs) - base};`;
    }
  }
  return wire;
}

/** Reads an EncodedAttempts from its start; throws on text that encodeAttempts did not write. */
class WireReader {
  private at = 0;
  constructor(private readonly wire: string) {}

  get done(): boolean {
    return this.at >= this.wire.length;
  }

  text(): string | null {
    if (this.wire.charCodeAt(this.at) === 45 /* - */) {
      this.at += 1;
      return null;
    }
    const colon = this.wire.indexOf(':', this.at);
    const start = colon + 1;
    const end = start + Number(this.wire.slice(this.at, colon));
    if (colon < 0 || !(end <= this.wire.length)) throw new Error('malformed encoded attempts');
    this.at = end;
    return this.wire.slice(start, end);
  }

  string(): string {
    const value = this.text();
    if (value === null) throw new Error('malformed encoded attempts');
    return value;
  }

  number(): number {
    const end = this.wire.indexOf(';', this.at);
    const value = Number(this.wire.slice(this.at, end));
    if (end < 0 || Number.isNaN(value)) throw new Error('malformed encoded attempts');
    this.at = end + 1;
    return value;
  }
}

/** What JSON escapes in a string: quotes, backslashes, control characters and lone surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string or null as JSON; most need no escape, and quoting them is cheaper than JSON.stringify. */
const json = (value: string | null): string =>
  value === null ? 'null' : NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;

/**
 * In the thread: the values of every attempt in `wire`, WIRE_STRIDE each. The StoredAttempt's JSON is
 * written as the values are read, rather than built as arrays and given to JSON.stringify.
 */
export function decodeAttempts(wire: EncodedAttempts): WireValues {
  const values: WireValues = [];
  const read = new WireReader(wire);
  const base = read.number();
  while (!read.done) {
    const service = read.string();
    const queue = read.string();
    const jobId = read.string();
    const jobName = read.string();
    const attempt = read.number();
    const worker = read.string();
    const host = read.string();
    const startMs = base + read.number();
    const endMs = base + read.number();
    const outcome = read.string();
    const errorType = read.text();
    const errorMessage = read.text();
    const gap = read.number();
    const location = read.text();
    const traceId = read.string();
    const spanId = read.string();
    let stored = `[${attempt},${json(worker)},${json(host)},${startMs},${endMs},${json(outcome)},${json(errorType)},${json(errorMessage)},[`;
    const steps = read.number();
    for (let i = 0; i < steps; i++) {
      const name = read.string();
      stored += `${i === 0 ? '' : ','}[${json(name)},${base + read.number()},${base + read.number()}]`;
    }
    stored += `],${gap},${json(location)},${json(traceId)},${json(spanId)}]`;
    values.push(
      service,
      queue,
      jobId,
      jobName,
      stored,
      attempt,
      worker,
      host,
      startMs,
      endMs,
      outcome,
      errorType,
      errorMessage,
      traceId,
    );
  }
  return values;
}

/** The attempt that starts at `at`, back as a HistoryAttempt (for a job that is merged, not inserted). */
export function decodeAttempt(wire: WireValues, at: number): HistoryAttempt {
  const job = {
    service: wire[at + WIRE.service] as string,
    queue: wire[at + WIRE.queue] as string,
    jobId: wire[at + WIRE.jobId] as string,
    jobName: wire[at + WIRE.jobName] as string,
  };
  return historyAttemptOfStored(job, JSON.parse(wire[at + WIRE.stored] as string) as StoredAttempt);
}

/** The columns of a job whose only attempt starts at `at`: what jobColumnsOf gives, with nothing to build. */
export function oneAttemptColumns(wire: WireValues, at: number): JobColumns {
  const text = wire[at + WIRE.stored] as string;
  const endMs = wire[at + WIRE.endMs] as number;
  return {
    jobName: wire[at + WIRE.jobName] as string,
    attempts: 1,
    lastAttempt: wire[at + WIRE.attempt] as number,
    lastOutcome: wire[at + WIRE.outcome] as string,
    firstStartMs: wire[at + WIRE.startMs] as number,
    lastEndMs: endMs,
    firstEndMs: endMs,
    lastWorker: wire[at + WIRE.worker] as string,
    lastHost: wire[at + WIRE.host] as string,
    lastErrorType: wire[at + WIRE.errorType] as string | null,
    lastErrorMessage: wire[at + WIRE.errorMessage] as string | null,
    latestTraceId: wire[at + WIRE.traceId] as string,
    bytes: ATTEMPT_OVERHEAD_BYTES + text.length,
    attemptsJson: `[${text}]`,
  };
}
