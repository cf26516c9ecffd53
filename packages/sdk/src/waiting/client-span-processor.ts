import { type Context, SpanKind } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type OpenCall, openCall, runningAttempt } from './outbound-call-channels.js';

type Attributes = ReadableSpan['attributes'];

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `SELECT`, `BLPOP`: the statement's verb only, never its arguments, which may hold data or secrets. */
function verbOf(value: string | undefined): string | undefined {
  const match = value ? /^\s*([A-Za-z][A-Za-z_.]{0,31})/.exec(value) : null;
  return match ? match[1].toUpperCase() : undefined;
}

/**
 * `BLPOP redis://10.0.0.7:6379`, `SELECT postgresql://10.0.0.5:5432/orders`: what an instrumented client
 * call is, from the database semantic conventions, old and new names alike. HTTP client spans are left
 * out: the diagnostics channels already follow those calls, with their paths.
 */
export function describeClientSpan(name: string, attributes: Attributes): string | undefined {
  if (attributes['http.request.method'] !== undefined || attributes['http.method'] !== undefined)
    return undefined;
  const system =
    text(attributes['db.system.name']) ??
    text(attributes['db.system']) ??
    text(attributes['messaging.system']);
  const host = text(attributes['server.address']) ?? text(attributes['net.peer.name']);
  if (!system || !host) return undefined;
  const port = attributes['server.port'] ?? attributes['net.peer.port'];
  const namespace = text(attributes['db.namespace']) ?? text(attributes['db.name']);
  const operation =
    verbOf(text(attributes['db.operation.name']) ?? text(attributes['db.operation'])) ??
    verbOf(text(attributes['db.query.text']) ?? text(attributes['db.statement'])) ??
    // pg names its spans `pg.query:SELECT orders` when the statement is not yet an attribute.
    verbOf(name.slice(name.indexOf(':') + 1)) ??
    'CALL';
  const address = port === undefined ? host : `${host}:${String(port)}`;
  return `${operation} ${system.toLowerCase()}://${address}${namespace ? `/${namespace}` : ''}`;
}

/**
 * Database and messaging calls have no diagnostics channel that every client publishes on; their
 * OpenTelemetry instrumentations (ioredis, redis, pg, mysql2, amqplib, ...) do report them, as client
 * spans. Added to the application's own tracer provider, this processor keeps each client span started
 * inside a running attempt on that attempt until it ends, so a silent job's `still running` record
 * names the query or command it waits on, next to its HTTP calls. It exports nothing.
 */
export class WaitingSpanProcessor implements SpanProcessor {
  readonly #open = new WeakMap<object, OpenCall>();

  onStart(span: Span, _parentContext: Context): void {
    try {
      if (span.kind !== SpanKind.CLIENT && span.kind !== SpanKind.PRODUCER) return;
      const job = runningAttempt();
      if (!job) return;
      const description = describeClientSpan(span.name, span.attributes);
      const opened = description ? openCall(job, description) : undefined;
      if (opened) this.#open.set(span, opened);
    } catch {
      // A processor's exception would reach the instrumented call, in the job.
    }
  }

  onEnd(span: ReadableSpan): void {
    const entry = this.#open.get(span);
    if (!entry) return;
    this.#open.delete(span);
    entry.calls.close(entry.call);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
