import type { SpanRecord } from '@joblens/otlp-receiver';
import { ATTR_MESSAGING_SYSTEM } from '@joblens/semconv';
import type { DialectReading } from './dialect-reading.js';
import { isCeleryRunSpan, readCeleryAttempt } from './read-celery-attempt.js';
import { readKafkaAttempt } from './read-kafka-attempt.js';
import { isRabbitmqSpan, readRabbitmqAttempt } from './read-rabbitmq-attempt.js';
import { readSidekiqAttempt } from './read-sidekiq-attempt.js';

/**
 * What the instrumentation that made an attempt span says in its own shape, for the instrumentations
 * joblens knows (amqplib, kafkajs, Celery, Sidekiq); undefined for any other span. Asked only of spans
 * that carry no joblens or BullMQ attempt, so the joblens SDK's spans never pay for it.
 */
export function readDialect(span: SpanRecord): DialectReading | undefined {
  const system = span.attributes[ATTR_MESSAGING_SYSTEM];
  if (system === 'kafka') return readKafkaAttempt(span);
  if (system === 'sidekiq') return readSidekiqAttempt(span);
  // The routing key marks amqplib's spans even where the connection did not name the broker.
  if (system === 'rabbitmq' || isRabbitmqSpan(span)) return readRabbitmqAttempt(span);
  if (isCeleryRunSpan(span)) return readCeleryAttempt(span);
  return undefined;
}
