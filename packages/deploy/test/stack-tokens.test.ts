import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { DETECTOR_DEFAULTS, loadConfig, unprotectedExposure } from '@joblens/analyzer';
import { describe, expect, it } from 'vitest';
import { readRepoYaml, repoPath } from './repo-files.js';

const compose = readRepoYaml('docker-compose.yml');
const collector = readRepoYaml('collector-config/otelcol.yaml');
const prometheus = readRepoYaml('prometheus/prometheus.yml');
const services: Record<string, Record<string, unknown>> = compose.services;
const secrets: Record<string, { file: string }> = compose.secrets;
const ROLES = ['ingest', 'read', 'admin'] as const;

/** Where compose mounts a secret a service lists: /run/secrets/<name>. */
const secretPath = (name: string) => `/run/secrets/${name}`;
const secretsOf = (service: string) => (services[service].secrets as string[] | undefined) ?? [];
/** The repository file a service's container path comes from, through its secrets and volumes. */
function hostFileOf(service: string, containerPath: string): string | undefined {
  for (const name of secretsOf(service)) {
    if (secretPath(name) === containerPath) return secrets[name]?.file;
  }
  for (const volume of (services[service].volumes as string[] | undefined) ?? []) {
    const [source, target] = volume.split(':');
    if (target === containerPath) return source;
  }
  return undefined;
}

describe('tokens in the compose stack', () => {
  it('gives the analyzer a token file for every role, each a compose secret whose file is in the repository', () => {
    const env = services.analyzer.environment as Record<string, string>;
    for (const role of ROLES) {
      const path = env[`JOBLENS_${role.toUpperCase()}_TOKEN_FILE`];
      expect(path, role).toBeDefined();
      const file = hostFileOf('analyzer', path);
      expect(file, role).toBe(`./secrets/joblens-${role}-token`);
      expect(existsSync(repoPath(file ?? '')), role).toBe(true);
    }
  });

  it('starts the analyzer as compose runs it: on 0.0.0.0, with every role guarded by the token files', () => {
    const env = services.analyzer.environment as Record<string, string>;
    const command = services.analyzer.command as string[];
    const config = loadConfig({
      flags: { host: command[command.indexOf('--host') + 1] },
      // The container's paths, read from the repository's files they are mounted from.
      env: Object.fromEntries(
        ROLES.map((role) => {
          const name = `JOBLENS_${role.toUpperCase()}_TOKEN_FILE`;
          return [name, repoPath(hostFileOf('analyzer', env[name]) ?? '')];
        }),
      ),
      detectorDefaults: DETECTOR_DEFAULTS,
    });
    expect(config.host).toBe('0.0.0.0');
    expect(unprotectedExposure(config)).toBeUndefined();
    expect(new Set([config.ingestToken, config.readToken, config.adminToken]).size).toBe(3);
  });

  it("has the Collector send the analyzer's ingest token from the same secret", () => {
    const exporter = collector.exporters['otlp_http/analyzer'];
    const extensionName: string = exporter.auth.authenticator;
    expect(collector.service.extensions).toContain(extensionName);
    const extension = collector.extensions[extensionName];
    expect(extensionName.split('/')[0]).toBe('bearertokenauth');
    expect(hostFileOf('otel-collector', extension.filename)).toBe(secrets['joblens-ingest-token'].file);
  });

  it("has Prometheus scrape the analyzer's /metrics with the read token file compose mounts", () => {
    const job = prometheus.scrape_configs.find(
      (j: { job_name: string }) => j.job_name === 'joblens-analyzer',
    );
    const credentials: string = job.authorization.credentials_file;
    const [, configDir] =
      (services.prometheus.volumes as string[]).find((v) => v.startsWith('./prometheus:'))?.split(':') ?? [];
    const inContainer = posix.resolve(configDir, credentials);
    expect(hostFileOf('prometheus', inContainer)).toBe(secrets['joblens-read-token'].file);
  });

  it("publishes the analyzer's page on this machine only, since the repository's tokens are placeholders", () => {
    expect(services.analyzer.ports).toEqual(['127.0.0.1:4320:4320']);
  });
});
