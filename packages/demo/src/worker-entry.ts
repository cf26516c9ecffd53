/**
 * One simulated host of the demo fleet: started by the demo with `node --import tsx`, instrumented
 * with the real SDK, sending real OTLP straight to the analyzer. Its config comes as JSON in
 * JOBLENS_DEMO_WORKER; the parent controls it over the fork IPC channel.
 */
import { startJoblens } from '@joblens/sdk';
import { startBullmqConsumers } from './bullmq-consumers.js';
import { startCron } from './cron-runner.js';
import { startLocalConsumers } from './local-consumers.js';
import { readWorkerConfig } from './read-worker-config.js';
import type { ParentMessage, WorkerMessage } from './worker-protocol.js';

const config = readWorkerConfig(process.env);
const send = (message: WorkerMessage) => {
  if (process.connected) process.send?.(message);
};

const joblens = startJoblens({
  serviceName: config.serviceName,
  serviceInstanceId: config.instanceId,
  resourceAttributes: { 'host.name': config.host },
  endpoint: config.otlpEndpoint,
  stillRunningIntervalMillis: config.sdk.stillRunningIntervalMillis,
  metricExportIntervalMillis: config.sdk.metricExportIntervalMillis,
  watchdog: { enabled: true, blockedThresholdMillis: config.sdk.blockedThresholdMillis },
  // The parent stops workers with a shutdown message; a signal then means the parent is gone.
  flushOnSignals: true,
  onError: (error) => process.stderr.write(`joblens sdk (${config.host}): ${error.message}\n`),
});

let processed = 0;
const onProcessed = () => {
  processed++;
};
const consumers =
  config.transport.kind === 'bullmq'
    ? startBullmqConsumers(joblens, config, config.transport, onProcessed)
    : startLocalConsumers(joblens, config, send, onProcessed);
const cron = config.cron ? startCron(joblens, config.cron) : undefined;

const progressTimer = setInterval(() => send({ type: 'processed', count: processed }), 1000);
progressTimer.unref();

let stopping = false;
async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(progressTimer);
  cron?.stop();
  await consumers.close().catch(() => {});
  await joblens.shutdown().catch(() => {});
  process.exit(exitCode);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'command' && message.command === 'stop-consuming') consumers.stopConsuming();
  else if (message.type === 'command' && message.command === 'stop-cron') cron?.stop();
  else if (message.type === 'shutdown') void stop(0);
  else consumers.receive(message);
});
// The parent died or closed the channel: a demo worker has no reason to outlive it.
process.on('disconnect', () => void stop(0));

await consumers.ready;
await warmUp();
send({ type: 'ready', instanceId: config.instanceId });

/**
 * Loads what the first job and the first export would otherwise load lazily (fetch's HTTP client, the
 * OTLP serializers): on a busy machine that first load can hold the event loop long enough for the
 * watchdog to report a block nobody injected.
 */
async function warmUp(): Promise<void> {
  await fetch(`${config.upstreamUrl}/health`)
    .then((response) => response.text())
    .catch(() => {});
  await joblens.forceFlush().catch(() => {});
}
