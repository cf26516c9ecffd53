import { ATTR_PROCESS_PID } from '@joblens/semconv';
import type { ResourceRecord } from '../telemetry/records.js';
import { readString } from './attribute-readers.js';

// Resources are shared by reference among the records of one request, so this is computed once per request.
const cache = new WeakMap<ResourceRecord, string>();

/** `service.instance.id`, else `host.name:process.pid`, else the service name. */
export function workerIdentity(resource: ResourceRecord): string {
  if (resource.serviceInstanceId !== '') return resource.serviceInstanceId;
  const cached = cache.get(resource);
  if (cached !== undefined) return cached;
  const pid = readString(resource.attributes, ATTR_PROCESS_PID);
  const identity =
    resource.hostName !== '' && pid !== undefined ? `${resource.hostName}:${pid}` : resource.serviceName;
  cache.set(resource, identity);
  return identity;
}
