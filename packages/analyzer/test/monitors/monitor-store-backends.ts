import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@joblens/test-utils';
import pg from 'pg';
import type { AlertOutbox } from '../../src/alerts/alert-outbox.js';
import type { MonitorStore } from '../../src/monitors/monitor-store.js';
import { openMonitorStore } from '../../src/monitors/open-monitor-store.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.js';
import { openPostgres, type PgPool } from '../../src/store/postgres/open-postgres.js';
import { PostgresAlertOutbox } from '../../src/store/postgres/postgres-alert-outbox.js';
import { SqliteAlertOutbox } from '../../src/store/sqlite-alert-outbox.js';

/** What one analyzer opens on the test's database: its monitor store and the outbox beside it. */
export interface MonitorStoreHandle {
  store: MonitorStore;
  outbox: AlertOutbox;
  /** With PostgreSQL: the analyzer's pool, for tests that hold a monitor's lock by hand. */
  pool?: PgPool;
}

/** One test's empty database; each `open()` connects anew, as another analyzer would. */
export interface MonitorDatabase {
  open(): Promise<MonitorStoreHandle>;
  close(): Promise<void>;
}

export interface MonitorStoreBackend {
  name: string;
  fresh(): Promise<MonitorDatabase>;
  /** Drops what the backend created for the whole file (afterAll). */
  dispose(): Promise<void>;
}

export function sqliteMonitorBackend(): MonitorStoreBackend {
  return {
    name: 'SQLite',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'joblens-monitor-store-'));
      const dbs: SqliteDatabase[] = [];
      return {
        async open() {
          const db = openDatabase(dir);
          dbs.push(db);
          const outbox = new SqliteAlertOutbox(db);
          const store = openMonitorStore({ db, outbox });
          await store.open();
          return { store, outbox };
        },
        async close() {
          for (const db of dbs) if (db.open) db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    async dispose() {},
  };
}

/**
 * One database per test file (createTestDatabase, dropped in `dispose`) and one schema per test,
 * selected through the connection's search_path: each test starts empty without a CREATE DATABASE.
 */
export function postgresMonitorBackend(prefix = 'joblens_monitors'): MonitorStoreBackend {
  let database: Promise<TestDatabase> | undefined;
  let schemas = 0;
  return {
    name: 'PostgreSQL',
    async fresh() {
      database ??= createTestDatabase(prefix);
      const { url } = await database;
      const schema = `t_${++schemas}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const scoped = new URL(url);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      const pools: PgPool[] = [];
      const dbs: SqliteDatabase[] = [];
      return {
        async open() {
          const pool = openPostgres(scoped.toString());
          pools.push(pool);
          const db = openDatabase(':memory:');
          dbs.push(db);
          const outbox = new PostgresAlertOutbox(pool, `analyzer-${pools.length}`);
          const store = openMonitorStore({ db, pool, outbox });
          await store.open();
          return { store, outbox, pool };
        },
        async close() {
          await Promise.all(pools.map((pool) => pool.end()));
          for (const db of dbs) if (db.open) db.close();
        },
      };
    },
    async dispose() {
      if (database) await (await database).drop();
    },
  };
}
