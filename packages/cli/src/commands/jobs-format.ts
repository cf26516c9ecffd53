import type { ApiJobDetail, HistoryAttempt, JobSummary } from '@joblens/analyzer';

/** Widest a table cell grows; longer text is cut with an ellipsis. */
const CELL_WIDTH = 40;
const ERROR_WIDTH = 80;
/** Characters of the timeline's bar, from the first attempt's start to the last one's end. */
const BAR_WIDTH = 48;

/** `joblens jobs`: ended, service, queue, job, id, attempts, outcome, worker, error; newest first. */
export function formatJobsTable(jobs: readonly JobSummary[]): string {
  if (jobs.length === 0) return 'no stored job matches';
  const header = ['ENDED', 'SERVICE', 'QUEUE', 'JOB', 'ID', 'ATTEMPTS', 'OUTCOME', 'WORKER', 'ERROR'];
  const rows = jobs.map((job) => [
    formatMinute(job.lastEndMs),
    cell(job.service),
    cell(job.queue),
    cell(job.jobName),
    cell(job.jobId),
    String(job.attempts),
    job.lastOutcome,
    cell(job.lastWorker),
    cell([job.lastErrorType, job.lastErrorMessage].filter(Boolean).join(': '), ERROR_WIDTH) || '-',
  ]);
  return alignColumns([header, ...rows]);
}

/** `joblens jobs show`: the job, its findings, each attempt, and a timeline across retries. */
export function formatJobDetail(detail: ApiJobDetail, now: number): string {
  const lines: string[] = [];
  const job = detail.job;
  const first = detail.attempts[0];
  const name = job?.jobName ?? first?.jobName ?? '';
  const key = job ?? first;
  const where = key ? `${oneLine(key.service)}/${oneLine(key.queue)}` : '';
  const state = job
    ? `${job.lastOutcome} after ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}`
    : 'running';
  lines.push(`${oneLine(name)} #${oneLine(key?.jobId ?? '')} on ${where}: ${state}`);
  if (detail.live) {
    const live = detail.live;
    lines.push(
      `running now: attempt ${live.attempt} on ${oneLine(live.worker)} for ${seconds(live.elapsedSeconds)}` +
        `${live.currentStep ? ` in ${oneLine(live.currentStep)}` : ''}, silent for ${seconds(live.silenceSeconds)}, trace ${live.traceId}`,
    );
  }
  for (const f of detail.findings)
    lines.push(`finding ${f.id} (${f.type}, ${f.state}): ${cell(f.summary, ERROR_WIDTH)}`);
  lines.push('');
  if (detail.attempts.length === 0) lines.push('no attempt has finished yet');
  else lines.push(formatAttemptsTable(detail.attempts));
  lines.push('', 'timeline:', ...formatTimeline(detail, now));
  return lines.join('\n');
}

function formatAttemptsTable(attempts: readonly HistoryAttempt[]): string {
  const header = [
    '#',
    'WORKER',
    'HOST',
    'STARTED',
    'DURATION',
    'OUTCOME',
    'STEPS',
    'LONGEST GAP',
    'TRACE',
    'ERROR',
  ];
  const rows = attempts.map((a) => [
    String(a.attempt),
    cell(a.worker),
    cell(a.host),
    formatSecond(a.startMs),
    seconds((a.endMs - a.startMs) / 1000),
    a.outcome,
    String(a.steps.length),
    a.longestGapSeconds > 0
      ? `${seconds(a.longestGapSeconds)}${a.longestGapLocation ? ` ${cell(a.longestGapLocation)}` : ''}`
      : '-',
    a.traceId,
    cell([a.errorType, a.errorMessage].filter(Boolean).join(': '), ERROR_WIDTH) || '-',
  ]);
  return alignColumns([header, ...rows]);
}

/** One bar per attempt on a shared axis, `=` while it ran (`>` for the running one), its steps below it. */
function formatTimeline(detail: ApiJobDetail, now: number): string[] {
  const spans: TimelineSpan[] = detail.attempts.map((a) => ({
    label: `#${a.attempt}`,
    start: a.startMs,
    end: a.endMs,
    outcome: a.outcome,
    steps: a.steps,
  }));
  if (detail.live)
    spans.push({
      label: `#${detail.live.attempt}`,
      start: detail.live.startedMs,
      end: now,
      outcome: 'running',
      steps: detail.live.steps,
    });
  if (spans.length === 0) return ['  (nothing to draw)'];
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(start + 1, ...spans.map((s) => s.end));
  const column = (ms: number) =>
    Math.min(BAR_WIDTH - 1, Math.floor(((ms - start) / (end - start)) * BAR_WIDTH));
  const labelWidth = Math.max(...spans.map((s) => s.label.length));
  const lines = [
    `  ${' '.repeat(labelWidth)} +0 s${' '.repeat(BAR_WIDTH - 4)}+${seconds((end - start) / 1000)}`,
  ];
  for (const span of spans) {
    const bar = Array.from({ length: BAR_WIDTH }, () => ' ');
    const fill = span.outcome === 'running' ? '>' : '=';
    for (let i = column(span.start); i <= column(span.end); i++) bar[i] = fill;
    lines.push(
      `  ${span.label.padEnd(labelWidth)} |${bar.join('')}| ${seconds((span.end - span.start) / 1000)} ${span.outcome}`,
    );
    for (const step of span.steps.slice(0, 8))
      lines.push(
        `  ${' '.repeat(labelWidth)}   ${cell(step.name, 24)} +${seconds((step.startMs - span.start) / 1000)} for ${seconds((step.endMs - step.startMs) / 1000)}`,
      );
    if (span.steps.length > 8)
      lines.push(`  ${' '.repeat(labelWidth)}   and ${span.steps.length - 8} more steps`);
  }
  return lines;
}

interface TimelineSpan {
  label: string;
  start: number;
  end: number;
  /** The attempt's outcome, or `running`. */
  outcome: string;
  steps: ReadonlyArray<{ name: string; startMs: number; endMs: number }>;
}

function alignColumns(table: string[][]): string {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Text from workers on one line (the client already removed control characters), cut to `width`. */
function cell(text: string, width = CELL_WIDTH): string {
  const line = oneLine(text);
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function formatMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

function formatSecond(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function seconds(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value < 1) return `${Math.round(value * 1000)} ms`;
  if (value < 60) return `${value.toFixed(1)} s`;
  if (value < 3600) return `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
  return `${Math.floor(value / 3600)} h ${Math.round((value % 3600) / 60)} min`;
}
