import { chmodSync, closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type Logger, stderrLogger } from '../log/logger.js';
import type {
  HistoryAttempt,
  HistoryRetention,
  HistoryStore,
  JobKey,
  JobPage,
  JobSearch,
  JobSummary,
} from './history-store.js';
import { type EncodedAttempts, encodeAttempts } from './sqlite-attempt-wire.js';
import { SqliteHistoryStore } from './sqlite-history-store.js';

type WriterOp = 'appendEncoded' | 'prune' | 'close';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The writer thread's nice value (Linux, per thread). At 10 it gets about a tenth of a core that ingest
 * also wants, and all of one that ingest leaves idle: in the history bench, ingest answered in 9-10 s what
 * took 10.5-11 s with the writer at ingest's priority, and the writer still wrote every attempt, a few
 * seconds later. A writer that falls a queue behind makes the analyzer answer 503 until it caught up.
 */
export const HISTORY_WRITER_NICENESS = 10;

/** The job history's file in the data directory, beside `joblens.db`. */
export const HISTORY_FILE_NAME = 'history.db';

/**
 * The job history in `<dataDir>/history.db`, written from a thread of its own. better-sqlite3 works
 * synchronously, and at tens of thousands of attempts a second the inserts and their indexes would take
 * most of the event loop that ingest needs; in another thread they take another core. A file apart from
 * `joblens.db`: the thread is then its only writer, and neither the findings' transactions nor its own
 * can find the other's commit in their way (SQLite answers that with SQLITE_BUSY at once, not after a
 * wait). Reads (the API's searches) use a connection of the event loop's: in WAL mode they see every
 * committed append and do not wait for the writer. The thread is started again at the next write if it dies.
 */
export class ThreadedSqliteHistoryStore implements HistoryStore {
  private readonly reader: SqliteHistoryStore;
  private readonly path: string;
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /** `dataDir`: the analyzer's data directory, which exists already (`openDatabase` made it). */
  constructor(
    dataDir: string,
    private readonly logger: Logger = stderrLogger,
  ) {
    this.path = join(dataDir, HISTORY_FILE_NAME);
    // Like joblens.db, the history holds error messages: only the analyzer's user may read it.
    closeSync(openSync(this.path, 'a', 0o600));
    chmodSync(this.path, 0o600);
    const db = new Database(this.path);
    db.pragma('journal_mode = WAL');
    // Migrates the history's tables here, before the thread opens the file.
    this.reader = new SqliteHistoryStore(db, { ownsDatabase: true });
    // The thread checkpoints the WAL after its commits (see openHistoryWriterStore): it starts now.
    this.startWorker();
  }

  /**
   * Encoded here (see sqlite-attempt-wire.ts): the thread is sent one string, which it copies far faster
   * than objects, and puts most attempts into their rows as they come.
   */
  append(attempts: readonly HistoryAttempt[]): Promise<void> {
    if (attempts.length === 0) return Promise.resolve();
    return this.call('appendEncoded', encodeAttempts(attempts)) as Promise<void>;
  }

  searchJobs(search: JobSearch): Promise<JobPage> {
    return this.reader.searchJobs(search);
  }

  jobAttempts(job: JobKey): Promise<HistoryAttempt[]> {
    return this.reader.jobAttempts(job);
  }

  jobsById(jobId: string): Promise<JobSummary[]> {
    return this.reader.jobsById(jobId);
  }

  /** In the thread too: pruning writes, and two writers on one file would wait on each other's locks. */
  prune(retention: HistoryRetention): Promise<{ deletedAttempts: number }> {
    return this.call('prune', retention) as Promise<{ deletedAttempts: number }>;
  }

  sizeBytes(): Promise<number> {
    return this.reader.sizeBytes();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    try {
      if (worker !== undefined) await this.call('close', undefined);
    } finally {
      this.worker = undefined;
      await worker?.terminate();
      await this.reader.close();
    }
  }

  private async call(op: WriterOp, arg: unknown): Promise<unknown> {
    const worker = this.worker ?? this.startWorker();
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, arg });
    });
  }

  private startWorker(): Worker {
    const worker = new Worker(new URL('./sqlite-history-thread.mjs', import.meta.url), {
      workerData: { path: this.path, storeModuleUrl: import.meta.url, niceness: HISTORY_WRITER_NICENESS },
    });
    // Like the analyzer's timers: the servers keep the process alive, not the history.
    worker.unref();
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    // Nobody awaits it yet: a failed start is told to the next call, which then starts a new thread.
    this.ready.catch(() => {});
    worker.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error === undefined) pending?.resolve(message.result);
      else pending?.reject(new Error(message.error));
    });
    worker.once('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      const error = new Error(`the job history thread stopped (exit code ${code})`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
    worker.on('error', (error) => this.logger.error('the job history thread failed', error));
    return worker;
  }
}

/** How often the thread checkpoints the WAL even when it appends nothing (findings and pings still write). */
const CHECKPOINT_INTERVAL_MILLIS = 10_000;

/** What the thread does for the event loop (see sqlite-history-thread.mjs). */
export interface HistoryWriterStore {
  appendEncoded(wire: EncodedAttempts): Promise<void>;
  prune(retention: HistoryRetention): Promise<{ deletedAttempts: number }>;
  close(): Promise<void>;
}

/**
 * The store the thread writes with (see sqlite-history-thread.mjs): its own connection to the file.
 * synchronous=NORMAL, as WAL makes it safe: a committed append survives the process being killed, and
 * only the last ones could be lost to a power cut. FULL would add a sync to the disk per batch. It
 * checkpoints the WAL after its own large commits (SQLite's automatic checkpoint) and every 10 s.
 */
export function openHistoryWriterStore(path: string): HistoryWriterStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Job ids are often random (UUIDs), so new jobs land anywhere in the key index: a cache of 32 MiB
  // (SQLite's default is 2) keeps its upper levels and recent leaves in memory instead of reading them back
  // at every batch.
  db.pragma('cache_size = -32768');
  // A commit writes every page it changed to the WAL, and a checkpoint copies them into the file: new jobs
  // land all over the key index, so letting the WAL grow to 40 MiB between checkpoints (SQLite's default is
  // 4) copies a page changed by many batches once rather than once per few batches.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('busy_timeout = 5000');
  const timer = setInterval(() => {
    try {
      if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A checkpoint that cannot run now (the file busy or going away) runs at the next one.
    }
  }, CHECKPOINT_INTERVAL_MILLIS);
  timer.unref();
  const store = new SqliteHistoryStore(db, { ownsDatabase: true });
  return {
    appendEncoded: (wire) => store.appendEncoded(wire),
    prune: (retention) => store.prune(retention),
    close: () => store.close(),
  };
}
