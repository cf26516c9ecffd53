// The event-loop watchdog's thread. Plain JavaScript on purpose: worker threads do not reliably
// inherit the TypeScript loader, and this file must run wherever the SDK runs. Every telemetry
// name arrives in workerData from @joblens/semconv, so none is spelled here.
import { parentPort, workerData } from 'node:worker_threads';
import { judgeStall, openMainThreadCpu } from './main-thread-cpu.mjs';
import { captureMainThreadStack, formatStackFrames } from './main-thread-stack.mjs';

const {
  buffer,
  layout,
  baseMs,
  thresholdMillis,
  beatIntervalMillis,
  closeCheckMillis,
  logs,
  names,
  resource,
  stack,
} = workerData;
const cells = new Int32Array(buffer, 0, layout.textOffset / 4);
const text = new Uint8Array(buffer, layout.textOffset, layout.textCapacity);
const decoder = new TextDecoder();

/** Heartbeat value of the block already reported: one report per block, not per check. */
let reportedBeat = -1;

function readAttempt() {
  for (let tries = 0; tries < 5; tries++) {
    const before = Atomics.load(cells, layout.sequence);
    if (before % 2 === 1) continue;
    if (cells[layout.hasAttempt] !== 1) return undefined;
    const length = Math.min(cells[layout.textLength], layout.textCapacity);
    const [jobName, queue, system, jobId, traceId, spanId, step] = decoder
      .decode(text.slice(0, length))
      .split('\0');
    const attempt = {
      jobId,
      jobName,
      queue,
      system,
      step,
      traceId,
      spanId,
      attempt: cells[layout.attempt],
      maxAttempts: cells[layout.maxAttempts],
      startedAtMs: baseMs + cells[layout.startedAt],
      lastActivityMs: baseMs + cells[layout.lastActivity],
    };
    if (Atomics.load(cells, layout.sequence) === before) return attempt;
  }
  return undefined;
}

function stringAttr(key, value) {
  return { key, value: { stringValue: String(value) } };
}
function intAttr(key, value) {
  return { key, value: { intValue: String(Math.trunc(value)) } };
}
function doubleAttr(key, value) {
  return { key, value: { doubleValue: value } };
}

function logRecord(nowMs, blockedMillis, stall, attempt, frames) {
  const attributes = [
    stringAttr(names.attrEventName, names.event),
    doubleAttr(names.attrBlockedDuration, blockedMillis / 1000),
  ];
  if (stall.cpuMillis !== undefined) {
    attributes.push(
      doubleAttr(names.attrBlockedCpuTime, stall.cpuMillis / 1000),
      doubleAttr(names.attrBlockedCpuWait, stall.cpuWaitMillis / 1000),
    );
  }
  if (frames !== undefined && frames.length > 0) {
    attributes.push({
      key: names.attrBlockedStack,
      value: { arrayValue: { values: frames.map((frame) => ({ stringValue: frame })) } },
    });
  }
  const record = {
    timeUnixNano: `${nowMs}000000`,
    observedTimeUnixNano: `${nowMs}000000`,
    severityNumber: 13,
    severityText: 'WARN',
    eventName: names.event,
    body: { stringValue: names.body },
    attributes,
  };
  if (attempt) {
    attributes.push(
      stringAttr(names.attrJobId, attempt.jobId),
      stringAttr(names.attrJobName, attempt.jobName),
      stringAttr(names.attrQueue, attempt.queue),
      intAttr(names.attrAttempt, attempt.attempt),
      doubleAttr(names.attrElapsed, Math.max(0, nowMs - attempt.startedAtMs) / 1000),
      doubleAttr(names.attrSilence, Math.max(0, nowMs - attempt.lastActivityMs) / 1000),
    );
    if (attempt.system) attributes.push(stringAttr(names.attrSystem, attempt.system));
    if (attempt.maxAttempts > 0) attributes.push(intAttr(names.attrMaxAttempts, attempt.maxAttempts));
    if (attempt.step) attributes.push(stringAttr(names.attrCurrentStep, attempt.step));
    if (attempt.traceId) record.traceId = attempt.traceId;
    if (attempt.spanId) record.spanId = attempt.spanId;
  }
  return {
    resourceLogs: [
      {
        resource: { attributes: resource },
        scopeLogs: [{ scope: { name: names.scope }, logRecords: [record] }],
      },
    ],
  };
}

