import { describe, expect, it } from 'vitest';
import { REDACTED, redactArgument, redactEnvironment } from '../src/dump/redact-environment.js';

describe('redactEnvironment', () => {
  it('hides the values of variables whose names look like credentials, whatever their case', () => {
    const env = {
      GITHUB_TOKEN: 'ghp_x',
      db_password: 'p',
      MYSQL_PASSWD: 'p',
      AWS_SECRET_ACCESS_KEY: 's',
      STRIPE_API_KEY: 'k',
      AuthHeader: 'Bearer y',
      GOOGLE_APPLICATION_CREDENTIALS: '/x.json',
      SESSION_COOKIE: 'c',
      NODE_ENV: 'production',
      PATH: '/usr/bin',
    };
    expect(redactEnvironment(env)).toEqual({
      GITHUB_TOKEN: REDACTED,
      db_password: REDACTED,
      MYSQL_PASSWD: REDACTED,
      AWS_SECRET_ACCESS_KEY: REDACTED,
      STRIPE_API_KEY: REDACTED,
      AuthHeader: REDACTED,
      GOOGLE_APPLICATION_CREDENTIALS: REDACTED,
      SESSION_COOKIE: REDACTED,
      NODE_ENV: 'production',
      PATH: '/usr/bin',
    });
  });
});

describe('redactArgument', () => {
  it('hides the value of a --name=value argument with a secret-looking name and keeps the rest', () => {
    expect(redactArgument('--api-token=abc')).toBe(`--api-token=${REDACTED}`);
    expect(redactArgument('--port=8080')).toBe('--port=8080');
    expect(redactArgument('worker.js')).toBe('worker.js');
  });
});
