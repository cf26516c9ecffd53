import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ATTR_DUMP_PATH,
  ATTR_DUMP_TRIGGER,
  ATTR_EVENT_NAME,
  ATTR_SNAPSHOT_ACTIVE_JOBS,
  ATTR_SNAPSHOT_EVENT_LOOP_DELAY,
  ATTR_SNAPSHOT_HEAP_USED,
  ATTR_SNAPSHOT_RSS,
  LOG_WORKER_DUMP,
} from '@joblens/semconv';
import type { Logger } from '@opentelemetry/api-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ActiveAttemptsView } from '../active-attempts.js';
import { collectDump, type DumpDocument } from './collect-dump.js';
import { defaultDumpDirectory, dumpFilePrefix } from './dump-location.js';

/** What writing a dump needs from the running SDK (a `FeatureContext` fits). */
export type DumpContext = {
  readonly options: { readonly dumpDirectory?: string };
  readonly activeAttempts: ActiveAttemptsView;
  readonly logger: Logger;
  onError(error: unknown): void;
  eventLoopDelaySeconds(): number;
};

let sequence = 0;

/**
 * Writes a dump file (active jobs, heap, event-loop delay, handles, Node's diagnostic report with
 * secrets redacted), emits a `joblens.worker.dump` log record and prints one line to stderr.
 * Resolves with the file's path, or undefined when it could not be written. Never rejects.
 */
export async function writeDump(ctx: DumpContext, trigger: string): Promise<string | undefined> {
  let document: DumpDocument;
  const directory = ctx.options.dumpDirectory ?? defaultDumpDirectory();
  // Unique per process even for two dumps in one millisecond, and sortable by time.
  const n = sequence++;
  const path = join(directory, `${dumpFilePrefix(process.pid)}${Date.now()}-${n}.json`);
  // Written under a name the CLI does not match, then renamed: a reader never sees half a file.
  const partialPath = join(directory, `.partial-${process.pid}-${n}.json`);
  try {
    document = collectDump({
      trigger,
      attempts: ctx.activeAttempts.list(),
      eventLoopDelaySeconds: safeNumber(() => ctx.eventLoopDelaySeconds()),
      nowMs: Date.now(),
      onError: (error) => ctx.onError(error),
    });
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await writeFile(partialPath, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(partialPath, path);
  } catch (cause) {
    await rm(partialPath, { force: true }).catch(() => {});
    ctx.onError(new Error(`writing a dump to ${directory}`, { cause }));
    return undefined;
  }
  try {
    ctx.logger.emit({
      eventName: LOG_WORKER_DUMP,
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'worker dump',
      attributes: {
        [ATTR_EVENT_NAME]: LOG_WORKER_DUMP,
        [ATTR_DUMP_PATH]: path,
        [ATTR_DUMP_TRIGGER]: trigger,
        [ATTR_SNAPSHOT_ACTIVE_JOBS]: document.activeJobs.length,
        [ATTR_SNAPSHOT_HEAP_USED]: document.memory.heapUsed,
        [ATTR_SNAPSHOT_RSS]: document.memory.rss,
        [ATTR_SNAPSHOT_EVENT_LOOP_DELAY]: document.eventLoopDelaySeconds,
      },
    });
    process.stderr.write(`joblens: dump written to ${path}\n`);
  } catch (cause) {
    ctx.onError(new Error('reporting a written dump', { cause }));
  }
  return path;
}

function safeNumber(read: () => number): number {
  try {
    const value = read();
    return Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}
