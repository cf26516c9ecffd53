import type { ResourceRecord } from '@joblens/otlp-receiver';
import { ATTR_PROCESS_PID } from '@joblens/semconv';
import { readNumber, readString } from './attribute-readers.js';

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

// One entry is enough: the records of a request share one resource object, and they arrive together.
let lastResource: ResourceRecord | undefined;
let lastPid: number | undefined;

/** `process.pid` of the resource, for `joblens dump <pid>`; undefined when the sender did not say. */
export function processPid(resource: ResourceRecord): number | undefined {
  if (resource !== lastResource) {
    const pid = readNumber(resource.attributes, ATTR_PROCESS_PID);
    lastPid = pid !== undefined && Number.isInteger(pid) && pid > 0 ? pid : undefined;
    lastResource = resource;
  }
  return lastPid;
}
