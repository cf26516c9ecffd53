import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  ATTR_JOB_CURRENT_STEP,
  ATTR_JOB_ID,
  ATTR_PROCESS_SOCKET_PEER_COUNTS,
  ATTR_PROCESS_SOCKET_PEERS,
  ATTR_PROCESS_SOCKETS,
  ATTR_PROCESS_TIMERS,
  ATTR_WAITING_COUNT,
  ATTR_WAITING_DURATIONS,
  ATTR_WAITING_OPERATIONS,
  LOG_JOB_STILL_RUNNING,
} from '@joblens/semconv';
import { type OtlpJsonReceiver, type ReceivedLog, startOtlpJsonReceiver } from '@joblens/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/hanging-call-worker.ts', import.meta.url));

/** A server that accepts every request and never answers it: the call a hung job waits on. */
async function startSilentServer(): Promise<{ server: Server; address: string }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function runFixture(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

/** The first still-running record that names a call the job waits on. */
function waitingRecord(rx: OtlpJsonReceiver): ReceivedLog | undefined {
  return rx.logs.find(
    (log) =>
      log.eventName === LOG_JOB_STILL_RUNNING && Array.isArray(log.attributes[ATTR_WAITING_OPERATIONS]),
  );
}

describe.each([
  {
    client: 'node:http',
    env: 'http',
    url: (address: string) => `http://reader:s3cret@${address}/rows?token=querysecret`,
  },
  {
    client: 'fetch',
    env: 'fetch',
    url: (address: string) => `http://${address}/rows?token=querysecret#secretfragment`,
  },
])('a job whose step awaits a $client call that is never answered', ({ env, url }) => {
  let rx: OtlpJsonReceiver;
  let silent: { server: Server; address: string };
  let worker: ReturnType<typeof runFixture>;
  let record: ReceivedLog;

  beforeAll(async () => {
    rx = await startOtlpJsonReceiver();
    silent = await startSilentServer();
    worker = runFixture({
      FIXTURE_ENDPOINT: rx.url,
      FIXTURE_CLIENT: env,
      FIXTURE_TARGET_URL: url(silent.address),
    });
    try {
      record = await rx.waitFor(() => waitingRecord(rx), 30_000);
    } catch (cause) {
      throw new Error(`no still-running record named a call; worker said:\n${worker.output()}`, { cause });
    }
  }, 40_000);
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    silent?.server.closeAllConnections();
    silent?.server.close();
    await rx?.close();
  });

  it('names the call in the still-running record: method, host:port and path, without credentials or query', () => {
    expect(record.attributes[ATTR_JOB_ID]).toBe('job-7');
    expect(record.attributes[ATTR_JOB_CURRENT_STEP]).toBe('stream-rows');
    expect(record.attributes[ATTR_WAITING_COUNT]).toBe(1);
    expect(record.attributes[ATTR_WAITING_OPERATIONS]).toEqual([`GET http://${silent.address}/rows`]);
    const [open] = record.attributes[ATTR_WAITING_DURATIONS] as number[];
    expect(open).toBeGreaterThanOrEqual(0);
    // Words no worker id (a random UUID) can hold: "abc" once matched one, one run in a few hundred.
    expect(JSON.stringify(record.attributes)).not.toMatch(/s3cret|reader|token=|querysecret|secretfragment/);
  });

  it('counts the sockets the process holds by remote address, and its timers', () => {
    const peers = record.attributes[ATTR_PROCESS_SOCKET_PEERS] as string[];
    const counts = record.attributes[ATTR_PROCESS_SOCKET_PEER_COUNTS] as number[];
    expect(peers).toContain(silent.address);
    expect(counts[peers.indexOf(silent.address)]).toBeGreaterThanOrEqual(1);
    expect(record.attributes[ATTR_PROCESS_SOCKETS]).toBeGreaterThanOrEqual(1);
    // The job's give-up timer; the SDK's own timers are unref'd and, like Node, not counted.
    expect(record.attributes[ATTR_PROCESS_TIMERS]).toBe(1);
  });

  it('is in the trace context of the attempt it describes', () => {
    const [, traceId, spanId] = /attempt ([0-9a-f]{32}) ([0-9a-f]{16})/.exec(worker.output()) ?? [];
    expect(record.traceId).toBe(traceId);
    expect(record.spanId).toBe(spanId);
  });
});
