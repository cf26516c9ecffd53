import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServe } from '../../../cli/test/run-joblens.js';
import { verifySignature } from '../../src/alerts/sign-payload.js';
import { type HttpReceiver, type ReceivedRequest, startHttpReceiver } from './http-receiver.js';

const SECRET = 'kill-test-secret';
const dataDir = mkdtempSync(join(tmpdir(), 'joblens-outbox-kill-'));
const running: ServeProcess[] = [];
let receiver: HttpReceiver | undefined;

afterAll(async () => {
  for (const serve of running) {
    serve.child.kill('SIGKILL');
    await serve.exited;
  }
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMillis = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function serve(configPath: string): Promise<ServeProcess> {
  return startServe(['--config', configPath, '--data-dir', dataDir, '--port', '0', '--otlp-port', '0']).then(
    (s) => {
      running.push(s);
      return s;
    },
  );
}

const isMonitorDown = (r: ReceivedRequest) => {
  const body = JSON.parse(r.body) as { text: string };
  return body.text.includes('monitor nightly-backup is down');
};

describe('the alert outbox across kill -9', () => {
  it('delivers after a restart the CRITICAL monitor-down alert that failed before the kill, signed', async () => {
    receiver = await startHttpReceiver(() => ({ status: 503 }));
    const configPath = join(dataDir, 'joblens.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        monitors: [{ slug: 'nightly-backup', periodSeconds: 1, graceSeconds: 1 }],
        alerts: { channels: [{ name: 'ops', type: 'webhook', url: receiver.url, secret: SECRET }] },
      }),
    );

    const first = await serve(configPath);
    expect((await fetch(`${first.apiUrl}/ping/nightly-backup`)).status).toBe(200);
    const failed = await waitFor(() => receiver?.requests.find(isMonitorDown), 'a first, failing try');
    const deliveryId = String(failed.headers['x-joblens-delivery']);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    receiver.answer = () => ({ status: 200 });
    const triesBeforeRestart = receiver.requests.length;

    await serve(configPath);
    const delivered = await waitFor(
      () =>
        receiver?.requests
          .slice(triesBeforeRestart)
          .find((r) => r.headers['x-joblens-delivery'] === deliveryId),
      'the same delivery after the restart',
    );
    const signature = String(delivered.headers['x-joblens-signature']);
    expect(verifySignature(SECRET, signature, delivered.body, Date.now() / 1000)).toBe(true);
    expect(JSON.parse(delivered.body)).toMatchObject({
      kind: 'opened',
      finding: { severity: 'critical', subject: { monitor: 'nightly-backup' } },
    });
  }, 60_000);
});
