/**
 * One simulated host of the demo fleet: started by the demo with `node --import tsx`, instrumented
 * with the real SDK, sending real OTLP straight to the analyzer. Its config comes as JSON in
 * JOBLENS_DEMO_WORKER; the parent controls it over the fork IPC channel.
 */
import { startJoblens } from '@joblens/sdk';
import { ATTR_HOST_NAME } from '@joblens/semconv';
import { startBullmqConsumers } from './bullmq-consumers.js';
import { startCron } from './cron-runner.js';
import { startLocalConsumers } from './local-consumers.js';
import { readWorkerConfig } from './read-worker-config.js';
import type { ParentMessage, WorkerMessage } from './worker-protocol.js';

const config = readWorkerConfig(process.env);
const send = (message: WorkerMessage) => {
  if (process.connected) process.send?.(message);
};

// Before the SDK and its watchdog start: fetch loads its HTTP client on first use, and on a busy machine
// that load holds the event loop long enough for the watchdog to report a block nobody injected.
await fetch(`${config.upstreamUrl}/health`)
  .then((response) => response.text())
  .catch(() => {});

// Loading is the heavy part of starting and goes on in turns across the fleet; the SDK starts when the
// parent says so, on every worker at once, so no worker sits idle with heartbeats while others load.
send({ type: 'loaded' });
await new Promise<void>((resolve) => {
  const onMessage = (message: ParentMessage) => {
    if (message.type !== 'start') return;
    process.off('message', onMessage);
    resolve();
  };
  process.on('message', onMessage);
});

const joblens = startJoblens({
  serviceName: config.serviceName,
  serviceInstanceId: config.instanceId,
  resourceAttributes: { [ATTR_HOST_NAME]: config.host },
  endpoint: config.otlpEndpoint,
  stillRunningIntervalMillis: config.sdk.stillRunningIntervalMillis,
  metricExportIntervalMillis: config.sdk.metricExportIntervalMillis,
  prometheusPort: config.prometheusPort,
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
// The first export builds the OTLP serializers; let that happen before the fleet counts as ready.
await joblens.forceFlush().catch(() => {});
send({ type: 'ready', instanceId: config.instanceId });
