import { type AlertsConfig, DEFAULT_ALERTS_CONFIG } from './alerts-config.js';
/** Detector thresholds by finding type, then option name, e.g. `{ mystery_gap: { gapThresholdSeconds: 2 } }`. */
export type DetectorOverrides = Record<string, Record<string, number | string | boolean>>;

/** The analyzer's settings, all resolved. Every field has a default, so `{}` is a valid input. */
export interface AnalyzerConfig {
  /** Interface both servers bind to. Default `127.0.0.1`: nothing is exposed unless asked. */
  host: string;
  /** OTLP/HTTP port (`/v1/traces`, `/v1/metrics`, `/v1/logs`). Default 4318; 0 picks a free port. */
  otlpPort: number;
  /** API, findings page, `/metrics`, `/ping` port. Default 4320; 0 picks a free port. */
  port: number;
  /** Directory of the SQLite file `joblens.db`. Default `./.joblens`; `:memory:` keeps nothing on disk. */
  dataDir: string;
  /**
   * `postgres://…`: keep findings, monitors, pings, job history and the alert outbox in PostgreSQL
   * instead of the SQLite file, so that several analyzers share them. Default: none (SQLite in `dataDir`).
   */
  databaseUrl?: string;
  /** Finished attempts and resolved findings older than this are pruned. Default 7. */
  historyRetentionDays: number;
  /** The job history is pruned, oldest first, past this many bytes. Default 1 GiB. */
  historyMaxBytes: number;
  /**
   * Bearer token for all three roles (ingest, read, admin) whose own token is not set. Default: none.
   * See api/access-roles.ts for what each role may do.
   */
  token?: string;
  /** Token for the ingest role: OTLP on `otlpPort` and `/ping`. Default: `token`. */
  ingestToken?: string;
  /** Token for the read role: the page, API GETs and `/metrics`. The admin token reads too. Default: `token`. */
  readToken?: string;
  /** Token for the admin role: every state-changing request (monitors, acknowledge, snooze, channels). Default: `token`. */
  adminToken?: string;
  /**
   * Believe `X-Forwarded-Proto` and `X-Forwarded-Host` from the proxy in front (the page's cookie gets
   * `Secure` when the proxy says https). Default false: only a request that is itself https counts.
   */
  trustProxy: boolean;
  /** Jaeger UI base URL for trace links on the page (e.g. `http://localhost:16686`). Default: none. */
  jaegerUrl?: string;
  /** Shorthand for one Slack-compatible channel that receives every alert, whatever the routes say. Default: none. */
  alertWebhookUrl?: string;
  /** How often detectors run. Default 1000. */
  evaluationIntervalMillis: number;
  /** Largest OTLP request body, before and after gzip. Default 8 MiB. */
  maxBodyBytes: number;
  /** OTLP requests received, decoded or stored at once; more are answered 429. Default 32. */
  maxConcurrentRequests: number;
  /** OTLP request bytes (Content-Length) held at once; past it requests are answered 429. Default 64 MiB. */
  maxBufferedBytes: number;
  /** Longer attribute values, names and log bodies are cut to this many characters. Default 4096. */
  maxAttributeValueChars: number;
  /** Attributes kept per span, event, link, log record, data point and resource. Default 128. */
  maxAttributesPerRecord: number;
  /** Events kept per span. Default 128. */
  maxEventsPerSpan: number;
  /** Links kept per span. Default 128. */
  maxLinksPerSpan: number;
  /** Record times further than this ahead of the analyzer's clock are set to its time. Default 600. */
  maxFutureSkewSeconds: number;
  /** Records older than this (a span by its end) are rejected. Default 3600. */
  maxTimestampAgeSeconds: number;
  /** Job label sets (service, queue, job name) per job metric in /metrics; more go to `__other__`. Default 10000. */
  maxSeriesPerMetric: number;
  /** A job label set without attempts for this long leaves /metrics. Default 900. */
  seriesIdleSeconds: number;
  /** Bytes of span and event attributes the job model keeps for explain, in all. Default 64 MiB. */
  maxRetainedAttributeBytes: number;
  /**
   * Also mask e-mail addresses in telemetry at ingest (secret keys, URL passwords, bearer tokens and
   * `password=...` are always masked). Default false.
   */
  redactEmails: boolean;
  /** Detector threshold overrides, checked against each detector's defaults. Default: none. */
  detectors: DetectorOverrides;
  /** Heartbeat monitor definitions, passed to the monitors code which checks their shape. Default `[]`. */
  monitors: unknown;
  /** Alert channels and routes, and how long deliveries are retried (see config/alerts-config.ts). */
  alerts: AlertsConfig;
}

export const DEFAULT_CONFIG: Readonly<AnalyzerConfig> = {
  host: '127.0.0.1',
  otlpPort: 4318,
  port: 4320,
  dataDir: './.joblens',
  historyRetentionDays: 7,
  historyMaxBytes: 1024 ** 3,
  evaluationIntervalMillis: 1000,
  maxBodyBytes: 8 * 1024 * 1024,
  maxConcurrentRequests: 32,
  maxBufferedBytes: 64 * 1024 * 1024,
  maxAttributeValueChars: 4096,
  maxAttributesPerRecord: 128,
  maxEventsPerSpan: 128,
  maxLinksPerSpan: 128,
  maxFutureSkewSeconds: 600,
  maxTimestampAgeSeconds: 3600,
  maxSeriesPerMetric: 10_000,
  seriesIdleSeconds: 900,
  maxRetainedAttributeBytes: 64 * 1024 * 1024,
  trustProxy: false,
  redactEmails: false,
  detectors: {},
  monitors: [],
  alerts: DEFAULT_ALERTS_CONFIG,
};

/** `dataDir` value that keeps the database in memory (tests, throwaway runs). */
export const IN_MEMORY_DATA_DIR = ':memory:';
