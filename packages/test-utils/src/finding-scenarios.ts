// Type-only, and not in package.json: see telemetry-factories.ts.
import type {
  Attributes,
  LogRecordData,
  MetricPointRecord,
  ResourceRecord,
  SpanEventRecord,
  SpanRecord,
} from '@joblens/analyzer';
import {
  ATTR_DUMP_PATH,
  ATTR_DUMP_TRIGGER,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ATTR_JOB_CURRENT_STEP,
  ATTR_SNAPSHOT_ACTIVE_JOBS,
  ATTR_SNAPSHOT_HEAP_USED,
  ATTR_SNAPSHOT_LAST_CHECKPOINT,
  EVENT_EXCEPTION,
} from '@joblens/semconv';
import {
  makeAttemptSpan,
  makeEventLoopBlockedLog,
  makeHeartbeatPoint,
  makeJobLog,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
  makeStepSpan,
  makeTraceId,
} from './telemetry-factories.js';

/**
 * Telemetry that makes one detector raise one finding type, placed relative to `nowMs` (the analyzer's
 * clock when it evaluates, default thresholds). Each scenario carries secrets where real telemetry
 * would, so explain-style outputs can be checked for leaks against {@link SCENARIO_SECRETS}.
 */
export interface FindingScenario {
  spans: SpanRecord[];
  logs: LogRecordData[];
  metrics: MetricPointRecord[];
  /** The attempt span the finding should point at, when it is about one job. */
  attempt?: SpanRecord;
  /** Step names of that attempt, in order. */
  steps?: string[];
}

export interface ScenarioInit {
  /** The analyzer's clock at evaluation (Unix ms). */
  nowMs: number;
  /** Service name; scenarios with distinct services do not disturb each other. */
  service: string;
}

const DB_PASSWORD = 'hunter2-db-pass';
const BEARER_TOKEN = 'sk_live_4f9a8b7c6d5e';
const URL_PASSWORD = 's3cret';

/** Secret values the scenarios plant; none may appear in anything shown to people or an LLM. */
export const SCENARIO_SECRETS: readonly string[] = [DB_PASSWORD, BEARER_TOKEN, URL_PASSWORD];

/** An error message with a connection string that embeds a password. */
export const SECRET_ERROR_MESSAGE = `connect ECONNREFUSED postgres://app:${URL_PASSWORD}@db/x`;

/** Attributes an instrumented app might leave on an attempt span: a password and an auth header. */
export const SECRET_ATTRIBUTES: Readonly<Attributes> = {
  'db.password': DB_PASSWORD,
  'http.request.header.authorization': `Bearer ${BEARER_TOKEN}`,
};

function exceptionEvent(timeMs: number, type: string): SpanEventRecord {
  return {
    name: EVENT_EXCEPTION,
    timeMs,
    attributes: {
      [ATTR_EXCEPTION_TYPE]: type,
      [ATTR_EXCEPTION_MESSAGE]: SECRET_ERROR_MESSAGE,
      [ATTR_EXCEPTION_STACKTRACE]: `${type}: ${SECRET_ERROR_MESSAGE}\n    at connect (db.js:1:1)`,
    },
  };
}

function empty(): FindingScenario {
  return { spans: [], logs: [], metrics: [] };
}

function heartbeats(resource: ResourceRecord, fromMs: number, toMs: number): MetricPointRecord[] {
  const points: MetricPointRecord[] = [];
  let count = 0;
  for (let t = fromMs; t <= toMs; t += 10_000)
    points.push(makeHeartbeatPoint({ resource, timeMs: t, count: ++count }));
  return points;
}

function backlog(resource: ResourceRecord, timeMs: number, waiting: number, ageSeconds: number) {
  return [
    makeQueueDepthPoint({ resource, timeMs, state: 'waiting', depth: waiting }),
    makeOldestReadyAgePoint({ resource, timeMs, ageSeconds }),
  ];
}

/** `mystery_gap`: export jobs with a silent stretch between `fetch` and `upload`; the worst is 12 s. */
export function mysteryGapScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const resource = makeResource({ service, worker: `${service}-w`, host: `${service}-h` });
  for (const [n, silentMs] of [8_000, 12_000].entries()) {
    const startMs = nowMs - 100_000 + n * 30_000;
    const attempt = makeAttemptSpan({
      resource,
      queue: 'reports',
      jobName: 'export',
      jobId: `export-${n}`,
      startMs,
      durationMs: 2_000 + silentMs,
      attributes: { ...SECRET_ATTRIBUTES },
    });
    out.spans.push(
      attempt,
      makeStepSpan({ parent: attempt, name: 'fetch', startMs, endMs: startMs + 1_000 }),
      makeStepSpan({
        parent: attempt,
        name: 'upload',
        startMs: startMs + 1_000 + silentMs,
        endMs: startMs + 2_000 + silentMs,
      }),
    );
    out.attempt = attempt;
  }
  out.steps = ['fetch', 'upload'];
  return out;
}

