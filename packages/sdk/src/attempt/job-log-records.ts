import {
  ATTR_EVENT_NAME,
  ATTR_JOB_ATTEMPT,
  ATTR_JOB_ID,
  ATTR_JOB_MAX_ATTEMPTS,
  ATTR_JOB_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_MONITOR_SLUG,
  ATTR_WORKER_ID,
} from '@joblens/semconv';
import { type Attributes, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { type Logger, SeverityNumber } from '@opentelemetry/api-logs';
import type { NormalizedDescriptor } from './normalize-descriptor.js';

/** The `joblens.job.*` facts every job log record carries. */
export function jobLogAttributes(descriptor: NormalizedDescriptor, workerId: string): Attributes {
  const attributes: Attributes = {
    [ATTR_JOB_ID]: descriptor.jobId,
    [ATTR_JOB_NAME]: descriptor.jobName,
    [ATTR_JOB_ATTEMPT]: descriptor.attempt,
    [ATTR_MESSAGING_DESTINATION_NAME]: descriptor.queue,
    [ATTR_MESSAGING_SYSTEM]: descriptor.system,
    [ATTR_WORKER_ID]: workerId,
  };
  if (descriptor.maxAttempts !== undefined) attributes[ATTR_JOB_MAX_ATTEMPTS] = descriptor.maxAttempts;
  if (descriptor.monitorSlug) attributes[ATTR_MONITOR_SLUG] = descriptor.monitorSlug;
  return attributes;
}

const SEVERITY_TEXT: Partial<Record<SeverityNumber, string>> = {
  [SeverityNumber.INFO]: 'INFO',
  [SeverityNumber.WARN]: 'WARN',
  [SeverityNumber.ERROR]: 'ERROR',
};

/**
 * Emits a record in the span's context, so it carries the attempt's trace and span ids even while
 * the span is still open (which is the point for hung jobs). The kind goes in `eventName` and, for
 * pipelines older than OTLP's event_name field, in an `event.name` attribute too. `timestampMs`
 * (Unix ms) dates a record written after the fact, such as a delayed `job started`.
 */
export function emitSpanLog(
  logger: Logger,
  span: Span | undefined,
  eventName: string,
  body: string,
  attributes: Attributes,
  severityNumber: SeverityNumber = SeverityNumber.INFO,
  timestampMs?: number,
): void {
  logger.emit({
    eventName,
    body,
    attributes: { ...attributes, [ATTR_EVENT_NAME]: eventName },
    severityNumber,
    severityText: SEVERITY_TEXT[severityNumber],
    context: span ? trace.setSpan(ROOT_CONTEXT, span) : ROOT_CONTEXT,
    ...(timestampMs === undefined ? {} : { timestamp: timestampMs }),
  });
}
