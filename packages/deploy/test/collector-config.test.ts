import { describe, expect, it } from 'vitest';
import { readRepoYaml } from './repo-files.js';

const CONFIGS = [
  'collector-config/otelcol.yaml',
  'collector-config/scale-out/gateway.yaml',
  'collector-config/scale-out/analyzer-sidecar.yaml',
];

/** Component types otelcol-contrib 0.159.0 knows, under the names it prefers (no deprecated aliases). */
const KNOWN_TYPES: Record<string, string[]> = {
  receivers: ['otlp'],
  processors: ['memory_limiter', 'batch', 'tail_sampling', 'transform'],
  exporters: ['otlp_grpc', 'otlp_http', 'prometheus', 'loadbalancing'],
  connectors: ['spanmetrics'],
  // bearertokenauth sends the analyzer's ingest token from a file (the compose secret).
  extensions: ['health_check', 'bearertokenauth'],
};

type Pipeline = { receivers: string[]; processors?: string[]; exporters: string[] };
const typeOf = (id: string) => id.split('/')[0];

describe.each(CONFIGS)('%s', (file) => {
  const config = readRepoYaml(file);
  const pipelines = Object.entries(config.service.pipelines as Record<string, Pipeline>);
  const defined = (section: string) => Object.keys(config[section] ?? {});

  it('defines every component a pipeline names', () => {
    for (const [name, pipeline] of pipelines) {
      for (const id of pipeline.receivers) {
        expect([...defined('receivers'), ...defined('connectors')], `${name} receiver ${id}`).toContain(id);
      }
      for (const id of pipeline.processors ?? [])
        expect(defined('processors'), `${name} processor ${id}`).toContain(id);
      for (const id of pipeline.exporters) {
        expect([...defined('exporters'), ...defined('connectors')], `${name} exporter ${id}`).toContain(id);
      }
    }
    for (const id of config.service.extensions ?? []) expect(defined('extensions')).toContain(id);
  });

  it('puts every defined receiver, processor, exporter and connector in a pipeline', () => {
    const used = (key: keyof Pipeline) => new Set(pipelines.flatMap(([, pipeline]) => pipeline[key] ?? []));
    for (const id of defined('receivers')) expect(used('receivers'), `receiver ${id}`).toContain(id);
    for (const id of defined('processors')) expect(used('processors'), `processor ${id}`).toContain(id);
    for (const id of defined('exporters')) expect(used('exporters'), `exporter ${id}`).toContain(id);
    for (const id of defined('connectors')) {
      expect(used('exporters'), `connector ${id} fed by a pipeline`).toContain(id);
      expect(used('receivers'), `connector ${id} feeding a pipeline`).toContain(id);
    }
    for (const id of defined('extensions')) expect(config.service.extensions).toContain(id);
  });

  it('uses only component types otelcol-contrib 0.159.0 has, under their current names', () => {
    for (const [section, types] of Object.entries(KNOWN_TYPES)) {
      for (const id of defined(section)) expect(types, `${section} ${id}`).toContain(typeOf(id));
    }
  });

  it('limits memory first in every pipeline, and batches in every pipeline', () => {
    for (const [name, pipeline] of pipelines) {
      expect(pipeline.processors?.[0], name).toBe('memory_limiter');
      expect(pipeline.processors?.map(typeOf), name).toContain('batch');
    }
  });

  it('receives OTLP on all interfaces', () => {
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    if (config.receivers.otlp.protocols.http)
      expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
  });
});

describe('the compose Collector pipeline', () => {
  const config = readRepoYaml('collector-config/otelcol.yaml');
  const pipelines = config.service.pipelines as Record<string, Pipeline>;
  const exportingTo = (exporter: string) =>
    Object.entries(pipelines).filter(([, pipeline]) => pipeline.exporters.includes(exporter));

  it("sends traces to Jaeger and to the analyzer through separate pipelines, sampling only Jaeger's", () => {
    const [jaeger] = exportingTo('otlp_grpc/jaeger');
    const analyzerTraces = exportingTo('otlp_http/analyzer').filter(([name]) => name.startsWith('traces'));
    expect(exportingTo('otlp_grpc/jaeger')).toHaveLength(1);
    expect(analyzerTraces).toHaveLength(1);
    expect(jaeger[0]).not.toBe(analyzerTraces[0][0]);
    expect(jaeger[1].exporters).toEqual(['otlp_grpc/jaeger']);
    expect(jaeger[1].processors?.map(typeOf)).toContain('tail_sampling');
    expect(analyzerTraces[0][1].processors?.map(typeOf)).not.toContain('tail_sampling');
  });

  it('sends logs and metrics to the analyzer, and metrics with span metrics to Prometheus', () => {
    const analyzerSignals = exportingTo('otlp_http/analyzer').map(([name]) => name.split('/')[0]);
    expect(new Set(analyzerSignals)).toEqual(new Set(['traces', 'logs', 'metrics']));
    const [prometheus] = exportingTo('prometheus');
    expect(prometheus[1].receivers).toEqual(expect.arrayContaining(['otlp', 'spanmetrics']));
  });

  it("exports OpenMetrics (exemplars) named as the SDK's own endpoint names them", () => {
    expect(config.exporters.prometheus.enable_open_metrics).toBe(true);
    expect(config.exporters.prometheus.translation_strategy).toBe('UnderscoreEscapingWithoutSuffixes');
    const statements = config.processors['transform/prometheus_names'].metric_statements
      .flatMap((group: { statements: string[] }) => group.statements)
      .join('\n');
    expect(statements).toContain('"total"');
    for (const attribute of ['service.name', 'service.instance.id', 'host.name'])
      expect(statements).toContain(attribute);
  });

  it('derives span metrics per queue, job name, worker and host, with exemplars', () => {
    const spanmetrics = config.connectors.spanmetrics;
    expect(spanmetrics.dimensions.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining([
        'messaging.destination.name',
        'joblens.job.name',
        'service.instance.id',
        'host.name',
      ]),
    );
    expect(spanmetrics.exemplars.enabled).toBe(true);
  });

  it('answers health checks', () => {
    expect(config.service.extensions).toContain('health_check');
  });
});

describe('the scale-out gateway', () => {
  const config = readRepoYaml('collector-config/scale-out/gateway.yaml');
  const pipelines = Object.entries(config.service.pipelines as Record<string, Pipeline>);

  it('routes traces and logs to analyzers by trace id, and never metrics', () => {
    expect(config.exporters['loadbalancing/analyzers'].routing_key).toBe('traceID');
    const balanced = pipelines
      .filter(([, p]) => p.exporters.includes('loadbalancing/analyzers'))
      .map(([n]) => n);
    expect(balanced.map((name) => name.split('/')[0]).sort()).toEqual(['logs', 'traces']);
  });

  it('sends every metric to every analyzer', () => {
    const hostnames: string[] = config.exporters['loadbalancing/analyzers'].resolver.static.hostnames;
    const [, metrics] = pipelines.find(([name]) => name === 'metrics/analyzers') ?? [];
    const endpoints = (metrics?.exporters ?? []).map((id) => config.exporters[id].endpoint);
    expect(endpoints.sort()).toEqual([...hostnames].sort());
  });
});
