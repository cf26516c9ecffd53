import type { JobOutcome } from '@joblens/semconv';
import { type HistoryAttempt, MAX_HISTORY_STEPS } from './history-store.js';

/**
 * One attempt as the SQLite history keeps it, inside its job's row: a JSON array rather than an object
 * with named keys (a third of the size over millions of attempts), steps as `[name, startMs, endMs]`.
 */
export type StoredAttempt = [
  attempt: number,
  worker: string,
  host: string,
  startMs: number,
  endMs: number,
  outcome: string,
  errorType: string | null,
  errorMessage: string | null,
  steps: Array<[name: string, startMs: number, endMs: number]>,
  longestGapSeconds: number,
  longestGapLocation: string | null,
  traceId: string,
  spanId: string,
];

/**
 * What one attempt costs beyond its JSON text: its share of the job's row header and integers, and of the
 * jobs' index entries. Measured on SQLite with the ingest bench's attempts (about 330 bytes per attempt of
 * which ~250 are the JSON text) and rounded. An estimate kept per row and summed, for retention by size:
 * a SQLite file does not shrink when rows are deleted, so its measured size would never fall below the
 * limit pruning aims for.
 */
export const ATTEMPT_OVERHEAD_BYTES = 80;

/**
 * A job's attempts that its row no longer keeps (past MAX_JOB_ATTEMPTS, the oldest go): still counted,
 * and still the job's first start and end and its highest attempt number.
 */
export interface EarlierAttempts {
  count: number;
  lastAttempt: number;
  firstStartMs: number;
  firstEndMs: number;
}

/** The columns of a job's row that follow from its attempts. */
export interface JobColumns {
  jobName: string;
  attempts: number;
  lastAttempt: number;
  lastOutcome: string;
  firstStartMs: number;
  lastEndMs: number;
  firstEndMs: number;
  lastWorker: string;
  lastHost: string;
  lastErrorType: string | null;
  lastErrorMessage: string | null;
  latestTraceId: string;
  bytes: number;
  /** The attempts, as the JSON array the row keeps. */
  attemptsJson: string;
}

function storedAttemptOf(attempt: HistoryAttempt): StoredAttempt {
  const count = Math.min(attempt.steps.length, MAX_HISTORY_STEPS);
  const steps: StoredAttempt[8] = new Array(count);
  for (let i = 0; i < count; i++) {
    const step = attempt.steps[i];
    steps[i] = [step.name, step.startMs, step.endMs];
  }
  return [
    attempt.attempt,
    attempt.worker,
    attempt.host,
    attempt.startMs,
    attempt.endMs,
    attempt.outcome,
    attempt.errorType ?? null,
    attempt.errorMessage ?? null,
    steps,
    attempt.longestGapSeconds,
    attempt.longestGapLocation ?? null,
    attempt.traceId,
    attempt.spanId,
  ];
}

/** The attempt back, with the names of its job (`job`: the row's service, queue, id and name). */
export function historyAttemptOfStored(
  job: Pick<HistoryAttempt, 'service' | 'queue' | 'jobId' | 'jobName'>,
  stored: StoredAttempt,
): HistoryAttempt {
  const [attempt, worker, host, startMs, endMs, outcome, errorType, errorMessage, steps, gap, location] =
    stored;
  return {
    service: job.service,
    queue: job.queue,
    jobName: job.jobName,
    jobId: job.jobId,
    attempt,
    worker,
    host,
    startMs,
    endMs,
    outcome: outcome as JobOutcome,
    ...(errorType !== null && { errorType }),
    ...(errorMessage !== null && { errorMessage }),
    steps: steps.map(([name, stepStart, stepEnd]) => ({ name, startMs: stepStart, endMs: stepEnd })),
    longestGapSeconds: gap,
    ...(location !== null && { longestGapLocation: location }),
    traceId: stored[11],
    spanId: stored[12],
  };
}

/**
 * The stored attempts followed by the new ones that are not among them yet (an attempt is its trace and
 * span ids: a resent batch or a peer's append brings the same one again), and how many were new.
 */
