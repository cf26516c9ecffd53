import { SPAN_KIND, type SpanEventRecord, type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import { makeResource, makeSpanId, makeTraceId } from '@joblens/test-utils';
import { TelemetryModel } from '../../src/model/telemetry-model.js';

export const T0 = 1_700_000_000_000;

/**
 * A span as another instrumentation sends it (no joblens attribute): a consumer span of one second from
 * `startMs`, unless `overrides` say otherwise.
 */
export function makeForeignSpan(overrides: Partial<SpanRecord> & { startMs?: number }): SpanRecord {
  const startMs = overrides.startMs ?? T0;
  return {
    resource: makeResource({ service: 'orders-worker', worker: 'w-1', host: 'h-1' }),
    scopeName: 'other-instrumentation',
    traceId: makeTraceId(),
    spanId: makeSpanId(),
    parentSpanId: '',
    name: 'span',
    kind: SPAN_KIND.CONSUMER,
    endMs: startMs + 1_000,
    statusCode: STATUS_CODE.UNSET,
    statusMessage: '',
    attributes: {},
    events: [],
    links: [],
    ...overrides,
    startMs,
  };
}

/** A child span of `parent`, from `startMs` to `endMs`. */
export function makeForeignChild(
  parent: SpanRecord,
  name: string,
  startMs: number,
  endMs: number,
  events: SpanEventRecord[] = [],
): SpanRecord {
  return makeForeignSpan({
    traceId: parent.traceId,
    parentSpanId: parent.spanId,
    resource: parent.resource,
    name,
    kind: SPAN_KIND.INTERNAL,
    startMs,
    endMs,
    events,
    statusCode: events.length > 0 ? STATUS_CODE.ERROR : STATUS_CODE.UNSET,
  });
}

/** The `exception` event OpenTelemetry's `recordException` adds. */
export function exceptionEvent(type: string, message: string, timeMs: number): SpanEventRecord {
  return { name: 'exception', timeMs, attributes: { 'exception.type': type, 'exception.message': message } };
}

/** A model whose clock reads `nowMs`. */
export function modelAt(nowMs: number): TelemetryModel {
  return new TelemetryModel({ clock: () => nowMs });
}
