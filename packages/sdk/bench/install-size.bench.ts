/**
 * What a worker's install costs on disk: an empty app plus `@joblens/sdk` from its packed tarball, beside
 * an empty app plus `@opentelemetry/sdk-node` from the registry, the yardstick a user would otherwise add.
 * Both are installed by plain `npm install` in the same run; sizes are apparent bytes of every file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmInstall, packPackages } from '@joblens/test-utils';

// The release of OpenTelemetry's experimental packages that the SDK itself builds on.
const sdkManifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const OTEL_SDK_NODE = `@opentelemetry/sdk-node@${sdkManifest.dependencies['@opentelemetry/sdk-logs']}`;

function emptyApp(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true }));
  return dir;
}

function bytesOnDisk(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += bytesOnDisk(join(path, entry));
  return total;
}

const root = mkdtempSync(join(tmpdir(), 'joblens-install-size-'));
try {
  const tarballs = await packPackages(['semconv', 'sdk'], join(root, 'tarballs'));
  const sdkApp = emptyApp(root, 'with-joblens-sdk');
  await npmInstall(sdkApp, [tarballs.semconv, tarballs.sdk]);
  const otelApp = emptyApp(root, 'with-otel-sdk-node');
  await npmInstall(otelApp, [OTEL_SDK_NODE]);
  const mb = (dir: string) => (bytesOnDisk(dir) / 1e6).toFixed(1);
  console.log(`sdk_install_mb: ${mb(sdkApp)}`);
  console.log(`otel_sdk_node_install_mb: ${mb(otelApp)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
