import { redactText, redactValue } from '@joblens/otlp-receiver';
import { describe, expect, it } from 'vitest';

describe('redaction', () => {
  it('drops the values of attributes whose names say they are secrets', () => {
    const out = redactValue({
      'http.request.header.authorization': 'Bearer abc',
      db_password: 'hunter2',
      'api-key': 'k',
      'joblens.job.id': '42',
    });
    expect(out).toEqual({
      'http.request.header.authorization': '[REDACTED]',
      db_password: '[REDACTED]',
      'api-key': '[REDACTED]',
      'joblens.job.id': '42',
    });
  });

  it('judges a key by its words, so author, passenger and passed keep their values', () => {
    const secret = [
      'password',
      'DB_PASSWORD',
      'apiKey',
      'X-Api-Key',
      'aws.secret_access_key',
      'set-cookie',
      'csrftoken',
      'client_secret',
      'http.request.header.authorization',
      'auth',
      'session',
      'private_key',
      'githubToken',
    ];
    const plain = [
      'book.author',
      'passenger_count',
      'job.passed',
      'tokens_used',
      'compass.heading',
      'keyboard',
    ];
    const out = redactValue(Object.fromEntries([...secret, ...plain].map((key) => [key, 'v'])));
    expect(out).toEqual(
      Object.fromEntries([...secret.map((key) => [key, '[REDACTED]']), ...plain.map((key) => [key, 'v'])]),
    );
  });

  it('masks credentials inside free text', () => {
    expect(redactText('connect postgres://app:s3cret@db:5432/x failed')).toBe(
      'connect postgres://app:[REDACTED]@db:5432/x failed',
    );
    expect(redactText('sent Authorization: Bearer abcdefghijklmnop')).toContain('Bearer [REDACTED]');
    expect(redactText('url?token=abc123&x=1')).toBe('url?token=[REDACTED]&x=1');
    expect(redactText('jwt eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl')).toBe('jwt [REDACTED]');
  });

  it('redacts nested values and survives hostile nesting', () => {
    let deep: Record<string, unknown> = { secret: 'x' };
    for (let i = 0; i < 1000; i++) deep = { next: deep };
    expect(() => redactValue(deep)).not.toThrow();
    expect(redactValue({ a: [{ token: 't' }] })).toEqual({ a: [{ token: '[REDACTED]' }] });
  });
});
