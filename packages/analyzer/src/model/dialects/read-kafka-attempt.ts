import type { SpanRecord } from '@joblens/otlp-receiver';
import { readFirstString } from '../attribute-readers.js';
import type { DialectReading } from './dialect-reading.js';

const PARTITION_KEYS = [
  'messaging.destination.partition.id',
  'messaging.kafka.destination.partition',
  'messaging.kafka.partition',
];
const OFFSET_KEYS = ['messaging.kafka.offset', 'messaging.kafka.message.offset'];

/**
 * Reads a Kafka consumer span (`@opentelemetry/instrumentation-kafkajs`: `process <topic>`, the topic in
 * `messaging.destination.name`, which the generic reading takes). A Kafka message has no id, but its
 * partition and offset name it: kafkajs runs a message again from the same offset after its handler
 * threw, so the model counts those runs as attempts of one job.
 */
export function readKafkaAttempt(span: SpanRecord): DialectReading {
  const offset = readFirstString(span.attributes, OFFSET_KEYS);
  if (offset === undefined) return {};
  const partition = readFirstString(span.attributes, PARTITION_KEYS) ?? '?';
  return { jobId: `${partition}:${offset}` };
}
