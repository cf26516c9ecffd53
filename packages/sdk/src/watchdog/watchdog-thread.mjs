// The event-loop watchdog's thread. Plain JavaScript on purpose: worker threads do not reliably
// inherit the TypeScript loader, and this file must run wherever the SDK runs. Every telemetry
// name arrives in workerData from @joblens/semconv, so none is spelled here.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import { judgeStall, openMainThreadCpu } from './main-thread-cpu.mjs';
import { captureMainThreadStack, formatStackFrames } from './main-thread-stack.mjs';

const { buffer, layout, baseMs, thresholdMillis, checkIntervalMillis, logs, names, resource, stack } =
  workerData;
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
    const [jobId, jobName, queue, system, step, traceId, spanId] = decoder
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
 * take longer than the block being reported.
 */
function post(url, headers, body, timeoutMillis) {
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
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
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
 * A check this much later than its interval means this thread did not run either: the whole process
 * was starved of CPU (a loaded host, a throttled container), which no code of the worker caused.
 */
const STARVED_SLACK_MILLIS = Math.max(250, thresholdMillis / 2);
let lastCheckMs = Date.now();
let watchedBeat = -1;
/** Since when this thread, running on time, has seen the current heartbeat unchanged. */
let watchedSinceMs = 0;
/** The main thread's CPU figures (Linux only), what they were at `watchedSinceMs`, and since then how
 * long it was seen runnable (running or queued for a CPU). */
const mainThreadCpu = openMainThreadCpu(process.pid);
let cpuSince;
let runnableMillis = 0;

function check() {
  const beat = Atomics.load(cells, layout.heartbeat);
  const nowMs = Date.now();
  const sinceLastCheck = nowMs - lastCheckMs;
  const starved = sinceLastCheck > checkIntervalMillis + STARVED_SLACK_MILLIS;
  lastCheckMs = nowMs;
  if (beat !== watchedBeat) {
    watchedBeat = beat;
    watchedSinceMs = baseMs + beat;
    cpuSince = mainThreadCpu?.sample();
    runnableMillis = 0;
    return;
  }
  // Staleness counts only while this thread could watch it: a block is the main thread busy (or
  // waiting in a synchronous call) while its neighbour runs, not both frozen by the scheduler.
  if (starved) {
    watchedSinceMs = nowMs;
    cpuSince = mainThreadCpu?.sample();
    runnableMillis = 0;
    return;
  }
  if (mainThreadCpu?.runnable()) runnableMillis += sinceLastCheck;
  const staleMillis = nowMs - watchedSinceMs;
  if (staleMillis < thresholdMillis || beat === reportedBeat) return;
  // Nor does the time the main thread queued for a CPU count: on a loaded host this thread may run
  // on time while the main thread waits for a core, which no code of the worker caused.
  const stall = judgeStall(staleMillis, cpuSince, cpuSince && mainThreadCpu?.sample(), runnableMillis);
  if (stall.attributableMillis < thresholdMillis) return;
  reportedBeat = beat;
  void report(beat, nowMs, nowMs - (baseMs + beat), stall);
}

setInterval(check, checkIntervalMillis);
parentPort.postMessage({ type: 'ready' });
