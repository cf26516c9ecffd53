import { hostname } from 'node:os';
import {
  ATTR_HOST_NAME,
  ATTR_JOBLENS_SDK_VERSION,
  ATTR_PROCESS_PID,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
} from '@joblens/semconv';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { parseHeaderList, type ResolvedOptions } from '../options.js';
import { SDK_VERSION } from '../version.js';

/**
 * The worker's identity. OTEL_RESOURCE_ATTRIBUTES comes first, options next, and the identity the
 * analyzer relies on (service name, instance id, pid) last, so nothing can blank it.
 */
export function createResource(
  options: ResolvedOptions,
  env: Record<string, string | undefined> = process.env,
): Resource {
  return defaultResource().merge(
    resourceFromAttributes({
      [ATTR_HOST_NAME]: hostname(),
      ...parseHeaderList(env.OTEL_RESOURCE_ATTRIBUTES),
      ...options.resourceAttributes,
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_INSTANCE_ID]: options.serviceInstanceId,
      [ATTR_PROCESS_PID]: process.pid,
      [ATTR_JOBLENS_SDK_VERSION]: SDK_VERSION,
    }),
  );
}
