import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** The analyzer's database file inside its data directory. */
export const DATABASE_FILE_NAME = 'joblens.db';

/** `dataDir` value for a database that lives in memory only (tests, throwaway runs). */
export const IN_MEMORY = ':memory:';

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
    mkdirSync(dataDir, { recursive: true });
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
