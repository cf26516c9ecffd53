export { CHROMIUM_ARGS, CHROMIUM_PATH, ensureChromium } from './ensure-chromium.js';
export type { PrometheusBinaries } from './ensure-prometheus.js';
export { ensurePrometheus } from './ensure-prometheus.js';
export { ensureRedis, isPortOpen, REDIS_URL } from './ensure-redis.js';
export type { FindingScenario, ScenarioInit } from './finding-scenarios.js';
export {
  BLOCKED_STACK,
  doubleRunScenario,
  eventLoopBlockedScenario,
  hostImbalanceScenario,
  mysteryGapScenario,
  queueStarvationScenario,
  retryStormScenario,
  runawayRetriesScenario,
  SCENARIO_SECRETS,
  SECRET_ATTRIBUTES,
  SECRET_ERROR_MESSAGE,
  silentJobScenario,
  silentWorkerScenario,
} from './finding-scenarios.js';
export {
  ERROR_MESSAGE_REDACTED,
  ERROR_MESSAGE_WITH_PASSWORD,
  type FailingJobInit,
  failingJobRequest,
  HOSTILE_SECRETS,
  JOB_NAME_REDACTED,
  JOB_NAME_WITH_URL_PASSWORD,
  PING_BODY_WITH_SECRETS,
  TERMINAL_AND_HTML_JOB_NAME,
} from './hostile-telemetry.js';
export {
  BatchTemplate,
  distinctJobNamesTemplate,
  manyAttributesRequest,
  runningJobsTemplate,
  SPANS_PER_BATCH,
  traceTemplate,
} from './otlp-bench-batches.js';
export type {
  AttributeMap,
  AttributeValue,
  OtlpJsonReceiver,
  ReceivedLog,
  ReceivedMetric,
  ReceivedMetricPoint,
  ReceivedSpan,
} from './otlp-json-receiver.js';
export { startOtlpJsonReceiver } from './otlp-json-receiver.js';
export { otlpLogRequestJson, otlpTraceRequestJson } from './otlp-json-requests.js';
export { encodeOtlp, otlpType } from './otlp-protobuf.js';
export {
  newId,
  requestWithTruncatedTraceId,
  type SpanShape,
  spanObject,
  traceRequest,
} from './otlp-trace-requests.js';
export type { PublishedPackage } from './pack-packages.js';
export { npmInstall, PUBLISHED_PACKAGES, packPackages } from './pack-packages.js';
export type {
  AttemptSpanInit,
  EventLoopBlockedInit,
  JobLogInit,
  JobLogKindName,
  ResourceInit,
  StepSpanInit,
} from './telemetry-factories.js';
export {
  makeActiveJobsPoint,
  makeAttemptSpan,
  makeCheckpointEvent,
  makeConsumerPoints,
  makeEventLoopBlockedLog,
  makeHeartbeatPoint,
  makeJobLog,
  makeJobOutcomesPoint,
  makeLastFetchPoint,
  makeLastSuccessPoint,
  makeOldestReadyAgePoint,
  makeQueueDepthPoint,
  makeResource,
  makeSpanId,
  makeStepSpan,
  makeTraceId,
  makeWorkerStoppedLog,
} from './telemetry-factories.js';
export { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from './test-database.js';
