import {
  ATTR_CHECKPOINT_NAME,
  ATTR_HOST_NAME,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ELAPSED,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_JOB_OUTCOME,
  ATTR_JOB_QUEUE_WAIT,
  ATTR_JOB_SILENCE,
  ATTR_JOBLENS_SDK_VERSION,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_PROCESS_PID,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_STEP_NAME,
  ATTR_WORKER_ID,
  attemptSpanName,
  EVENT_CHECKPOINT,
  EVENT_JOB_FETCHED,
  EVENT_JOB_STARTED,
  INSTRUMENTATION_SCOPE,
  LOG_JOB_STARTED,
  LOG_JOB_STILL_RUNNING,
  MESSAGING_OPERATION_PROCESS,
  MESSAGING_SYSTEM_BULLMQ,
} from '@joblens/semconv';
import { encodeOtlp } from './otlp-protobuf.js';

/**
 * Realistic OTLP payloads for the receiver's and the analyzer's benchmarks, shaped like the joblens
 * SDK's output: per job an attempt span (messaging.* and joblens.* attributes, fetched/started/checkpoint
 * events) and two step child spans; for running jobs, `job started` and `still running` log records.
 */
export const SPANS_PER_BATCH = 512;
const QUEUES = ['invoices', 'emails', 'thumbnails', 'exports'];
const STEPS = ['fetch', 'render', 'upload'];

type Plain = Record<string, unknown>;

function str(key: string, value: string): Plain {
  return { key, value: { string_value: value } };
}
function int(key: string, value: number): Plain {
  return { key, value: { int_value: String(value) } };
}
function dbl(key: string, value: number): Plain {
  return { key, value: { double_value: value } };
}

function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

/** Deterministic ids, unique per (batch, item): never zero, distinct across batches. */
function traceId(batch: number, item: number): Buffer {
  const id = Buffer.alloc(16);
  id.writeUInt32BE(0x4a4c0001, 0);
  id.writeUInt32BE(batch, 4);
  id.writeUInt32BE(item, 8);
  id.writeUInt32BE(0x5eed, 12);
  return id;
}
function spanId(batch: number, item: number): Buffer {
  const id = Buffer.alloc(8);
  id.writeUInt32BE(batch, 0);
  id.writeUInt32BE(item + 1, 4);
  return id;
}

/** Batch number of templates: its bytes and its hex text are replaced by the real batch number. */
const SENTINEL = 0xa5c3e1b7;
const SENTINEL_BYTES = Buffer.from([0xa5, 0xc3, 0xe1, 0xb7]);
const SENTINEL_TEXT = Buffer.from('a5c3e1b7');

function hex8(batch: number): string {
  return batch.toString(16).padStart(8, '0');
}

/**
 * An encoded request built once with the sentinel batch number, turned into distinct requests (new
 * trace ids, span ids and job ids) by rewriting the sentinel, far faster than encoding each anew.
 */
export class BatchTemplate {
  private readonly binaryOffsets: number[] = [];
  private readonly textOffsets: number[] = [];

  constructor(readonly bytes: Buffer) {
    for (let at = bytes.indexOf(SENTINEL_BYTES); at >= 0; at = bytes.indexOf(SENTINEL_BYTES, at + 4)) {
      this.binaryOffsets.push(at);
    }
    for (let at = bytes.indexOf(SENTINEL_TEXT); at >= 0; at = bytes.indexOf(SENTINEL_TEXT, at + 8)) {
      this.textOffsets.push(at);
    }
  }

  /** The request for batch `batch` (below the sentinel). */
  forBatch(batch: number): Buffer {
    const out = Buffer.from(this.bytes);
    for (const at of this.binaryOffsets) out.writeUInt32BE(batch, at);
    const text = hex8(batch);
    for (const at of this.textOffsets) out.write(text, at, 'latin1');
    return out;
  }
}

