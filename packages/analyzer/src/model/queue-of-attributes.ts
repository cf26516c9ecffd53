import type { Attributes } from '@joblens/otlp-receiver';
import {
  ATTR_BULLMQ_QUEUE_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  LEGACY_MESSAGING_ALIASES,
} from '@joblens/semconv';
import { readFirstString } from './attribute-readers.js';

const QUEUE_KEYS = [
  ATTR_MESSAGING_DESTINATION_NAME,
  ...Object.keys(LEGACY_MESSAGING_ALIASES).filter(
    (key) => LEGACY_MESSAGING_ALIASES[key] === ATTR_MESSAGING_DESTINATION_NAME,
  ),
  ATTR_BULLMQ_QUEUE_NAME,
];

/** The queue a metric point or log record is about, under any of the names senders use. */
export function queueOfAttributes(attributes: Attributes): string | undefined {
  return readFirstString(attributes, QUEUE_KEYS);
}
