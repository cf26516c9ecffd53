import { createAnalyzer } from '@joblens/analyzer';
import { MONITOR_SLUG } from './scenario.js';

/** SDK intervals for the demo's workers: seconds, so faults show within the run. */
export const DEMO_SDK_SETTINGS = {
  stillRunningIntervalMillis: 1000,
  metricExportIntervalMillis: 1000,
  blockedThresholdMillis: 500,
};

/**
 * Detector thresholds in seconds, sized against the demo's faults with margins for a loaded machine:
 * the silent call lasts 3 s (gap threshold 1.5 s) while healthy steps follow each other at once; the
 * hung job is silent for ever (threshold 5 s) while healthy jobs end within a second.
 */
export const DEMO_DETECTOR_OPTIONS: Record<string, Record<string, number>> = {};

/** The cron job runs every 2 s: a check-in missing for 4 s plus 4 s of grace takes the monitor down. */
export const DEMO_MONITORS = [{ slug: MONITOR_SLUG, periodSeconds: 4, graceSeconds: 4 }];

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
