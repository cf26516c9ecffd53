import { redactText } from '@joblens/otlp-receiver';
import { describe, expect, it } from 'vitest';

describe('redaction of JSON text', () => {
  it('masks secret values under quoted keys, as checkpoint data and logged payloads carry them', () => {
    expect(redactText('{"user":"ann","password":"hunter2","token": "abc123"}')).toBe(
      '{"user":"ann","password":"[REDACTED]","token": "[REDACTED]"}',
    );
  });

  it('leaves ordinary JSON and URLs with ports alone', () => {
    const text = '{"queue":"emails","attempt":3} via http://db.internal:5432/app';
    expect(redactText(text)).toBe(text);
  });

  it('masks a connection string inside a very long word without losing the rest', () => {
    const long = `${'a'.repeat(200_000)} postgres://app:s3cret@db/x ${'b'.repeat(200_000)}`;
    const out = redactText(long);
    expect(out).not.toContain('s3cret');
    expect(out.length).toBe(long.length - 's3cret'.length + '[REDACTED]'.length);
  });
});
