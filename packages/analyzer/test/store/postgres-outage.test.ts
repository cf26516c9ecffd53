import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from '@joblens/test-utils';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnalyzerHandle, createAnalyzer } from '../../src/analyzer.js';

let database: TestDatabase | undefined;
let analyzer: AnalyzerHandle | undefined;
afterEach(async () => {
  await analyzer?.stop();
  await database?.drop();
  analyzer = database = undefined;
});

/** Runs one statement as the server's administrator, on the maintenance database. */
async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('an analyzer on PostgreSQL', () => {
  it('refuses telemetry with 503 and Retry-After while the database is unreachable, and takes it again once it is back', async () => {
    database = await createTestDatabase('joblens_outage');
    analyzer = createAnalyzer(
      {
        port: 0,
        otlpPort: 0,
        dataDir: ':memory:',
        databaseUrl: database.url,
        evaluationIntervalMillis: 50,
      },
      { instanceName: 'outage-test' },
    );
    const { otlpUrl, apiUrl } = await analyzer.start();
    const post = () =>
      fetch(`${otlpUrl}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await post()).status).toBe(200);

    // The database refuses new connections and drops the ones open: as a server gone away.
    await asAdmin(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await asAdmin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.name}'`,
    );
    const refused = await eventually(async () => {
      const response = await post();
      return response.status === 503 ? response : undefined;
    }, 'a 503 while PostgreSQL is unreachable');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const health = await fetch(`${apiUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, store: { ok: false } });

    await asAdmin(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    await eventually(async () => ((await post()).status === 200 ? true : undefined), 'a 200 once it is back');
    expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
  }, 60_000);
});
