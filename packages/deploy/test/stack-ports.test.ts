import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoYaml, repoPath } from './repo-files.js';

const compose = readRepoYaml('docker-compose.yml');
const collector = readRepoYaml('collector-config/otelcol.yaml');
const prometheus = readRepoYaml('prometheus/prometheus.yml');
const datasources = readRepoYaml('grafana/provisioning/datasources/joblens.yaml').datasources;
const services: Record<string, Record<string, unknown>> = compose.services;

const portOf = (endpoint: string) => Number(endpoint.split(':').at(-1));
const hostOf = (endpoint: string) =>
  new URL(endpoint.includes('://') ? endpoint : `tcp://${endpoint}`).hostname;
const published = (service: string) =>
  ((services[service].ports as string[] | undefined) ?? []).map((mapping) =>
    Number(String(mapping).split(':')[1]),
  );
/** The value of `--flag value` in a compose service's command. */
const flag = (service: string, name: string) => {
  const command = services[service].command as string[];
  return command[command.indexOf(name) + 1];
};

describe('ports in the compose file, the Collector and Prometheus agree', () => {
  it("publishes the Collector's OTLP ports where its receivers listen", () => {
    expect(published('otel-collector')).toEqual(expect.arrayContaining([4317, 4318]));
    expect(portOf(collector.receivers.otlp.protocols.grpc.endpoint)).toBe(4317);
    expect(portOf(collector.receivers.otlp.protocols.http.endpoint)).toBe(4318);
  });

  it("sends the analyzer its OTLP on the port the analyzer serves it, clear of the Collector's 4318", () => {
    const endpoint = collector.exporters['otlp_http/analyzer'].endpoint;
    expect(services[hostOf(endpoint)]).toBeDefined();
    expect(String(portOf(endpoint))).toBe(flag(hostOf(endpoint), '--otlp-port'));
    expect(portOf(endpoint)).not.toBe(4318);
    expect(flag('analyzer', '--host')).toBe('0.0.0.0');
  });

  it('sends Jaeger its traces at a compose service', () => {
    const endpoint = collector.exporters['otlp_grpc/jaeger'].endpoint;
    expect(services[hostOf(endpoint)]).toBeDefined();
    expect(portOf(endpoint)).toBe(4317);
  });

  it('scrapes the Collector, its own telemetry and the analyzer where they serve metrics', () => {
    const targets = new Map<string, string[]>(
      prometheus.scrape_configs.map((job: { job_name: string; static_configs: { targets: string[] }[] }) => [
        job.job_name,
        job.static_configs.flatMap((c) => c.targets),
      ]),
    );
    const [collectorTarget] = targets.get('otel-collector') ?? [];
    expect(hostOf(collectorTarget)).toBe('otel-collector');
    expect(portOf(collectorTarget)).toBe(portOf(collector.exporters.prometheus.endpoint));
    const [selfTarget] = targets.get('otel-collector-self') ?? [];
    expect(portOf(selfTarget)).toBe(
      collector.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port,
    );
    const [analyzerTarget] = targets.get('joblens-analyzer') ?? [];
    expect(services[hostOf(analyzerTarget)]).toBeDefined();
    expect(String(portOf(analyzerTarget))).toBe(flag(hostOf(analyzerTarget), '--port'));
  });

  it("keeps the workers' own job and instance labels from the Collector's exporter", () => {
    const job = prometheus.scrape_configs.find((j: { job_name: string }) => j.job_name === 'otel-collector');
    expect(job.honor_labels).toBe(true);
  });

  it("points Grafana's data sources at the compose services and their ports", () => {
    const byType = new Map<string, string>(
      datasources.map((d: { type: string; url: string }) => [d.type, d.url]),
    );
    expect(hostOf(byType.get('prometheus') ?? '')).toBe('prometheus');
    expect(portOf(byType.get('prometheus') ?? '')).toBe(9090);
    expect(published('prometheus')).toContain(9090);
    expect(hostOf(byType.get('jaeger') ?? '')).toBe('jaeger');
    expect(published('jaeger')).toContain(portOf(byType.get('jaeger') ?? ''));
  });

  it("has every demo worker send OTLP to the Collector's HTTP port", () => {
    const workers = Object.keys(services).filter((name) => name.startsWith('demo-worker'));
    expect(workers.length).toBeGreaterThanOrEqual(3);
    for (const name of workers) {
      const env = services[name].environment as Record<string, string>;
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT, name).toBe(
        `http://otel-collector:${portOf(collector.receivers.otlp.protocols.http.endpoint)}`,
      );
    }
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      const image = service.image as string | undefined;
      if (!image) continue;
      expect(image, name).toMatch(/:[\w.-]+$/);
      expect(image, name).not.toMatch(/:latest$/);
    }
    expect(services['otel-collector'].image).toBe('otel/opentelemetry-collector-contrib:0.159.0');
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of (service.volumes as string[] | undefined) ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect(existsSync(repoPath(source)), `${name}: ${source}`).toBe(true);
      }
    }
  });

  it('mounts the provisioned dashboards where the dashboard provider reads them', () => {
    const provider = readRepoYaml('grafana/provisioning/dashboards/joblens.yaml').providers[0];
    const mounts = (services.grafana.volumes as string[]).map((volume) => volume.split(':'));
    expect(mounts).toContainEqual(['./grafana/dashboards', provider.options.path, 'ro']);
  });
});
