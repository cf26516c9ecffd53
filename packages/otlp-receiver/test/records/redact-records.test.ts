import { makeAttemptSpan, makeHeartbeatPoint, makeJobLog, makeResource } from '@joblens/test-utils';
import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/records/redact.js';
import { RecordRedactor } from '../../src/records/redact-records.js';

const SECRETS = ['hunter2', 'abcdefghijklmnop', 'secretpw', 's3cr3t-key', 'c00kie'];

function expectNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('redaction of decoded records', () => {
  it('drops the values of attributes whose keys name a secret, in any case or separator', () => {
    const span = makeAttemptSpan({
      attributes: {
        'http.request.header.authorization': 'Bearer abcdefghijklmnop',
        DB_PASSWORD: 'hunter2',
        'x-api-key': 's3cr3t-key',
        'http.request.header.cookie': ['session=c00kie'],
        'llm.usage.tokens': 1200,
      },
    });
    new RecordRedactor().spans([span]);
    expect(span.attributes['http.request.header.authorization']).toBe('[REDACTED]');
    expect(span.attributes.DB_PASSWORD).toBe('[REDACTED]');
    expect(span.attributes['x-api-key']).toBe('[REDACTED]');
    expect(span.attributes['http.request.header.cookie']).toBe('[REDACTED]');
    // A count under a key that mentions tokens is not a credential.
    expect(span.attributes['llm.usage.tokens']).toBe(1200);
    expect(span.attributes['joblens.job.name']).toBe('send');
  });

  it('masks credentials in span names, status messages, event attributes and nested values', () => {
    const span = makeAttemptSpan({
      outcome: 'failed',
      attributes: { 'db.query.text': ['connect', { url: 'postgres://u:secretpw@h/db' }] },
      events: [
        {
          name: 'exception',
          timeMs: 10,
          attributes: { 'exception.message': 'login failed: password=hunter2' },
        },
      ],
    });
    span.name = 'POST https://ann:secretpw@api.example.com/upload';
    span.statusMessage = 'refused with Authorization: Bearer abcdefghijklmnop';
    new RecordRedactor().spans([span]);
    expectNoSecret(span);
    expect(span.name).toBe('POST https://ann:[REDACTED]@api.example.com/upload');
    expect(span.events[0].attributes['exception.message']).toBe('login failed: password=[REDACTED]');
    expect(span.statusMessage).toBe('refused with Authorization: Bearer [REDACTED]');
  });

  it('masks log bodies and resource attributes shared by many records', () => {
    const resource = makeResource();
    resource.attributes['process.command_args'] = ['node', 'worker.js', '--db-password=hunter2'];
    const attempt = makeAttemptSpan({ resource });
    const logs = [1, 2].map((timeMs) => ({
      ...makeJobLog({ kind: 'still_running', attempt, timeMs }),
      body: { message: 'retrying postgres://u:secretpw@h/db', token: 'abcdefghijklmnop' },
    }));
    new RecordRedactor().logs(logs);
    expectNoSecret(logs);
    expect(logs[0].resource.attributes['process.command_args']).toEqual([
      'node',
      'worker.js',
      '--db-password=[REDACTED]',
    ]);
  });

  it('masks metric point attributes', () => {
    const point = makeHeartbeatPoint({ timeMs: 0 });
    point.attributes['http.url'] = 'https://u:secretpw@example.com/x?api_key=s3cr3t-key';
    new RecordRedactor().metrics([point]);
    expectNoSecret(point);
  });

  it('masks e-mail addresses only when asked', () => {
    const records = () => [makeAttemptSpan({ attributes: { 'user.email': 'ann@example.com' } })];
    const kept = records();
    new RecordRedactor().spans(kept);
    expect(kept[0].attributes['user.email']).toBe('ann@example.com');
    const masked = records();
    new RecordRedactor({ emails: true }).spans(masked);
    expect(masked[0].attributes['user.email']).toBe('[EMAIL]');
  });

  it('keeps a __proto__ attribute an attribute instead of replacing the prototype', () => {
    const span = makeAttemptSpan();
    Object.defineProperty(span.attributes, '__proto__', {
      value: 'password=hunter2',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    new RecordRedactor().spans([span]);
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value).toBe('password=[REDACTED]');
  });
});

describe('redaction of text', () => {
  it('keeps the user of a URL and masks its password', () => {
    expect(redactText('postgres://u:secretpw@h/db')).toBe('postgres://u:[REDACTED]@h/db');
  });

  it('masks password, secret and token assignments with prefixes', () => {
    expect(redactText('db_password=hunter2 client_secret: abc access_token=xyz&x=1')).toBe(
      'db_password=[REDACTED] client_secret: [REDACTED] access_token=[REDACTED]&x=1',
    );
  });

  it('leaves text that mentions no secret untouched and returns it as it is', () => {
    for (const text of [
      'render invoice 42 for queue emails at http://db.internal:5432/app',
      '@joblens/sdk',
      'process invoices',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });

  it('masks e-mail addresses but not URL user names left by the URL rule', () => {
    expect(redactText('mail ann.lee+x@mail.example.co.uk now', { emails: true })).toBe('mail [EMAIL] now');
    expect(redactText('postgres://u:pw@db.example.com/x', { emails: true })).toBe(
      'postgres://u:[REDACTED]@db.example.com/x',
    );
  });

  it('finishes on a long value full of near misses', () => {
    // Each pattern's repetition is bounded, so these 600 kB finish; an unbounded one would take minutes.
    const hostile = `${'a@'.repeat(100_000)} ${'pass'.repeat(50_000)} ${'x://'.repeat(50_000)}`;
    expect(redactText(hostile, { emails: true }).length).toBeGreaterThan(0);
  });
});