function resource(worker: number): Plain {
  return {
    attributes: [
      str(ATTR_SERVICE_NAME, 'billing-worker'),
      str(ATTR_SERVICE_VERSION, '2.14.0'),
      str(ATTR_SERVICE_INSTANCE_ID, `billing-worker-${worker}`),
      str(ATTR_HOST_NAME, `ip-10-0-${worker}-17`),
      int(ATTR_PROCESS_PID, 4000 + worker),
      str(ATTR_JOBLENS_SDK_VERSION, '0.1.0'),
    ],
  };
}

function jobAttributes(queue: string, jobId: string, worker: number): Plain[] {
  return [
    str(ATTR_MESSAGING_SYSTEM, MESSAGING_SYSTEM_BULLMQ),
    str(ATTR_MESSAGING_OPERATION_TYPE, MESSAGING_OPERATION_PROCESS),
    str(ATTR_MESSAGING_OPERATION_NAME, MESSAGING_OPERATION_PROCESS),
    str(ATTR_MESSAGING_DESTINATION_NAME, queue),
    str(ATTR_MESSAGING_CONSUMER_GROUP_NAME, 'billing'),
    str(ATTR_MESSAGING_MESSAGE_ID, jobId),
    str(ATTR_JOB_ID, jobId),
    str(ATTR_JOB_NAME, `send-${queue}`),
    int(ATTR_JOB_ATTEMPT, 1),
    int(ATTR_JOB_MAX_ATTEMPTS, 3),
    str(ATTR_WORKER_ID, `billing-worker-${worker}`),
  ];
}

/**
 * An ExportTraceServiceRequest object (protobufjs shape) of 512 spans: finished jobs of one worker,
 * each an attempt span with events and two step children, timed just before `nowMs`.
 */
function traceBatchObject(batch: number, nowMs: number, worker: number): Plain {
  const spans: Plain[] = [];
  for (let job = 0; spans.length < SPANS_PER_BATCH; job++) {
    const queue = QUEUES[job % QUEUES.length];
    const jobId = `${hex8(batch)}-${job}`;
    const start = nowMs - 5000 + job;
    const trace = traceId(batch, job);
    const attempt = spanId(batch, job * 4);
    spans.push({
      trace_id: trace,
      span_id: attempt,
      name: attemptSpanName(queue),
      kind: 5,
      start_time_unix_nano: nanos(start),
      end_time_unix_nano: nanos(start + 1200),
      attributes: [
        ...jobAttributes(queue, jobId, worker),
        dbl(ATTR_JOB_QUEUE_WAIT, 0.35),
        str(ATTR_JOB_OUTCOME, 'completed'),
      ],
      events: [
        { name: EVENT_JOB_FETCHED, time_unix_nano: nanos(start) },
        { name: EVENT_JOB_STARTED, time_unix_nano: nanos(start + 1) },
        {
          name: EVENT_CHECKPOINT,
          time_unix_nano: nanos(start + 600),
          attributes: [str(ATTR_CHECKPOINT_NAME, 'rendered'), int('joblens.checkpoint.pages', 12)],
        },
      ],
      status: { code: 1 },
    });
    for (let step = 0; step < 2 && spans.length < SPANS_PER_BATCH; step++) {
      spans.push({
        trace_id: trace,
        span_id: spanId(batch, job * 4 + step + 1),
        parent_span_id: attempt,
        name: STEPS[step],
        kind: 1,
        start_time_unix_nano: nanos(start + 10 + step * 500),
        end_time_unix_nano: nanos(start + 480 + step * 500),
        attributes: [str(ATTR_STEP_NAME, STEPS[step]), str(ATTR_JOB_ID, jobId)],
      });
    }
  }
  return {
    resource_spans: [
      {
        resource: resource(worker),
        scope_spans: [{ scope: { name: INSTRUMENTATION_SCOPE, version: '0.1.0' }, spans }],
      },
    ],
  };
}

/** A template of 512 spans of one worker's finished jobs. */
export function traceTemplate(nowMs: number, worker: number): BatchTemplate {
  return new BatchTemplate(
    encodeOtlp('ExportTraceServiceRequest', traceBatchObject(SENTINEL, nowMs, worker)),
  );
}

/**
 * A template of an ExportLogsServiceRequest of `count` records about running jobs of 16 workers: `job
 * started` records, or `still running` records when `stillRunning` is set. Batch n of both kinds
 * talks about the same jobs.
 */
