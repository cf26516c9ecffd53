// The records `AnalyzerHandle.sink` takes: what tests and embedders build telemetry from.
export type {
  Attributes,
  AttrValue,
  LogRecordData,
  MetricPointRecord,
  ResourceRecord,
  SpanEventRecord,
  SpanRecord,
  TelemetrySink,
} from '@joblens/otlp-receiver';
export { type RedactionOptions, redactText, stripControlCharacters } from '@joblens/otlp-receiver';
export type {
  AlertChannel,
  AlertDelivery,
  DeliveryOutcome,
} from './alerts/alert-channel.js';
export { AlertDeliverer, type DeliveryResult } from './alerts/alert-deliverer.js';
export { type AlertMessage, alertForTransition } from './alerts/alert-message.js';
export { EmailChannel, type EmailChannelOptions } from './alerts/email-channel.js';
export { PagerDutyChannel, type PagerDutyChannelOptions } from './alerts/pagerduty-channel.js';
export { signatureHeader, verifySignature } from './alerts/sign-payload.js';
export { escapeSlackText, SlackChannel, type SlackChannelOptions } from './alerts/slack-channel.js';
export { WebhookChannel, type WebhookChannelOptions } from './alerts/webhook-channel.js';
export {
  type AnalyzerDependencies,
  type AnalyzerHandle,
  type AnalyzerUrls,
  createAnalyzer,
} from './analyzer.js';
export { type AccessRole, type RoleTokens, roleTokens } from './api/access-roles.js';
export type { ApiFinding, ApiWorker } from './api/api-router.js';
export { isLoopbackHost, unprotectedExposure } from './api/exposure.js';
export type { ApiJobDetail, JobFindingRef, LiveJobAttempt } from './api/job-detail.js';
export type { AlertRoute, AlertsConfig, ChannelConfig, RouteMatch } from './config/alerts-config.js';
export {
  type AnalyzerConfig,
  DEFAULT_CONFIG,
  type DetectorOverrides,
  IN_MEMORY_DATA_DIR,
} from './config/analyzer-config.js';
export { ConfigError } from './config/config-error.js';
export type { LoadConfigInput } from './config/load-config.js';
export { STRING_SETTINGS } from './config/string-settings.js';
export { TOKEN_FILE_SETTINGS } from './config/token-files.js';
export type { DetectorDefaults } from './config/validate-config.js';
export { DETECTOR_DEFAULTS } from './detectors/built-in-detectors.js';
export type { FindingEvidence, FindingSubject, Severity, TraceReference } from './detectors/finding-draft.js';
export type { AlertEvent, AlertEventKind, AlertPublisher } from './findings/alert-event.js';
export type {
  Finding,
  FindingFilter,
  FindingStatus,
  FindingTransition,
  LifecycleEvent,
} from './findings/finding.js';
export type { FindingStore, QueuedAlert, SaveOptions } from './findings/finding-store.js';
export { type IncidentState, incidentState } from './findings/incident-state.js';
export type {
  HistoryAttempt,
  HistoryStep,
  HistoryStore,
  JobKey,
  JobPage,
  JobSearch,
  JobSummary,
} from './history/history-store.js';
export {
  loadAnalyzerConfig as loadConfig,
  validateAnalyzerConfig as validateConfig,
} from './load-analyzer-config.js';
export { type Logger, MemoryLogger, stderrLogger } from './log/logger.js';
export { AnalyzerMetrics } from './metrics/analyzer-metrics.js';
export { type Migration, migrate } from './store/migrate.js';
export { DATABASE_FILE_NAME, openDatabase, type SqliteDatabase } from './store/open-database.js';
export { describeDatabaseUrl } from './store/postgres/open-postgres.js';
export { PostgresFindingStore } from './store/postgres/postgres-finding-store.js';
export { SqliteFindingStore } from './store/sqlite-finding-store.js';
