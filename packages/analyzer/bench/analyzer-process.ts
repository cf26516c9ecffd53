/**
 * The analyzer as the benchmarks run it: a child process of its own (so that its CPU and memory are
 * its own), the full `createAnalyzer` with an in-memory database, both ports ephemeral; or, to see
 * where time and memory go, the receiver feeding only the job model, or the receiver alone (see
 * `mode` below). When the full analyzer cannot start, it falls back to receiver and model (and says
 * so on stderr). Talks to its parent over IPC: sends `{ otlpUrl }`
 * once listening; answers `'measure'` with its memory and window sizes after a full GC (started with
 * --expose-gc), `'cpu'` with its CPU time and `'evaluate'` once it evaluated; exits on `'stop'`.
 */
import type { AddressInfo } from 'node:net';
import type { TelemetryModel } from '../src/model/telemetry-model.js';

interface Running {
  otlpUrl: string;
  /** The page, API, /healthz and /metrics; '' in the modes without them. */
  apiUrl: string;
  /** Runs the detectors and counts new attempts into /metrics now (the full analyzer only). */
  evaluate(): Promise<void>;
  model: TelemetryModel;
  /** Open findings, when the full analyzer runs. */
  openFindings(): Promise<number>;
  stop(): Promise<void>;
}

async function startFull(): Promise<Running> {
  const { createAnalyzer } = await import('../src/analyzer.js');
  // JOBLENS_BENCH_DATA_DIR: a directory for the SQLite file (default in memory); JOBLENS_BENCH_HISTORY=off:
  // finished attempts are not written to the job history.
  const analyzer = createAnalyzer(
    { host: '127.0.0.1', port: 0, otlpPort: 0, dataDir: process.env.JOBLENS_BENCH_DATA_DIR ?? ':memory:' },
    { recordHistory: process.env.JOBLENS_BENCH_HISTORY !== 'off' },
  );
  const { otlpUrl, apiUrl } = await analyzer.start();
  return {
    otlpUrl,
    apiUrl,
    evaluate: () => analyzer.evaluateNow(),
    model: analyzer.model,
    openFindings: async () => (await analyzer.store.open()).length,
    stop: () => analyzer.stop(),
  };
}

/** Records the receiver-only mode decoded and dropped. */
let droppedRecords = 0;

/** The receiver alone (`withModel` false: records are counted and dropped) or feeding the job model. */
async function startReceiver(withModel: boolean): Promise<Running> {
  const { createServer } = await import('node:http');
  const { createOtlpListener } = await import('@joblens/otlp-receiver');
  const { TelemetryModel } = await import('../src/model/telemetry-model.js');
  const model = new TelemetryModel();
  // The same listener as the full analyzer's OTLP port, so that the modes differ only in what is fed.
  const listener = createOtlpListener({
    sink: withModel
      ? {
          acceptSpans: (spans) => model.ingestSpans(spans),
          acceptLogs: (logs) => model.ingestLogs(logs),
          acceptMetrics: (points) => model.ingestMetrics(points),
        }
      : {
          acceptSpans: (spans) => {
            droppedRecords += spans.length;
          },
          acceptLogs: (logs) => {
            droppedRecords += logs.length;
          },
          acceptMetrics: (points) => {
            droppedRecords += points.length;
          },
        },
  });
  const server = createServer(listener).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    otlpUrl: `http://127.0.0.1:${port}`,
    apiUrl: '',
    evaluate: async () => {},
    model,
    openFindings: async () => 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `JOBLENS_BENCH_ANALYZER`: `full` (default), `model` (receiver and job model) or `receiver` (alone). */
const mode = process.env.JOBLENS_BENCH_ANALYZER ?? 'full';
let running: Running;
if (mode === 'full') {
  try {
    running = await startFull();
  } catch (error) {
    const reason = (error as Error).message;
    process.stderr.write(
      `bench: the full analyzer did not start (${reason}); measuring receiver and model only\n`,
    );
    running = await startReceiver(true);
  }
} else {
  running = await startReceiver(mode === 'model');
}
process.send?.({ otlpUrl: running.otlpUrl, apiUrl: running.apiUrl });

process.on('message', async (message) => {
  const usage = process.cpuUsage();
  if (message === 'measure') {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    process.send?.({
      ...memory,
      windows: running.model.windowSizes(),
      openFindings: await running.openFindings(),
      droppedRecords,
    });
  } else if (message === 'evaluate') {
    await running.evaluate();
    process.send?.({ evaluated: true });
  } else if (message === 'cpu') {
    process.send?.({ cpuMicros: usage.user + usage.system });
  } else if (message === 'stop') {
    running.stop().finally(() => process.exit(0));
  }
});
