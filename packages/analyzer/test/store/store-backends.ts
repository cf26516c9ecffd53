import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@joblens/test-utils';
import pg from 'pg';
import { type FindingBackend, openFindingBackend } from '../../src/store/finding-backend.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.js';
import { openPostgres, type PgPool } from '../../src/store/postgres/open-postgres.js';

/** One test's empty database, on which `stores(owner)` opens stores as one analyzer would. */
export interface BackendUnderTest {
  /** Stores on this test's database; each call is a new connection, as a second analyzer's would be. */
  stores(owner?: string): FindingBackend;
  close(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  fresh(): Promise<BackendUnderTest>;
  /** Drops what the backend created for the whole file (afterAll). */
  dispose(): Promise<void>;
}

function sqliteBackend(): StoreBackend {
  return {
    name: 'SQLite',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'joblens-store-contract-'));
      const dbs: SqliteDatabase[] = [];
      return {
        stores(owner = 'analyzer-a') {
          const db = openDatabase(dir);
          dbs.push(db);
          return openFindingBackend({ db, owner });
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
 * One database per test file and one schema per test (selected through the connection's search_path):
 * each test starts empty without paying for a CREATE DATABASE.
 */
function postgresBackend(): StoreBackend {
  let database: Promise<TestDatabase> | undefined;
  let schemas = 0;
  return {
    name: 'PostgreSQL',
    async fresh() {
      database ??= createTestDatabase('joblens_store');
      const { url } = await database;
      const schema = `t_${++schemas}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const scoped = new URL(url);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      const pools: PgPool[] = [];
      return {
        stores(owner = 'analyzer-a') {
          const pool = openPostgres(scoped.toString());
          pools.push(pool);
          return openFindingBackend({ db: openDatabase(':memory:'), pool, owner });
        },
        async close() {
          await Promise.all(pools.map((pool) => pool.end()));
        },
      };
    },
    async dispose() {
      if (database) await (await database).drop();
    },
  };
}

/** Every backend a store contract runs against: the embedded default and the shared one. */
export function storeBackends(): StoreBackend[] {
  return [sqliteBackend(), postgresBackend()];
}
