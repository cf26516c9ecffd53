/**
 * The analyzer as the benchmarks run it: a child process of its own (so that its CPU and memory are
 * its own), the full `createAnalyzer` with an in-memory database, both ports ephemeral. When the full
 * analyzer cannot start, it falls back to the receiver feeding the job model (and says so on stderr),
 * so the receiver's share can still be measured. Talks to its parent over IPC: sends `{ otlpUrl }`
 * once listening; answers `'measure'` with its memory and window sizes after a full GC (started with
 * --expose-gc) and `'cpu'` with its CPU time; exits on `'stop'`.
 */
import type { AddressInfo } from 'node:net';
import type { TelemetryModel } from '../src/model/telemetry-model.js';

interface Running {
  otlpUrl: string;
  model: TelemetryModel;
  stop(): Promise<void>;
}

async function startFull(): Promise<Running> {
  const { createAnalyzer } = await import('../src/analyzer.js');
  const analyzer = createAnalyzer({ host: '127.0.0.1', port: 0, otlpPort: 0, dataDir: ':memory:' });
  const { otlpUrl } = await analyzer.start();
  return { otlpUrl, model: analyzer.model, stop: () => analyzer.stop() };
}

async function startReceiverAndModel(): Promise<Running> {
  const { createOtlpApp } = await import('../src/otlp/otlp-app.js');
  const { TelemetryModel } = await import('../src/model/telemetry-model.js');
  const model = new TelemetryModel();
  const app = createOtlpApp({
    sink: {
      acceptSpans: (spans) => model.ingestSpans(spans),
      acceptLogs: (logs) => model.ingestLogs(logs),
      acceptMetrics: (points) => model.ingestMetrics(points),
    },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    otlpUrl: `http://127.0.0.1:${port}`,
    model,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let running: Running;
try {
  running = await startFull();
} catch (error) {
  process.stderr.write(
    `bench: the full analyzer did not start (${(error as Error).message}); measuring the receiver and job model only\n`,
  );
  running = await startReceiverAndModel();
}
process.send?.({ otlpUrl: running.otlpUrl });

process.on('message', (message) => {
  const usage = process.cpuUsage();
  if (message === 'measure') {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    process.send?.({ rss: memory.rss, heapUsed: memory.heapUsed, windows: running.model.windowSizes() });
  } else if (message === 'cpu') {
    process.send?.({ cpuMicros: usage.user + usage.system });
  } else if (message === 'stop') {
    running.stop().finally(() => process.exit(0));
  }
});
