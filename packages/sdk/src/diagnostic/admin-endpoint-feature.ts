import type { SdkFeature } from '../sdk-feature.js';
import { type AdminServer, startAdminServer } from './admin-server.js';

/** Admin endpoints of the SDK instances running in this process, by `service.instance.id`. */
const endpoints = new Map<string, Promise<AdminServer | undefined>>();

/**
 * Where the admin endpoint of the SDK instance with this `service.instance.id` listens, once it
 * does; undefined when it has none or could not bind. With `adminPort: 0` this is how a caller
 * learns the port (it is also printed on stderr).
 */
export async function adminEndpointOf(
  serviceInstanceId: string,
): Promise<{ host: string; port: number } | undefined> {
  const server = await endpoints.get(serviceInstanceId);
  return server ? { host: server.host, port: server.port } : undefined;
}

/** Serves `GET|POST /diagnostic` and `POST /dump` on 127.0.0.1 when `diagnostic.adminPort` is set. */
export const adminEndpointFeature: SdkFeature = {
  name: 'diagnostic-admin-endpoint',
  start(ctx) {
    const { adminPort, adminToken } = ctx.options.diagnostic;
    if (adminPort === undefined) return { stop() {} };
    if (!adminToken) {
      // options.ts rejects this at start; kept so the endpoint can never run unauthenticated.
      ctx.onError(
        new Error('joblens: option diagnostic.adminToken must be set when diagnostic.adminPort is'),
      );
      return { stop() {} };
    }
    const instanceId = ctx.options.serviceInstanceId;
    const started = startAdminServer(adminPort, adminToken, ctx).then(
      (server) => {
        process.stderr.write(`joblens: admin endpoint on http://${server.host}:${server.port}\n`);
        return server;
      },
      (cause) => {
        ctx.onError(new Error(`starting the admin endpoint on 127.0.0.1:${adminPort}`, { cause }));
        return undefined;
      },
    );
    endpoints.set(instanceId, started);
    return {
      async stop() {
        if (endpoints.get(instanceId) === started) endpoints.delete(instanceId);
        await (await started)?.close();
      },
    };
  },
};
