import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChannelModel, connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { type AnalyzerHandle, createAnalyzer } from '../../src/index.js';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
/** A poison message requeued 12 times: 13 deliveries, the last nacked without requeue. */
const POISON_DELIVERIES = 13;
const STORM_MESSAGES = 30;
const worker = fileURLToPath(new URL('./fixtures/amqplib-worker.cjs', import.meta.url));

describe('a RabbitMQ consumer seen only through OpenTelemetry’s amqplib instrumentation', () => {
  // Unique per run, so that runs never see each other's messages; deleted after.
  const prefix = `joblens-test-${process.pid}-${Date.now()}`;
  const queues = { poison: `${prefix}.poison`, storm: `${prefix}.storm`, gap: `${prefix}.gap` };
  let analyzer: AnalyzerHandle;
  let apiUrl: string;
  let broker: ChannelModel;
  let consumer: ChildProcess;
  let output = '';
  let findings: Finding[] = [];

  /** The finding of `type` about `queue`; with `jobId`, the one about that job. */
  const find = (type: string, queue: string, jobId?: string) =>
    findings.find(
      (finding) =>
        finding.type === type &&
        finding.subject.queue === queue &&
        (jobId === undefined || finding.subject.jobId === jobId),
    );

  beforeAll(async () => {
    analyzer = createAnalyzer({
      port: 0,
      otlpPort: 0,
      dataDir: ':memory:',
      evaluationIntervalMillis: 100,
      // A second and a half of silence stands in for a long hang; the test waits for findings, not a set time.
      detectors: { mystery_gap: { gapThresholdSeconds: 1, settleSeconds: 0.5 } },
    });
    const urls = await analyzer.start();
    const otlpUrl = urls.otlpUrl;
    apiUrl = urls.apiUrl;
    broker = await connect(AMQP_URL);
    const channel = await broker.createChannel();
    // The poison queue is a quorum queue: RabbitMQ counts its deliveries in `x-delivery-count`.
    await channel.assertQueue(queues.poison, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.assertQueue(queues.storm, { durable: false });
    await channel.assertQueue(queues.gap, { durable: false });
    consumer = spawn(process.execPath, [worker], {
      env: {
        ...process.env,
        FIXTURE_AMQP_URL: AMQP_URL,
        FIXTURE_ENDPOINT: otlpUrl,
        FIXTURE_QUEUES: JSON.stringify(queues),
        FIXTURE_POISON_DELIVERIES: String(POISON_DELIVERIES),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    consumer.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    consumer.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    for (let i = 0; i < 200 && !output.includes('consuming'); i++) await sleep(50);
    if (!output.includes('consuming')) throw new Error(`the consumer did not start:\n${output}`);
    // Message ids are what the instrumentation records as `messaging.message_id`: set them when publishing.
    channel.sendToQueue(queues.poison, Buffer.from('{'), { messageId: 'poison-1' });
    for (let i = 0; i < STORM_MESSAGES; i++)
      channel.sendToQueue(queues.storm, Buffer.from(`{"order":${i}}`), { messageId: `order-${i}` });
    channel.sendToQueue(queues.gap, Buffer.from('{}'), { messageId: 'report-1' });
    await channel.close();
    for (let i = 0; i < 300; i++) {
      const body = (await (await fetch(`${apiUrl}/api/findings`)).json()) as { findings: Finding[] };
      findings = body.findings;
      const raised = [
        find('runaway_retries', queues.poison, 'poison-1'),
        find('retry_storm', queues.storm),
        find('mystery_gap', queues.gap),
      ];
      if (raised.every((finding) => finding !== undefined)) break;
      await sleep(100);
    }
  }, 60_000);

  afterAll(async () => {
    consumer?.kill('SIGKILL');
    if (broker !== undefined) {
      const channel = await broker.createChannel();
      for (const queue of Object.values(queues)) await channel.deleteQueue(queue);
      await broker.close();
    }
    await analyzer?.stop();
  });

  it('raises runaway_retries for the message requeued 12 times, counting its deliveries as attempts', () => {
    const finding = find('runaway_retries', queues.poison, 'poison-1');
    expect(
      finding,
      `findings: ${JSON.stringify(findings.map((f) => [f.type, f.subject]))}\n${output}`,
    ).toBeDefined();
    expect(finding?.subject).toMatchObject({
      service: 'amqp-worker',
      queue: queues.poison,
      jobId: 'poison-1',
    });
    expect(finding?.evidence.figures).toMatchObject({
      attempt: POISON_DELIVERIES,
      // One `recordException` on the consumer span names the error.
      repeatedErrorType: 'PoisonPayloadError',
      lastOutcome: 'failed',
    });
  });

  it('raises runaway_retries for the retry ratio of the poison queue, counting requeues as retries', () => {
    const ratio = findings.find(
      (finding) => finding.key.startsWith('ratio|') && finding.subject.queue === queues.poison,
    );
    expect(ratio?.evidence.figures).toMatchObject({
      retriedAttempts: POISON_DELIVERIES - 1,
      attempts: POISON_DELIVERIES,
    });
  });

  it('raises retry_storm for the 30 messages failing together, under the error type a child span recorded', () => {
    const finding = find('retry_storm', queues.storm);
    expect(finding, JSON.stringify(findings.map((f) => [f.type, f.subject]))).toBeDefined();
    expect(finding?.evidence.figures).toMatchObject({
      distinctJobs: STORM_MESSAGES,
      errorType: 'GatewayDownError',
    });
  });

  it('raises mystery_gap for the silence between the two child spans', () => {
    const finding = find('mystery_gap', queues.gap);
    expect(finding, JSON.stringify(findings.map((f) => [f.type, f.subject]))).toBeDefined();
    expect(JSON.stringify(finding?.evidence)).toContain('fetch');
  });

  it('names the real queue in every finding, never the span name or the exchange', () => {
    const named = findings.filter((finding) => finding.subject.queue !== undefined);
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const finding of named) expect(Object.values(queues)).toContain(finding.subject.queue);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