export function mergeAttempts(
  stored: readonly StoredAttempt[],
  incoming: readonly HistoryAttempt[],
): { attempts: StoredAttempt[]; added: number } {
  // A job's first attempt, alone in its batch: the common case, with nothing to compare.
  if (stored.length === 0 && incoming.length === 1)
    return { attempts: [storedAttemptOf(incoming[0])], added: 1 };
  const seen = new Set<string>();
  for (const attempt of stored) seen.add(`${attempt[11]}/${attempt[12]}`);
  const attempts = stored.slice();
  for (const attempt of incoming) {
    const key = `${attempt.traceId}/${attempt.spanId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    attempts.push(storedAttemptOf(attempt));
  }
  return { attempts, added: attempts.length - stored.length };
}

/**
 * The job's columns from all its attempts (at least one). Its latest state is the attempt that ended last;
 * of attempts that ended at the same time, the one written last, as a store that updates a row would.
 * `jobNames[i]`: the job name attempt i came with (stored attempts carry the row's).
 */
export function jobColumnsOf(
  attempts: readonly StoredAttempt[],
  jobNames: readonly string[],
  earlier?: EarlierAttempts,
): JobColumns {
  let latest = 0;
  let lastAttempt = earlier?.lastAttempt ?? attempts[0][0];
  let firstStartMs = earlier?.firstStartMs ?? attempts[0][3];
  let firstEndMs = earlier?.firstEndMs ?? attempts[0][4];
  let bytes = 0;
  const texts: string[] = new Array(attempts.length);
  for (let i = 0; i < attempts.length; i++) {
    const attempt = attempts[i];
    if (attempt[4] >= attempts[latest][4]) latest = i;
    if (attempt[0] > lastAttempt) lastAttempt = attempt[0];
    if (attempt[3] < firstStartMs) firstStartMs = attempt[3];
    if (attempt[4] < firstEndMs) firstEndMs = attempt[4];
    texts[i] = JSON.stringify(attempt);
    bytes += ATTEMPT_OVERHEAD_BYTES + texts[i].length;
  }
  const newest = attempts[latest];
  return {
    jobName: jobNames[latest],
    attempts: attempts.length + (earlier?.count ?? 0),
    lastAttempt,
    lastOutcome: newest[5],
    firstStartMs,
    lastEndMs: newest[4],
    firstEndMs,
    lastWorker: newest[1],
    lastHost: newest[2],
    lastErrorType: newest[6],
    lastErrorMessage: newest[7],
    latestTraceId: newest[11],
    bytes,
    attemptsJson: `[${texts.join(',')}]`,
  };
}

/**
 * The newest `max` attempts (by end; of equal ends, the later written) with their names, and what the
 * others add to `earlier`. Attempts and names keep their order.
 */
export function keepNewest(
  attempts: readonly StoredAttempt[],
  jobNames: readonly string[],
  max: number,
  earlier: EarlierAttempts | undefined,
): { attempts: StoredAttempt[]; jobNames: string[]; earlier: EarlierAttempts | undefined } {
  if (attempts.length <= max) return { attempts: attempts.slice(), jobNames: jobNames.slice(), earlier };
  const newestFirst = attempts.map((_, i) => i).sort((a, b) => attempts[b][4] - attempts[a][4] || b - a);
  const keptIndexes = new Set(newestFirst.slice(0, max));
  const kept: StoredAttempt[] = [];
  const keptNames: string[] = [];
  let dropped = earlier;
  for (let i = 0; i < attempts.length; i++) {
    const attempt = attempts[i];
    if (keptIndexes.has(i)) {
      kept.push(attempt);
      keptNames.push(jobNames[i]);
      continue;
    }
    dropped = {
      count: (dropped?.count ?? 0) + 1,
      lastAttempt: Math.max(dropped?.lastAttempt ?? attempt[0], attempt[0]),
      firstStartMs: Math.min(dropped?.firstStartMs ?? attempt[3], attempt[3]),
      firstEndMs: Math.min(dropped?.firstEndMs ?? attempt[4], attempt[4]),
    };
  }
  return { attempts: kept, jobNames: keptNames, earlier: dropped };
}
