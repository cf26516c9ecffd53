const DEMO_FAULTS = ['flaky', 'hang', 'block', 'poison'] as const;
export type DemoFault = (typeof DEMO_FAULTS)[number];

/** What one demo worker does, read from its environment (compose sets these per service). */
export type DemoWorkerSettings = {
  /** JOBLENS_DEMO_QUEUE. Default `emails`. */
  queue: string;
  /** JOBLENS_DEMO_RATE_PER_SECOND: jobs produced per second into this worker's queue. Default 2. */
  ratePerSecond: number;
  /** JOBLENS_DEMO_CONCURRENCY: attempts run at once. Default 2. */
  concurrency: number;
  /** JOBLENS_DEMO_FAULTS: comma-separated faults to inject (flaky, hang, block, poison). Default none. */
  faults: ReadonlySet<DemoFault>;
  /** JOBLENS_DEMO_SCHEDULED_JOB: name of a job run every scheduled period (a heartbeat monitor's job). Default none. */
  scheduledJobName?: string;
  /** JOBLENS_DEMO_SCHEDULED_PERIOD_SECONDS. Default 30. */
  scheduledPeriodSeconds: number;
  /** JOBLENS_DEMO_INSTANCE_ID: the worker's service.instance.id. Default: the SDK's (a random UUID). */
  instanceId?: string;
  /** JOBLENS_DEMO_PROMETHEUS_PORT: the SDK's own scrape endpoint. Default: off. */
  prometheusPort?: number;
  /** JOBLENS_DEMO_STILL_RUNNING_MILLIS. Default 2000. */
  stillRunningIntervalMillis: number;
};

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function readDemoWorkerSettings(env: NodeJS.ProcessEnv): DemoWorkerSettings {
  const faults = new Set<DemoFault>();
  for (const item of (env.JOBLENS_DEMO_FAULTS ?? '').split(',')) {
    const fault = item.trim();
    if (fault === '') continue;
    if (!(DEMO_FAULTS as readonly string[]).includes(fault)) {
      throw new Error(
        `JOBLENS_DEMO_FAULTS must list some of ${DEMO_FAULTS.join(', ')}, got ${JSON.stringify(fault)}`,
      );
    }
    faults.add(fault as DemoFault);
  }
  const port = env.JOBLENS_DEMO_PROMETHEUS_PORT;
  return {
    queue: env.JOBLENS_DEMO_QUEUE || 'emails',
    ratePerSecond: positiveNumber(env, 'JOBLENS_DEMO_RATE_PER_SECOND', 2),
    concurrency: Math.floor(positiveNumber(env, 'JOBLENS_DEMO_CONCURRENCY', 2)),
    faults,
    scheduledJobName: env.JOBLENS_DEMO_SCHEDULED_JOB || undefined,
    scheduledPeriodSeconds: positiveNumber(env, 'JOBLENS_DEMO_SCHEDULED_PERIOD_SECONDS', 30),
    instanceId: env.JOBLENS_DEMO_INSTANCE_ID || undefined,
    prometheusPort: port ? Math.floor(positiveNumber(env, 'JOBLENS_DEMO_PROMETHEUS_PORT', 0)) : undefined,
    stillRunningIntervalMillis: positiveNumber(env, 'JOBLENS_DEMO_STILL_RUNNING_MILLIS', 2000),
  };
}