/**
 * POSTs with node:http rather than fetch: fetch loads undici on first use, which on a busy host can
 * take longer than the block being reported. node:http(s) is built in and loads in a few ms, so it is
 * imported at the first report rather than at start: most threads never report, and https brings tls.
 */
async function post(url, headers, body, timeoutMillis) {
  let send;
  try {
    send = (url.startsWith('https:') ? await import('node:https') : await import('node:http')).request;
  } catch (cause) {
    return { ok: false, error: `loading node:http: ${cause instanceof Error ? cause.message : cause}` };
  }
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch (cause) {
      resolve({
        ok: false,
        error: `bad logs endpoint ${url}: ${cause instanceof Error ? cause.message : cause}`,
      });
      return;
    }
    const request = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        timeout: timeoutMillis,
      },
      (response) => {
        // Drained so the socket is released; what the body says does not matter.
        response.resume();
        const ok = response.statusCode >= 200 && response.statusCode < 300;
        resolve(ok ? { ok } : { ok, error: `the logs endpoint answered ${response.statusCode}` });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMillis} ms`)));
    request.on('error', (error) => resolve({ ok: false, error: error.message }));
    request.end(body);
  });
}

/**
 * The main thread's stack, once per block (the caller's `reportedBeat` guard), and only now that the
 * block passed the threshold: no inspector session is open before. Undefined when it could not be taken.
 */
async function takeStack(beat) {
  if (!stack.enabled) return undefined;
  const result = await captureMainThreadStack({
    timeoutMillis: stack.timeoutMillis,
    loopTurned: () => Atomics.load(cells, layout.heartbeat) !== beat,
  });
  parentPort.postMessage({ type: 'stack-capture', frames: result.frames?.length ?? 0, error: result.error });
  return result.frames && formatStackFrames(result.frames, stack.root, stack.maxFrames);
}

async function report(beat, nowMs, blockedMillis, stall) {
  // Read before the stack is taken: the attempt that ran when the block passed the threshold.
  const attempt = readAttempt();
  const frames = await takeStack(beat);
  let delivered = false;
  let error;
  if (logs) {
    const result = await post(
      logs.url,
      logs.headers,
      JSON.stringify(logRecord(nowMs, blockedMillis, stall, attempt, frames)),
      logs.timeoutMillis,
    );
    delivered = result.ok;
    error = result.error;
  }
  parentPort.postMessage({
    type: 'blocked',
    beat,
    blockedMillis,
    delivered,
    error,
    jobId: attempt?.jobId,
    stack: frames,
  });
}

/**
 * How this thread watches, cheaply while the loop turns: the main thread stamps the heartbeat every
 * `beatIntervalMillis`, so a loop held since the last beat has been held at least since that beat's
 * successor was due (`lateMillis`). While the heartbeat moves the thread sleeps until the loop would be
 * late by `SUSPECT_MILLIS`: about one wake-up per threshold instead of a check every tenth of it (a wake-up
 * of a sleeping thread is what costs, far more than the check). Once the loop is that late the thread
 * watches closely, every `closeCheckMillis`, sampling whether the main thread is runnable (three samples
 * at least, half the threshold at most), until the lateness passes the threshold (a block) or the
 * heartbeat moves (no block).
 */
const SUSPECT_MILLIS = Math.floor(Math.max(thresholdMillis / 2, thresholdMillis - 3 * closeCheckMillis));
/**
 * A check this much later than planned means this thread did not run either: the whole process was
 * starved of CPU (a loaded host, a throttled container), which no code of the worker caused.
 */
const STARVED_SLACK_MILLIS = Math.max(250, thresholdMillis / 2);
let plannedAtMs = Date.now();
let lastCheckMs = plannedAtMs;
let watchedBeat = -1;
/** Since when this thread, running on time, has seen the current heartbeat unchanged. */
let watchedSinceMs = 0;
/** Whether the previous check was a close one, so the time since it was watched. */
let watchingClosely = false;
/** Reports still taking the stack or posting: the thread's own event loop must turn for them. */
let reportsInFlight = 0;
/** The main thread's CPU figures (Linux only), what they were at `watchedSinceMs`, and since then how
 * long it was seen runnable (running or queued for a CPU). */
const mainThreadCpu = openMainThreadCpu(process.pid);
let cpuSince;
let runnableMillis = 0;

/** Runs one check and sets `plannedAtMs`, when the next one is due. */
function check() {
  const beat = Atomics.load(cells, layout.heartbeat);
  const nowMs = Date.now();
  const sinceLastCheck = nowMs - lastCheckMs;
  const starved = nowMs - plannedAtMs > STARVED_SLACK_MILLIS;
  const closely = watchingClosely;
  lastCheckMs = nowMs;
  watchingClosely = false;
  /** When the beat after `beat` was due: the loop has not turned since then, at least. */
  const nextBeatDueMs = baseMs + beat + beatIntervalMillis;
  if (beat !== watchedBeat) {
    watchedBeat = beat;
    watchedSinceMs = baseMs + beat;
    cpuSince = mainThreadCpu?.sample();
    runnableMillis = 0;
    plannedAtMs = nextBeatDueMs + SUSPECT_MILLIS;
    return;
  }
  if (beat === reportedBeat) {
    // Reported already: only the end of the block is of interest now, and there is no hurry to see it.
    plannedAtMs = nowMs + thresholdMillis;
    return;
  }
  // Staleness counts only while this thread could watch it: a block is the main thread busy (or
  // waiting in a synchronous call) while its neighbour runs, not both frozen by the scheduler.
  watchingClosely = true;
  plannedAtMs = nowMs + closeCheckMillis;
  if (starved) {
    watchedSinceMs = nowMs;
    cpuSince = mainThreadCpu?.sample();
    runnableMillis = 0;
    return;
  }
  if (closely && mainThreadCpu?.runnable()) runnableMillis += sinceLastCheck;
  const lateMillis = nowMs - Math.max(watchedSinceMs, nextBeatDueMs);
  if (lateMillis < thresholdMillis) {
    plannedAtMs = nowMs + Math.min(closeCheckMillis, thresholdMillis - lateMillis);
    return;
  }
  // Nor does the time the main thread queued for a CPU count: on a loaded host this thread may run
  // on time while the main thread waits for a core, which no code of the worker caused.
  const stall = judgeStall(lateMillis, cpuSince, cpuSince && mainThreadCpu?.sample(), runnableMillis);
  if (stall.attributableMillis < thresholdMillis) return;
  reportedBeat = beat;
  plannedAtMs = nowMs + thresholdMillis;
  reportsInFlight++;
  // The duration sent is the time since the last beat (the most the loop can have been held), as the
  // main thread's record after the block gives it; the CPU figures cover no longer than that.
  void report(beat, nowMs, nowMs - watchedSinceMs, stall).finally(() => {
    reportsInFlight--;
  });
}

/**
 * The thread sleeps in `Atomics.wait` between checks rather than on a timer: a worker whose event loop
 * wakes also runs V8's housekeeping tasks there (memory reducer, GC steps), which cost more than the
 * check itself, and a wait wakes nothing but this loop. While a report is in flight the loop yields to
 * a timer instead, so the report's inspector session and POST can run.
 */
function watch() {
  for (;;) {
    const waitMillis = plannedAtMs - Date.now();
    if (reportsInFlight > 0) {
      setTimeout(watchOnce, Math.max(0, waitMillis));
      return;
    }
    if (waitMillis > 0) Atomics.wait(cells, layout.idle, 0, waitMillis);
    check();
  }
}

function watchOnce() {
  check();
  watch();
}

parentPort.postMessage({ type: 'ready' });
watch();
