import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readServeConfig } from '../src/commands/serve.js';
import { runJoblens, startServe } from './run-joblens.js';

const NO_TOKENS = {
  JOBLENS_TOKEN: '',
  JOBLENS_INGEST_TOKEN: '',
  JOBLENS_READ_TOKEN: '',
  JOBLENS_ADMIN_TOKEN: '',
};
const dir = mkdtempSync(join(tmpdir(), 'joblens-serve-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('joblens serve on an address other machines reach', () => {
  it('exits 2 with one line naming --insecure-no-auth when no token is set', async () => {
    const result = await runJoblens(
      ['serve', '--host', '0.0.0.0', '--port', '0', '--otlp-port', '0', '--data-dir', ':memory:'],
      NO_TOKENS,
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^joblens serve: refusing to listen on 0\.0\.0\.0 with no token for ingest, read, admin: /,
    );
    expect(lines[0]).toContain('--insecure-no-auth');
    expect(result.stdout).not.toContain('joblens analyzer running');
  });

  it('refuses as well when one role is left without a token', () => {
    expect(() =>
      readServeConfig(['--host', '10.0.0.5', '--ingest-token', 'i', '--read-token', 'r'], NO_TOKENS),
    ).toThrow(/no token for admin/);
  });

  it('starts with --insecure-no-auth, and on loopback without tokens as before', () => {
    expect(readServeConfig(['--host', '0.0.0.0', '--insecure-no-auth'], NO_TOKENS)).toMatchObject({
      host: '0.0.0.0',
    });
    expect(readServeConfig(['--host', '127.0.0.1'], NO_TOKENS)).toMatchObject({ host: '127.0.0.1' });
    expect(readServeConfig(['--host', '::1'], NO_TOKENS)).toMatchObject({ host: '::1' });
  });

  it('starts with a token file, prints no token, and refuses an API read without it', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'file-token\n');
    const serve = await startServe([
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--otlp-port',
      '0',
      '--data-dir',
      ':memory:',
      '--token-file',
      tokenFile,
    ]);
    try {
      expect(serve.output()).toContain('tokens     required for ingest, read, admin');
      expect(serve.output()).not.toContain('file-token');
      expect((await fetch(`${serve.apiUrl}/api/findings`)).status).toBe(401);
      const read = await fetch(`${serve.apiUrl}/api/findings`, {
        headers: { authorization: 'Bearer file-token' },
      });
      expect(read.status).toBe(200);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });

  it('takes --trust-proxy as a switch', () => {
    expect(readServeConfig(['--trust-proxy'], NO_TOKENS)).toMatchObject({ trustProxy: true });
    expect(readServeConfig([], NO_TOKENS)).toMatchObject({ trustProxy: false });
  });
});
