import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/analyzer-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { validateAnalyzerConfig } from '../../src/load-analyzer-config.js';

const detectorDefaults = {
  mystery_gap: { gapThresholdSeconds: 5, windowSeconds: 600 },
  silent_worker: { goneAfterSeconds: 30, minimumFloorSeconds: 0, includeIdle: false },
};

const dir = mkdtempSync(join(tmpdir(), 'joblens-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is given', () => {
    expect(loadConfig({ env: {}, detectorDefaults })).toEqual(DEFAULT_CONFIG);
  });

  it('lets flags win over the environment and the environment over the file', () => {
    const path = writeConfig(
      'layers.yaml',
      'port: 5000\notlpPort: 5001\nhost: 0.0.0.0\ndataDir: /from/file\n',
    );
    const config = loadConfig({
      flags: { config: path, port: '6000' },
      env: { JOBLENS_PORT: '7000', JOBLENS_OTLP_PORT: '7001' },
      detectorDefaults,
    });
    expect(config).toMatchObject({ port: 6000, otlpPort: 7001, host: '0.0.0.0', dataDir: '/from/file' });
  });

  it('reads the file named by JOBLENS_CONFIG, in JSON as well as YAML', () => {
    const path = writeConfig(
      'c.json',
      JSON.stringify({ detectors: { mystery_gap: { gapThresholdSeconds: 2 } } }),
    );
    const config = loadConfig({ env: { JOBLENS_CONFIG: path }, detectorDefaults });
    expect(config.detectors).toEqual({ mystery_gap: { gapThresholdSeconds: 2 } });
  });

  it('passes monitor definitions through for the monitors code to check', () => {
    const path = writeConfig('m.yaml', 'monitors:\n  - slug: nightly-backup\n    periodSeconds: 86400\n');
    expect(loadConfig({ flags: { config: path }, env: {}, detectorDefaults }).monitors).toEqual([
      { slug: 'nightly-backup', periodSeconds: 86400 },
    ]);
  });

  it('names the variable when an environment number is not a number', () => {
    expect(() => loadConfig({ env: { JOBLENS_OTLP_PORT: 'four' }, detectorDefaults })).toThrow(
      'config: otlpPort (JOBLENS_OTLP_PORT) must be a number, got "four"',
    );
  });

  it('names the flag when a flag number is not a number', () => {
    expect(() => loadConfig({ flags: { port: 'x' }, env: {}, detectorDefaults })).toThrow(
      'config: port (--port) must be a number, got "x"',
    );
  });

  it('says which file cannot be read or parsed', () => {
    expect(() =>
      loadConfig({ flags: { config: join(dir, 'missing.yaml') }, env: {}, detectorDefaults }),
    ).toThrow(/cannot read the configuration file .*missing\.yaml/);
    const broken = writeConfig('broken.yaml', 'port: [1, 2\n');
    expect(() => loadConfig({ flags: { config: broken }, env: {}, detectorDefaults })).toThrow(
      /broken\.yaml is not valid YAML/,
    );
  });
});

describe('validateConfig', () => {
  const fails = (input: unknown) => () => validateConfig(input, detectorDefaults);

  it('names the detector option, the expected kind and the given value', () => {
    expect(fails({ detectors: { mystery_gap: { gapThresholdSeconds: 'abc' } } })).toThrow(
      'config: detectors.mystery_gap.gapThresholdSeconds must be a positive number, got "abc"',
    );
    expect(fails({ detectors: { mystery_gap: { gapThresholdSeconds: 0 } } })).toThrow(
      /must be a positive number, got 0/,
    );
    expect(fails({ detectors: { silent_worker: { includeIdle: 'yes' } } })).toThrow(
      'config: detectors.silent_worker.includeIdle must be true or false, got "yes"',
    );
  });

  it('accepts zero where the default itself is zero', () => {
    expect(
      validateConfig({ detectors: { silent_worker: { minimumFloorSeconds: 0 } } }, detectorDefaults)
        .detectors,
    ).toEqual({
      silent_worker: { minimumFloorSeconds: 0 },
    });
  });

  it('rejects a detector or option it does not know, by name', () => {
    expect(fails({ detectors: { mystery: {} } })).toThrow(
      /config: detectors\.mystery is not a detector \(known: mystery_gap, silent_worker\)/,
    );
    expect(fails({ detectors: { mystery_gap: { gapThreshold: 3 } } })).toThrow(
      /config: detectors\.mystery_gap\.gapThreshold is not an option of mystery_gap/,
    );
  });

  it('rejects unknown and mistyped top-level fields', () => {
    expect(fails({ prot: 1 })).toThrow(/config: unknown field "prot"/);
    // The list names every field a file may hold, the token files among them.
    expect(fails({ prot: 1 })).toThrow(/known: .*\bport\b.*\badminTokenFile\b.*\balerts\b/);
    expect(fails({ port: 70000 })).toThrow('config: port must be a port number from 0 to 65535, got 70000');
    expect(fails({ evaluationIntervalMillis: -5 })).toThrow(
      'config: evaluationIntervalMillis must be a positive integer, got -5',
    );
    expect(fails({ alertWebhookUrl: 'ftp://x' })).toThrow(
      'config: alertWebhookUrl must be an http(s) URL, got "ftp://x"',
    );
    expect(fails({ token: '' })).toThrow('config: token must be a non-empty string, got ""');
    expect(fails({ monitors: 'daily' })).toThrow(
      /config: monitors must be a list of monitor definitions, got "daily"/,
    );
    expect(fails(['port'])).toThrow(/the configuration must be an object/);
  });

  it('reports a bad monitor definition as a config error naming the monitor field', () => {
    const monitors = [{ slug: 'Nightly Backup!', periodSeconds: 60 }];
    expect(() => validateAnalyzerConfig({ monitors }, detectorDefaults)).toThrow(
      /^config: monitors\[0\]\.slug /,
    );
  });
});
