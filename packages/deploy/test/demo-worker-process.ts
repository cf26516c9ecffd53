import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../src/repo-paths.js';

export type DemoWorkerProcess = {
  instanceId: string;
  prometheusPort: number;
  child: ChildProcess;
  stop(): Promise<void>;
};

/** Runs packages/deploy/src/demo-worker as a child process, as compose runs it, with the given settings. */
export function startDemoWorker(settings: {
  instanceId: string;
  prometheusPort: number;
  otlpEndpoint: string;
  serviceName: string;
  env: Record<string, string>;
}): DemoWorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/deploy/src/demo-worker/demo-worker.ts'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        OTEL_SERVICE_NAME: settings.serviceName,
        OTEL_EXPORTER_OTLP_ENDPOINT: settings.otlpEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        JOBLENS_DEMO_INSTANCE_ID: settings.instanceId,
        JOBLENS_DEMO_PROMETHEUS_PORT: String(settings.prometheusPort),
        JOBLENS_DEMO_STILL_RUNNING_MILLIS: '1000',
        ...settings.env,
      },
    },
  );
  return {
    instanceId: settings.instanceId,
    prometheusPort: settings.prometheusPort,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
