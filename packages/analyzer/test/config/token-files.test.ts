import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

const detectorDefaults = {};
const dir = mkdtempSync(join(tmpdir(), 'joblens-token-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('role tokens from flags, variables and files', () => {
  it('reads each role token from its flag and its JOBLENS_* variable', () => {
    const config = loadConfig({
      flags: { 'admin-token': 'from-flag' },
      env: {
        JOBLENS_INGEST_TOKEN: 'ingest-env',
        JOBLENS_READ_TOKEN: 'read-env',
        JOBLENS_ADMIN_TOKEN: 'admin-env',
      },
      detectorDefaults,
    });
    expect(config).toMatchObject({
      ingestToken: 'ingest-env',
      readToken: 'read-env',
      adminToken: 'from-flag',
    });
  });

  it('reads a token file given by flag, by variable and in the config file, without the trailing newline', () => {
    const configFile = writeFile('config.yaml', `readTokenFile: ${writeFile('read', 'read-secret\n')}\n`);
    const config = loadConfig({
      flags: { config: configFile, 'admin-token-file': writeFile('admin', 'admin-secret\n') },
      env: { JOBLENS_INGEST_TOKEN_FILE: writeFile('ingest', 'ingest-secret\r\n') },
      detectorDefaults,
    });
    expect(config).toMatchObject({
      ingestToken: 'ingest-secret',
      readToken: 'read-secret',
      adminToken: 'admin-secret',
    });
    expect(config).not.toHaveProperty('readTokenFile');
  });

  it('lets a flag token file win over the variable token, as flags win over variables', () => {
    const config = loadConfig({
      flags: { 'token-file': writeFile('shared', 'shared-from-file') },
      env: { JOBLENS_TOKEN: 'shared-from-env' },
      detectorDefaults,
    });
    expect(config.token).toBe('shared-from-file');
  });

  it('refuses a token given both as text and as a file in the same place, naming both', () => {
    expect(() =>
      loadConfig({
        env: { JOBLENS_ADMIN_TOKEN: 'a', JOBLENS_ADMIN_TOKEN_FILE: writeFile('both', 'b') },
        detectorDefaults,
      }),
    ).toThrow(/JOBLENS_ADMIN_TOKEN_FILE and adminToken are both given/);
  });

  it('names the option when the token file cannot be read or is empty', () => {
    expect(() =>
      loadConfig({ flags: { 'read-token-file': join(dir, 'missing') }, env: {}, detectorDefaults }),
    ).toThrow(/--read-token-file: cannot read the token file/);
    expect(() =>
      loadConfig({ flags: { 'read-token-file': writeFile('empty', '\n') }, env: {}, detectorDefaults }),
    ).toThrow(/--read-token-file: the token file .* is empty/);
  });

  it('reads trustProxy from JOBLENS_TRUST_PROXY and refuses a word that is not true or false', () => {
    expect(loadConfig({ env: { JOBLENS_TRUST_PROXY: 'true' }, detectorDefaults }).trustProxy).toBe(true);
    expect(() => loadConfig({ env: { JOBLENS_TRUST_PROXY: 'maybe' }, detectorDefaults })).toThrow(
      /trustProxy \(JOBLENS_TRUST_PROXY\) must be true or false/,
    );
  });
});