export function runningJobsTemplate(nowMs: number, stillRunning: boolean, count: number): BatchTemplate {
  const byWorker = new Map<number, Plain[]>();
  for (let job = 0; job < count; job++) {
    const worker = job % 16;
    const queue = QUEUES[job % QUEUES.length];
    const jobId = `running-${hex8(SENTINEL)}-${job}`;
    const attributes = jobAttributes(queue, jobId, worker);
    if (stillRunning) {
      attributes.push(
        dbl(ATTR_JOB_SILENCE, 30),
        dbl(ATTR_JOB_ELAPSED, 60),
        str(ATTR_JOB_CURRENT_STEP, 'render'),
      );
    }
    const records = byWorker.get(worker) ?? [];
    byWorker.set(worker, records);
    records.push({
      time_unix_nano: nanos(nowMs - (stillRunning ? 0 : 60_000)),
      observed_time_unix_nano: nanos(nowMs),
      severity_number: 9,
      severity_text: 'INFO',
      event_name: stillRunning ? LOG_JOB_STILL_RUNNING : LOG_JOB_STARTED,
      body: { string_value: stillRunning ? `job ${jobId} still running` : `job ${jobId} started` },
      attributes,
      trace_id: traceId(SENTINEL, job),
      span_id: spanId(SENTINEL, job),
    });
  }
  const bytes = encodeOtlp('ExportLogsServiceRequest', {
    resource_logs: [...byWorker].map(([worker, log_records]) => ({
      resource: resource(worker),
      scope_logs: [{ scope: { name: INSTRUMENTATION_SCOPE }, log_records }],
    })),
  });
  return new BatchTemplate(bytes);
}

/**
 * A template of an ExportTraceServiceRequest of `count` attempt spans of one worker, each with a job
 * name of its own (`report-<batch>-<n>`): every batch names `count` jobs never seen before.
 */
export function distinctJobNamesTemplate(nowMs: number, count: number): BatchTemplate {
  const spans: Plain[] = [];
  for (let job = 0; job < count; job++) {
    const start = nowMs - 2000 + (job % 1000);
    spans.push({
      trace_id: traceId(SENTINEL, job),
      span_id: spanId(SENTINEL, job),
      name: attemptSpanName('reports'),
      kind: 5,
      start_time_unix_nano: nanos(start),
      end_time_unix_nano: nanos(start + 300),
      attributes: [
        str(ATTR_MESSAGING_OPERATION_TYPE, MESSAGING_OPERATION_PROCESS),
        str(ATTR_MESSAGING_DESTINATION_NAME, 'reports'),
        str(ATTR_JOB_ID, `${hex8(SENTINEL)}-${job}`),
        str(ATTR_JOB_NAME, `report-${hex8(SENTINEL)}-${job}`),
        str(ATTR_JOB_OUTCOME, 'completed'),
      ],
    });
  }
  return new BatchTemplate(
    encodeOtlp('ExportTraceServiceRequest', {
      resource_spans: [
        { resource: resource(0), scope_spans: [{ scope: { name: INSTRUMENTATION_SCOPE }, spans }] },
      ],
    }),
  );
}

/**
 * An ExportTraceServiceRequest of one span carrying `attributes` short attributes: what a careless
 * sender that puts a whole record into attributes writes, and what every request of a flood carries.
 */
export function manyAttributesRequest(nowMs: number, attributes: number): Buffer {
  return encodeOtlp('ExportTraceServiceRequest', {
    resource_spans: [
      {
        resource: resource(1),
        scope_spans: [
          {
            scope: { name: INSTRUMENTATION_SCOPE },
            spans: [
              {
                trace_id: traceId(1, 1),
                span_id: spanId(1, 1),
                name: 'flood',
                kind: 1,
                start_time_unix_nano: nanos(nowMs - 100),
                end_time_unix_nano: nanos(nowMs - 50),
                attributes: Array.from({ length: attributes }, (_, i) => str(`field.${i}`, `value-${i}`)),
              },
            ],
          },
        ],
      },
    ],
  });
}
