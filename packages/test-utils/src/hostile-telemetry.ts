import { randomBytes } from 'node:crypto';

/**
 * Telemetry a careless or hostile fleet sends, as OTLP/JSON request bodies for a real analyzer's
 * receiver: secrets where apps leak them (error messages, status messages, auth headers, connection
 * strings in job names) and job names built to attack whoever prints them (terminal escapes, HTML).
 */

const DB_PASSWORD = 'hunter2-hostile';
const BEARER_TOKEN = 'eyBearerToken0123456789abcdef';
const URL_PASSWORD = 'secretpw-hostile';
const API_KEY = 'sk-live-0123456789abcdef';

/** Every secret the requests below carry; none may come out of the analyzer anywhere. */
export const HOSTILE_SECRETS: readonly string[] = [DB_PASSWORD, BEARER_TOKEN, URL_PASSWORD, API_KEY];

/** A job name holding a connection string with a password. */
export const JOB_NAME_WITH_URL_PASSWORD = `sync postgres://u:${URL_PASSWORD}@h/db`;
/** What the analyzer should keep of it. */
export const JOB_NAME_REDACTED = 'sync postgres://u:[REDACTED]@h/db';
/** An exception message with a password assignment, and what should be kept of it. */
export const ERROR_MESSAGE_WITH_PASSWORD = `login failed: password=${DB_PASSWORD}`;
export const ERROR_MESSAGE_REDACTED = 'login failed: password=[REDACTED]';
/** A job name that retitles and clears a terminal and carries markup. */
export const TERMINAL_AND_HTML_JOB_NAME =
  '\x1b]0;pwned\x07<script>alert(1)</script>\x1b[2J\rreport\x9b2J\u202eexe';
/** A ping body (a cron job's log) that prints credentials. */
export const PING_BODY_WITH_SECRETS = `backup done; PGPASSWORD=${DB_PASSWORD} via postgres://u:${URL_PASSWORD}@h/db`;

type JsonValue = { stringValue: string } | { intValue: string };
const kv = (key: string, value: string | number) => ({
  key,
  value: (typeof value === 'number' ? { intValue: String(value) } : { stringValue: value }) as JsonValue,
});
const nanos = (ms: number) => `${Math.round(ms)}000000`;

export interface FailingJobInit {
  /** Start of the first attempt, Unix ms. */
  startMs: number;
  jobName: string;
  /** Default 5 (runaway_retries' default threshold). */
  attempts?: number;
  service?: string;
}

/**
 * An OTLP/JSON trace request: one job failing attempt after attempt (1 s each, 1 s apart), every
 * attempt leaking a password in its exception message, a bearer token in its status message and an
 * authorization header and API key as attributes.
 */
export function failingJobRequest(init: FailingJobInit): unknown {
  const jobId = randomBytes(6).toString('hex');
  const attempts = init.attempts ?? 5;
  const spans = Array.from({ length: attempts }, (_, i) => {
    const startMs = init.startMs + i * 2000;
    return {
      traceId: randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      name: 'process payments',
      kind: 5,
      startTimeUnixNano: nanos(startMs),
      endTimeUnixNano: nanos(startMs + 1000),
      attributes: [
        kv('messaging.system', 'joblens'),
        kv('messaging.operation.type', 'process'),
        kv('messaging.destination.name', 'payments'),
        kv('joblens.job.id', jobId),
        kv('joblens.job.name', init.jobName),
        kv('joblens.job.attempt', i + 1),
        kv('joblens.job.max_attempts', attempts + 5),
        kv('joblens.job.outcome', 'retry_scheduled'),
        kv('error.type', 'AuthError'),
        kv('http.request.header.authorization', `Bearer ${BEARER_TOKEN}`),
        kv('app.api_key', API_KEY),
      ],
      events: [
        {
          name: 'exception',
          timeUnixNano: nanos(startMs + 900),
          attributes: [
            kv('exception.type', 'AuthError'),
            kv('exception.message', ERROR_MESSAGE_WITH_PASSWORD),
          ],
        },
      ],
      status: { code: 2, message: `refused with Authorization: Bearer ${BEARER_TOKEN}` },
    };
  });
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            kv('service.name', init.service ?? 'payments'),
            kv('service.instance.id', 'worker-1'),
            kv('host.name', 'host-a'),
            kv('process.command_args', `node worker.js --db-password=${DB_PASSWORD}`),
          ],
        },
        scopeSpans: [{ scope: { name: '@joblens/sdk' }, spans }],
      },
    ],
  };
}
