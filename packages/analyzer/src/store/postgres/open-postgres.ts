import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/** How long a query may wait for a connection before it fails, so ingest can answer 503 rather than hang. */
const CONNECT_TIMEOUT_MILLIS = 5000;
/** Connections per analyzer: the evaluation loop, the history writer, the API and pings share them. */
const MAX_CONNECTIONS = 8;

/**
 * A pool on `databaseUrl`. node-postgres reconnects by itself: a dropped connection is removed from the
 * pool and the next query opens a new one. An idle connection that dies emits `error` on the pool, which
 * would crash the process if nobody listened; `onError` hears it instead.
 */
export function openPostgres(databaseUrl: string, onError: (error: Error) => void = () => {}): PgPool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: MAX_CONNECTIONS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MILLIS,
    // Our rows carry epoch milliseconds in BIGINT columns; they fit a double exactly.
    types: { getTypeParser: bigintAsNumber },
    application_name: 'joblens-analyzer',
  });
  pool.on('error', onError);
  return pool;
}

const INT8_OID = 20;
function bigintAsNumber(oid: number, format?: 'text' | 'binary') {
  if (oid === INT8_OID) return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format);
}

/** Clients that already have a listener for connection errors (once per pooled client, not per checkout). */
const heard = new WeakSet<PgClient>();

/**
 * Runs `work` in one transaction on one connection, rolling back when it throws. A connection that dies
 * while checked out emits `error` on the client, not on the pool: unheard, that would crash the process,
 * while the query in flight rejects anyway. A connection that cannot even roll back is dropped from the
 * pool rather than handed to the next caller.
 */
export async function inTransaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  if (!heard.has(client)) {
    client.on('error', () => {});
    heard.add(client);
  }
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** `postgres://user:secret@host/db` with the password removed, for logs and the startup banner. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}
