import { ATTR_EVENT_NAME } from '@joblens/semconv';
import type { Attributes } from '../records/records.js';

/** LogRecord.event_name, else the `event.name` attribute (older SDKs and bridges), else ''. */
export function logEventName(eventName: string, attributes: Attributes): string {
  if (eventName !== '') return eventName;
  const fromAttribute = attributes[ATTR_EVENT_NAME];
  return typeof fromAttribute === 'string' ? fromAttribute : '';
}
