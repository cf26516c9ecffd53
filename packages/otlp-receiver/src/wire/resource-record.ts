import { ATTR_HOST_NAME, ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from '@joblens/semconv';
import type { Attributes, ResourceRecord } from '../records/records.js';

const UNKNOWN_SERVICE = 'unknown_service';

/** A resource with no attributes; decoders create one per Resource* message and fill it in place. */
export function emptyResource(): ResourceRecord {
  return { serviceName: UNKNOWN_SERVICE, serviceInstanceId: '', hostName: '', attributes: {} };
}

/**
 * Sets the resource's convenience fields from its attributes. Done in place so that records decoded
 * before the resource field (protobuf allows any field order) share the finished object.
 */
export function completeResource(resource: ResourceRecord, attributes: Attributes): void {
  resource.attributes = attributes;
  resource.serviceName = textOr(attributes[ATTR_SERVICE_NAME], UNKNOWN_SERVICE);
  resource.serviceInstanceId = textOr(attributes[ATTR_SERVICE_INSTANCE_ID], '');
  resource.hostName = textOr(attributes[ATTR_HOST_NAME], '');
}

function textOr(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value === '' ? fallback : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}
