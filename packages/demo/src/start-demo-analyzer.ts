import { createAnalyzer } from '@joblens/analyzer';
import { JOB_NAMES, MONITOR_SLUG } from './scenario.js';

/** SDK intervals for the demo's workers: seconds, so faults show within the run. */
export const DEMO_SDK_SETTINGS = {
  stillRunningIntervalMillis: 1000,
  metricExportIntervalMillis: 1000,
  // 500 ms is what a quiet machine could afford. On a loaded two-core runner the demo's workers see
  // their main thread held back for about a second now and then while the watchdog thread runs on
  // time (measured with three CPU hogs beside the fleet): real stalls, but not the injected one. The
  // fault blocks for 5 s, well past this.
  blockedThresholdMillis: 2000,
};

/**
 * Detector thresholds in seconds, sized against the demo's faults with margins for a loaded machine.
 * Each number is read against what the healthy traffic does, since any finding about it fails the demo.
 */
const DEMO_DETECTOR_OPTIONS: Record<string, Record<string, number>> = {
  // The silent call lasts 3 s; healthy steps follow each other at once.
  mystery_gap: { gapThresholdSeconds: 2, settleSeconds: 1 },
  // The hung job is silent for ever; the silent call looks silent for 3 s and the blocked loop for 5 s,
  // each plus up to 2 s of export delay.
  silent_job: { silenceThresholdSeconds: 10 },
  // The poison job gets there in about 5 s (1 s backoff); a payment of the outage retries at most 3 times.
  runaway_retries: { maxAttemptsThreshold: 5 },
  // The outage fails 24 payments at once; healthy traffic fails about 3 emails a minute.
  retry_storm: { burstWindowSeconds: 30, minDistinctJobs: 10 },
  // The invoice backlog keeps its oldest job waiting 1-3 s; only the invoice queue has three workers.
  // Healthy hosts share their queues evenly; a loaded machine can slow one of them down for a while,
  // so a slow host must be 3 times its peers' median, not the default 2, before it counts.
  host_imbalance: { windowSeconds: 60, minAttempts: 30, waitingAgeSeconds: 1, slowFactor: 3 },
  // Every healthy worker completes a job at least every 3 s once started; on a loaded machine its first
  // completion may come 10 s after its first heartbeat. Heartbeats come every second.
  silent_worker: { stuckAfterSeconds: 15, minGoneAfterSeconds: 20 },
  queue_starvation: { oldestReadyThresholdSeconds: 15, idleSeconds: 10, aliveWithinSeconds: 30 },
  // A killed worker's job is orphaned when the worker counts as gone (as silent_worker's 20 s); the lost
  // lock's two runs overlap by the second run's 6 s rasterize step.
  stalled_job: { goneAfterSeconds: 20, minOverlapSeconds: 1 },
};

/**
 * The cron job runs every 2 s: no check-in for 4 s plus 4 s of grace takes the monitor down. A run
 * takes ~0.1 s; the runtime limit stays far above the export delay between a run's start and its end.
 */
const DEMO_MONITORS = [
  {
    slug: MONITOR_SLUG,
    jobName: JOB_NAMES.nightlyCleanup,
    periodSeconds: 4,
    graceSeconds: 4,
    maxRuntimeSeconds: 30,
  },
];

export interface DemoAnalyzer {
  apiUrl: string;
  otlpUrl: string;
  stop(): Promise<void>;
}

export async function startDemoAnalyzer(settings: {
  port: number;
  otlpPort: number;
  dataDir: string;
}): Promise<DemoAnalyzer> {
  const analyzer = createAnalyzer({
    host: '127.0.0.1',
    port: settings.port,
    otlpPort: settings.otlpPort,
    dataDir: settings.dataDir,
    evaluationIntervalMillis: 1000,
    detectors: DEMO_DETECTOR_OPTIONS,
    monitors: DEMO_MONITORS,
  });
  const urls = await analyzer.start();
  return { apiUrl: urls.apiUrl, otlpUrl: urls.otlpUrl, stop: () => analyzer.stop() };
}