/** `silent_job`: a charge job, still running, silent in `call-bank` for 80 s. */
export function silentJobScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const resource = makeResource({ service, worker: `${service}-w`, host: `${service}-h` });
  const startMs = nowMs - 90_000;
  const attempt = makeAttemptSpan({ resource, jobName: 'charge', jobId: 'c-1', startMs });
  out.spans.push(makeStepSpan({ parent: attempt, name: 'load-card', startMs, endMs: startMs + 2_000 }));
  out.logs.push(
    makeJobLog({ kind: 'started', attempt, timeMs: startMs, attributes: { ...SECRET_ATTRIBUTES } }),
    makeJobLog({
      kind: 'still_running',
      attempt,
      timeMs: nowMs - 30_000,
      silenceSeconds: 50,
      elapsedSeconds: 60,
      currentStep: 'call-bank',
      attributes: { ...SECRET_ATTRIBUTES },
    }),
  );
  return { ...out, attempt, steps: ['load-card'] };
}

/**
 * `runaway_retries`: one import job on its 6th attempt, each failing with a connection error whose
 * message embeds a password; the last attempt has a failure snapshot naming it too.
 */
export function runawayRetriesScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const resource = makeResource({ service, worker: `${service}-w`, host: `${service}-h` });
  for (let n = 1; n <= 6; n++) {
    const startMs = nowMs - 200_000 + n * 20_000;
    const attempt = makeAttemptSpan({
      resource,
      jobName: 'import',
      jobId: 'poison',
      attempt: n,
      maxAttempts: 25,
      outcome: 'retry_scheduled',
      errorType: 'ConnectionError',
      startMs,
      durationMs: 3_000,
      events: [exceptionEvent(startMs + 2_900, 'ConnectionError')],
      attributes: { ...SECRET_ATTRIBUTES },
    });
    out.spans.push(
      attempt,
      makeStepSpan({ parent: attempt, name: 'read-file', startMs, endMs: startMs + 1_500 }),
      makeStepSpan({
        parent: attempt,
        name: 'write-db',
        startMs: startMs + 1_500,
        endMs: startMs + 2_900,
        statusCode: 2,
      }),
    );
    out.attempt = attempt;
  }
  const last = out.attempt as SpanRecord;
  out.logs.push(
    makeJobLog({
      kind: 'failure_snapshot',
      attempt: last,
      timeMs: last.endMs,
      attributes: {
        [ATTR_SNAPSHOT_ACTIVE_JOBS]: 1,
        [ATTR_SNAPSHOT_HEAP_USED]: 12_345_678,
        [ATTR_JOB_CURRENT_STEP]: 'write-db',
        [ATTR_SNAPSHOT_LAST_CHECKPOINT]: `opened ${SECRET_ERROR_MESSAGE.split(' ').at(-1)}`,
        ...SECRET_ATTRIBUTES,
      },
    }),
  );
  return { ...out, steps: ['read-file', 'write-db'] };
}

/** `retry_storm`: twelve notify jobs on three workers failing with the same connection error at once. */
export function retryStormScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const workers = [1, 2, 3].map((n) =>
    makeResource({ service, worker: `${service}-w${n}`, host: `${service}-h${n}` }),
  );
  for (let n = 0; n < 12; n++) {
    const startMs = nowMs - 40_000 + n * 1_000;
    const attempt = makeAttemptSpan({
      resource: workers[n % 3],
      jobId: `p${n}`,
      jobName: 'notify',
      outcome: 'retry_scheduled',
      errorType: 'RedisDown',
      startMs,
      durationMs: 800,
      events: [exceptionEvent(startMs + 700, 'RedisDown')],
      attributes: { ...SECRET_ATTRIBUTES },
    });
    out.spans.push(
      attempt,
      makeStepSpan({ parent: attempt, name: 'publish', startMs, endMs: startMs + 700 }),
    );
    out.attempt = attempt;
  }
  return { ...out, steps: ['publish'] };
}

/** `host_imbalance`: one worker of four takes nearly every job while 300 jobs wait 40 s. */
export function hostImbalanceScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const fleet = [1, 2, 3, 4].map((n) =>
    makeResource({ service, worker: `${service}-w${n}`, host: `${service}-h${n}` }),
  );
  const counts = [40, 3, 4, 0];
  fleet.forEach((resource, n) => {
    out.metrics.push(...heartbeats(resource, nowMs - 200_000, nowMs));
    for (let k = 0; k < counts[n]; k++) {
      const attempt = makeAttemptSpan({
        resource,
        startMs: nowMs - 100_000 + k * 1_000,
        attributes: { ...SECRET_ATTRIBUTES },
      });
      out.spans.push(attempt);
      if (n === 0) out.attempt = attempt;
    }
  });
  out.metrics.push(...backlog(fleet[3], nowMs - 5_000, 300, 40));
  return { ...out, steps: [] };
}

/**
 * `silent_worker`: a worker whose heartbeats stopped 70 s ago while it held a job, and which wrote a
 * dump just before; a peer goes on.
 */
