import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_DUMP_PATH,
  ATTR_DUMP_TRIGGER,
  ATTR_SNAPSHOT_ACTIVE_JOBS,
  ATTR_SNAPSHOT_HEAP_USED,
  LOG_WORKER_DUMP,
} from '@joblens/semconv';
import { afterEach, describe, expect, it } from 'vitest';
import { type InMemoryJoblens, startInMemoryJoblens } from './fixtures/in-memory-joblens.js';

let running: InMemoryJoblens | undefined;
let directory: string | undefined;
afterEach(async () => {
  await running?.joblens.shutdown();
  running = undefined;
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('joblens.dump()', () => {
  it('emits a worker dump record naming the file, the trigger and a summary', async () => {
    directory = await mkdtemp(join(tmpdir(), 'joblens-dump-record-'));
    running = startInMemoryJoblens({ dumpDirectory: directory, watchdog: { enabled: false } });
    const { joblens, logs } = running;
    const path = await joblens.runAttempt({ queue: 'reports', jobName: 'render', jobId: 'r-1' }, (ctx) =>
      ctx.step('render-pdf', () => joblens.dump('api')),
    );
    expect(path).toBeDefined();
    const dump = JSON.parse(await readFile(path!, 'utf8'));
    expect(dump.activeJobs.map((job: { jobId: string; step: string }) => [job.jobId, job.step])).toEqual([
      ['r-1', 'render-pdf'],
    ]);

    await joblens.forceFlush();
    const records = logs.getFinishedLogRecords().filter((record) => record.eventName === LOG_WORKER_DUMP);
    expect(records).toHaveLength(1);
    expect(records[0].body).toBe('worker dump');
    expect(records[0].attributes).toMatchObject({
      [ATTR_DUMP_PATH]: path,
      [ATTR_DUMP_TRIGGER]: 'api',
      [ATTR_SNAPSHOT_ACTIVE_JOBS]: 1,
    });
    expect(records[0].attributes[ATTR_SNAPSHOT_HEAP_USED]).toBeGreaterThan(0);
  });

  it('resolves undefined and reports the error when the directory cannot be created', async () => {
    directory = await mkdtemp(join(tmpdir(), 'joblens-dump-record-'));
    const blocker = join(directory, 'a-file');
    await writeFile(blocker, 'not a directory');
    running = startInMemoryJoblens({ dumpDirectory: join(blocker, 'dumps'), watchdog: { enabled: false } });
    await expect(running.joblens.dump('api')).resolves.toBeUndefined();
    expect(running.errors.map((error) => error.message)).toContain(
      `writing a dump to ${join(blocker, 'dumps')}`,
    );
  });
});
