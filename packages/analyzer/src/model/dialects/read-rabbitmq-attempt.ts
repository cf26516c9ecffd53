import { type SpanRecord, STATUS_CODE } from '@joblens/otlp-receiver';
import { readFirstString } from '../attribute-readers.js';
import type { DialectReading } from './dialect-reading.js';

/** The routing key under its current name, then under the one `@opentelemetry/instrumentation-amqplib` sets. */
const ROUTING_KEY_KEYS = ['messaging.rabbitmq.destination.routing_key', 'messaging.rabbitmq.routing_key'];
const PROCESS_SUFFIX = ' process';
/** amqplib's instrumentation names the default exchange so in its spans. */
const DEFAULT_EXCHANGE = '<default>';

/** A consumer span of a RabbitMQ client instrumentation: it carries the message's routing key. */
export function isRabbitmqSpan(span: SpanRecord): boolean {
  const attributes = span.attributes;
  return attributes[ROUTING_KEY_KEYS[0]] !== undefined || attributes[ROUTING_KEY_KEYS[1]] !== undefined;
}

/**
 * The queue a consumer span is about. amqplib's instrumentation names the span `<queue> process` after the
 * queue `consume` was called with, and puts the exchange (usually empty) in `messaging.destination`, so
 * that attribute is never the queue. The name comes first, before the routing key: behind a topic or
 * fanout exchange the routing key is the message's (`order.created.eu`), not the queue's, and reading it
 * would split one queue into as many as there are keys. The routing key is the answer only when the name
 * says nothing (a server-named queue, another instrumentation's name).
 */
function queueOf(span: SpanRecord): string | undefined {
  const name = span.name;
  if (name.endsWith(PROCESS_SUFFIX)) {
    const queue = name.slice(0, -PROCESS_SUFFIX.length);
    if (queue !== '' && queue !== DEFAULT_EXCHANGE) return queue;
  }
  return readFirstString(span.attributes, ROUTING_KEY_KEYS);
}

/**
 * How the message left the consumer, from the status amqplib's instrumentation sets when it ends the
 * span: `nack called on message with requeue` (back in the queue: a retry), `... without requeue`
 * (dropped, or dead-lettered if the queue has a dead-letter exchange, which the span does not say), no
 * suffix (amqplib's `nack` and `reject` requeue unless told not to). `instrumentation timeout ...`,
 * `channel closed` and `channel error` are the instrumentation ending a span it gave up on: the job may
 * still be running, or the broker hands the message out again; neither is the job failing.
 */
function outcomeOf(span: SpanRecord): Pick<DialectReading, 'outcome' | 'notAnAttempt'> {
  if (span.statusCode !== STATUS_CODE.ERROR) return {};
  const message = span.statusMessage;
  if (
    message.startsWith('instrumentation timeout') ||
    message === 'channel closed' ||
    message === 'channel error'
  )
    return { notAnAttempt: true };
  if (message.endsWith(' without requeue')) return { outcome: 'failed' };
  if (message.endsWith(' with requeue') || message.endsWith(' called on message'))
    return { outcome: 'retry_scheduled' };
  // A status the app set itself: the generic reading makes it a failure.
  return {};
}

/** Reads a RabbitMQ consumer span (`@opentelemetry/instrumentation-amqplib` and alike). */
export function readRabbitmqAttempt(span: SpanRecord): DialectReading {
  return { system: 'rabbitmq', queue: queueOf(span), ...outcomeOf(span) };
}
