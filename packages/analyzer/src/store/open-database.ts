import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** The analyzer's database file inside its data directory. */
export const DATABASE_FILE_NAME = 'joblens.db';

/** `dataDir` value for a database that lives in memory only (tests, throwaway runs). */
export const IN_MEMORY = ':memory:';

/**
 * The file holds findings, attempt attributes and ping bodies: only the analyzer's user may read it.
 * A folder the analyzer creates is 0700 whatever the umask; the file is created 0600 before SQLite opens
 * it, and SQLite gives its WAL and shm files the same mode. A file from an older analyzer is tightened;
 * a folder that already existed is left as it is, as it may be shared (`--data-dir .`).
 */
function createPrivately(dataDir: string, path: string): void {
  const created = mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (created !== undefined) chmodSync(dataDir, 0o700);
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

/**
 * Opens (creating when needed) `<dataDir>/joblens.db`, shared by findings and monitors; `:memory:`
 * opens a private in-memory database instead.
 * WAL lets readers (the API) go on while the evaluation loop writes; synchronous=FULL makes every
 * committed transaction durable before `save()` returns, so a kill -9 loses nothing acknowledged.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  if (dataDir === IN_MEMORY) return new Database(IN_MEMORY);
  const path = join(dataDir, DATABASE_FILE_NAME);
  try {
    createPrivately(dataDir, path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Another process (a second analyzer by mistake, a sqlite3 shell) holding a lock should slow us, not fail us.
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (cause) {
    throw new Error(`opening the database ${path}`, { cause });
  }
}
