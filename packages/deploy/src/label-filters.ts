/**
 * Series selectors for the dashboard variables. Worker metrics (the SDK's own endpoint, or the Collector
 * configured to match it) label a worker with its resource attributes; the analyzer's metrics use short
 * names. Both hold the same values, so one variable filters both.
 */
export const WORKER_SERIES =
  'service_name=~"$service", messaging_destination_name=~"$queue", service_instance_id=~"$worker"';
export const WORKER_PROCESS_SERIES = 'service_name=~"$service", service_instance_id=~"$worker"';
export const QUEUE_SERIES = 'service_name=~"$service", messaging_destination_name=~"$queue"';
export const JOB_SERIES =
  'service_name=~"$service", messaging_destination_name=~"$queue", joblens_job_name=~"$job_name"';
export const ANALYZER_JOB_SERIES = 'service=~"$service", queue=~"$queue", job_name=~"$job_name"';
export const ANALYZER_WORKER_SERIES = 'service=~"$service", worker=~"$worker"';
export const ANALYZER_SUBJECT_SERIES = 'service=~"$service", queue=~"$queue", worker=~"$worker"';
export const ANALYZER_QUEUE_SERIES = 'service=~"$service", queue=~"$queue"';