export function silentWorkerScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const gone = makeResource({ service, worker: `${service}-gone`, host: `${service}-h1` });
  const alive = makeResource({ service, worker: `${service}-alive`, host: `${service}-h2` });
  out.metrics.push(...heartbeats(gone, nowMs - 120_000, nowMs - 70_000));
  out.metrics.push(...heartbeats(alive, nowMs - 120_000, nowMs));
  const attempt = makeAttemptSpan({ resource: gone, jobName: 'resize', jobId: 'img-9' });
  out.logs.push(
    makeJobLog({ kind: 'started', attempt, timeMs: nowMs - 75_000 }),
    makeJobLog({
      kind: 'worker_dump',
      attempt,
      timeMs: nowMs - 72_000,
      attributes: {
        [ATTR_DUMP_PATH]: `/tmp/joblens-dumps/joblens-dump-4242-${nowMs}-0.json`,
        [ATTR_DUMP_TRIGGER]: 'SIGUSR2',
        [ATTR_SNAPSHOT_ACTIVE_JOBS]: 1,
        ...SECRET_ATTRIBUTES,
      },
    }),
  );
  return { ...out, attempt, steps: [] };
}

/** `queue_starvation`: 40 jobs ready for 75 s while both workers of the queue idle. */
export function queueStarvationScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const idle = [1, 2].map((n) =>
    makeResource({ service, worker: `${service}-w${n}`, host: `${service}-h${n}` }),
  );
  for (const resource of idle) {
    out.metrics.push(...heartbeats(resource, nowMs - 300_000, nowMs));
    out.spans.push(makeAttemptSpan({ resource, startMs: nowMs - 300_000, durationMs: 500 }));
  }
  out.metrics.push(...backlog(idle[0], nowMs - 3_000, 40, 75));
  return out;
}

/** The stack the watchdog sent in {@link eventLoopBlockedScenario}: a library's parser called from the job. */
export const BLOCKED_STACK = [
  'parse (node_modules/fast-xml/lib/parser.js:88:21)',
  'parseCatalog (src/jobs/parse.js:42:7)',
  '<anonymous> (src/worker.js:12:3)',
  'processTicksAndRejections (node:internal/process/task_queues:95:5)',
];

/**
 * `event_loop_blocked`: a parse job blocks its worker's event loop for 4 s inside step `json`, in a
 * library's parser its `parseCatalog` calls.
 */
export function eventLoopBlockedScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const resource = makeResource({ service, worker: `${service}-w`, host: `${service}-h` });
  const startMs = nowMs - 50_000;
  const attempt = makeAttemptSpan({
    resource,
    jobName: 'parse',
    jobId: 'big',
    startMs,
    durationMs: 6_000,
    attributes: { ...SECRET_ATTRIBUTES },
  });
  out.spans.push(
    attempt,
    makeStepSpan({ parent: attempt, name: 'download', startMs, endMs: startMs + 1_000 }),
    makeStepSpan({ parent: attempt, name: 'json', startMs: startMs + 1_000, endMs: startMs + 5_500 }),
  );
  out.logs.push(
    makeEventLoopBlockedLog({
      resource,
      timeMs: startMs + 5_000,
      blockedSeconds: 4,
      attempt,
      currentStep: 'json',
      stack: BLOCKED_STACK,
    }),
  );
  return { ...out, attempt, steps: ['download', 'json'] };
}

/**
 * `stalled_job`: a CPU-bound report export whose first run, on `-w1`, held its loop past the lock; BullMQ's
 * stalled check on `-w2` handed the job over, and both runs completed, 25 s of them at the same time.
 */
export function doubleRunScenario({ nowMs, service }: ScenarioInit): FindingScenario {
  const out = empty();
  const [first, second] = [1, 2].map((n) =>
    makeResource({ service, worker: `${service}-w${n}`, host: `${service}-h${n}`, pid: 4300 + n }),
  );
  for (const resource of [first, second]) out.metrics.push(...heartbeats(resource, nowMs - 120_000, nowMs));
  const job = { queue: 'reports', jobName: 'export-report', jobId: 'rep-7', maxAttempts: 3 };
  const traceId = makeTraceId();
  const attempt = makeAttemptSpan({
    ...job,
    traceId,
    resource: first,
    outcome: 'completed',
    startMs: nowMs - 60_000,
    durationMs: 50_000,
    attributes: SECRET_ATTRIBUTES,
  });
  const stall = makeAttemptSpan({
    ...job,
    traceId,
    resource: second,
    outcome: 'stalled',
    startMs: nowMs - 41_000,
    durationMs: 0,
  });
  const rerun = makeAttemptSpan({
    ...job,
    traceId,
    resource: second,
    outcome: 'completed',
    startMs: nowMs - 40_000,
    durationMs: 25_000,
  });
  out.spans.push(attempt, stall, rerun);
  // The account lists attempts by start: the second run is the newest.
  return { ...out, attempt: rerun, steps: [] };
}
