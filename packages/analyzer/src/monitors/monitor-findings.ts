import type { FindingType } from '@joblens/semconv';
import { type RegisteredDetector, registerDetector } from '../detectors/detector-registry.js';
import type { FindingDraft } from '../detectors/finding-draft.js';
import type { MonitorService, MonitorStatus } from './monitor-service.js';
import { describeSchedule } from './parse-monitor-definition.js';

function draftFor({ definition, evaluation }: MonitorStatus): FindingDraft | undefined {
  const down = evaluation.down;
  if (!down || evaluation.state !== 'down') return undefined;
  const slug = definition.slug;
  const when = new Date(down.sinceMs).toISOString();
  const figures: Record<string, number | string | boolean> = {
    graceSeconds: definition.graceSeconds,
    schedule: describeSchedule(definition.schedule),
    reason: down.reason,
  };
  if (evaluation.lastCheckInMs !== undefined) figures.lastCheckInMs = evaluation.lastCheckInMs;
  const subject = {
    monitor: slug,
    ...(definition.service ? { service: definition.service } : {}),
    ...(definition.jobName ? { jobName: definition.jobName } : {}),
  };
  if (down.reason === 'runtime') {
    const maxRuntimeSeconds = definition.maxRuntimeSeconds ?? definition.graceSeconds;
    if (down.runId) figures.runId = down.runId;
    return {
      type: 'runaway_job',
      key: `monitor|${slug}`,
      severity: 'critical',
      subject,
      summary: `${slug}: a run has gone past its ${maxRuntimeSeconds} s maximum runtime without finishing (since ${when})`,
      nextStep: `Check whether the ${slug} run is hung or was killed without reporting; GET /api/monitors/${slug} lists the open runs.`,
      evidence: { figures: { ...figures, maxRuntimeSeconds }, traces: [] },
      since: down.sinceMs,
    };
  }
  if (down.exitCode !== undefined) figures.exitCode = down.exitCode;
  const summary =
    down.reason === 'failed'
      ? `${slug}: the scheduled work reported failure${down.exitCode !== undefined ? ` (exit code ${down.exitCode})` : ''} at ${when}`
      : `${slug}: no check-in came in time; down since ${when} (${describeSchedule(definition.schedule)}, grace ${definition.graceSeconds} s)`;
  return {
    type: 'missed_heartbeat',
    key: `monitor|${slug}`,
    severity: 'critical',
    subject,
    summary,
    nextStep:
      down.reason === 'failed'
        ? `Read the failed run's output in GET /api/monitors/${slug} (recent pings) and fix the job; the next success brings the monitor up.`
        : `Check that the scheduler (cron, timer, queue repeat) still runs ${slug} and that its pings reach the analyzer.`,
    evidence: { figures, traces: [] },
    since: down.sinceMs,
  };
}

/** Findings for every monitor that is down now (as the service's copy in memory tells it): `runaway_job` for a run past its maximum, else `missed_heartbeat`. */
export function monitorFindingDrafts(service: MonitorService): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const status of service.snapshot()) {
    const draft = draftFor(status);
    if (draft) drafts.push(draft);
  }
  return drafts;
}

/**
 * The monitors as detectors the analyzer's runner calls beside the others: one per finding type, each
 * reading the monitor service (the view is not needed: monitors keep their own state). A monitor that
 * comes back up stops returning its key, which resolves the finding.
 */
export function createMonitorDetectors(service: MonitorService): RegisteredDetector[] {
  const detectorFor = (type: FindingType): RegisteredDetector =>
    registerDetector({
      type,
      defaults: {},
      evaluate: () => monitorFindingDrafts(service).filter((draft) => draft.type === type),
    });
  return [detectorFor('missed_heartbeat'), detectorFor('runaway_job')];
}
