import { describe, expect, it } from 'vitest';
import { startServe } from './run-joblens.js';

describe('joblens serve with its output piped to a reader that goes away', () => {
  it('keeps serving, and stops cleanly at SIGTERM without an EPIPE stack trace', async () => {
    const serve = await startServe(['--port', '0', '--otlp-port', '0', '--data-dir', ':memory:']);
    try {
      // As `joblens serve | head -2` does once it has its lines: the reading end closes.
      serve.child.stdout.destroy();
      const health = await fetch(`${serve.apiUrl}/healthz`);
      expect(health.status).toBe(200);
      // The stop line is the first write with nobody to read it.
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
      expect(serve.output()).not.toMatch(/EPIPE|Error:/);
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});
