import { describe, expect, it } from 'vitest';
import { readServeConfig } from '../src/commands/serve.js';
import { runJoblensInProcess, startServe } from './run-joblens.js';

describe('joblens serve flags', () => {
  it('passes every flag the docs show to the analyzer configuration', () => {
    const config = readServeConfig(
      [
        '--host',
        '0.0.0.0',
        '--otlp-port',
        '14318',
        '--port',
        '14320',
        '--data-dir',
        '/var/lib/joblens',
        '--token',
        'secret',
        '--jaeger-url',
        'http://jaeger:16686',
        '--alert-webhook-url',
        'http://hooks.example/x',
        '--evaluation-interval-millis',
        '250',
        '--max-body-bytes',
        '1024',
      ],
      {},
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      otlpPort: 14318,
      port: 14320,
      dataDir: '/var/lib/joblens',
      token: 'secret',
      jaegerUrl: 'http://jaeger:16686',
      alertWebhookUrl: 'http://hooks.example/x',
      evaluationIntervalMillis: 250,
      maxBodyBytes: 1024,
    });
  });

  it('lets a flag win over its JOBLENS_* variable, and reads the variable when the flag is absent', () => {
    const env = { JOBLENS_EVALUATION_INTERVAL_MILLIS: '5000', JOBLENS_MAX_BODY_BYTES: '2048' };
    expect(readServeConfig(['--evaluation-interval-millis', '250'], env)).toMatchObject({
      evaluationIntervalMillis: 250,
      maxBodyBytes: 2048,
    });
  });

  it('refuses a --max-body-bytes that is not a number, naming the flag, with exit code 2', async () => {
    const result = await runJoblensInProcess(['serve', '--data-dir', ':memory:', '--max-body-bytes', '8MiB']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'joblens serve: config: maxBodyBytes (--max-body-bytes) must be a number, got "8MiB"',
    );
  });

  it('answers 413 to an OTLP body larger than --max-body-bytes from the real binary', async () => {
    const serve = await startServe([
      '--port',
      '0',
      '--otlp-port',
      '0',
      '--data-dir',
      ':memory:',
      '--max-body-bytes',
      '1024',
      '--evaluation-interval-millis',
      '250',
    ]);
    try {
      const post = (body: string) =>
        fetch(`${serve.otlpUrl}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const small = await post(JSON.stringify({ resourceSpans: [] }));
      expect(small.status).toBe(200);
      const large = await post(JSON.stringify({ resourceSpans: [], padding: 'x'.repeat(2000) }));
      expect(large.status).toBe(413);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
