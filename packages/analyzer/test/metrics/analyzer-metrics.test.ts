import { describe, expect, it } from 'vitest';
import { AnalyzerMetrics } from '../../src/metrics/analyzer-metrics.js';

const worker = (name: string, share: number) => ({
  service: 'billing',
  worker: name,
  host: `host-${name}`,
  heartbeatAgeSeconds: 3,
  activeJobs: 1,
  shareByQueue: { invoices: share },
});

describe('AnalyzerMetrics', () => {
  it('drops the series of a worker that is no longer in the view', async () => {
    const metrics = new AnalyzerMetrics();
    metrics.refreshWorkers([worker('a', 0.5), worker('b', 0.5)]);
    expect(await metrics.registry.metrics()).toContain(
      'joblens_worker_active_jobs{service="billing",worker="b",host="host-b"} 1',
    );
    metrics.refreshWorkers([worker('a', 1)]);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('worker="b"');
    expect(text).toContain(
      'joblens_worker_heartbeat_age_seconds{service="billing",worker="a",host="host-a"} 3',
    );
  });

  it('shows at most maxSeriesPerMetric share series however many queues workers name', async () => {
    const metrics = new AnalyzerMetrics({ maxSeriesPerMetric: 50 });
    const shareByQueue = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`queue-${i}`, 0.025]));
    const workers = Array.from({ length: 3 }, (_, i) => ({ ...worker(`w${i}`, 0), shareByQueue }));
    metrics.refreshWorkers(workers);
    metrics.refreshQueues(
      Array.from({ length: 80 }, (_, i) => ({
        service: 'billing',
        queue: `queue-${i}`,
        depthByState: { waiting: 1 },
      })),
    );
    const text = await metrics.registry.metrics();
    expect(text.match(/^joblens_worker_job_share\{/gm)).toHaveLength(50);
    expect(text.match(/^joblens_queue_imbalance_ratio\{/gm)).toHaveLength(40);
    expect(text.match(/^joblens_analyzer_queue_depth\{/gm)).toHaveLength(50);
    expect(text.match(/^joblens_worker_active_jobs\{/gm)).toHaveLength(3);
  });

  it('computes the imbalance ratio as the hottest share over the fair share', async () => {
    const metrics = new AnalyzerMetrics();
    metrics.refreshWorkers([worker('a', 0.8), worker('b', 0.1), worker('c', 0.1)]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/joblens_queue_imbalance_ratio\{service="billing",queue="invoices"\} 2\.4/);
    expect(text).toContain(
      'joblens_worker_job_share{service="billing",queue="invoices",worker="a",host="host-a"} 0.8',
    );
  });

  it('counts open findings per subject and forgets resolved ones', async () => {
    const metrics = new AnalyzerMetrics();
    const finding = {
      type: 'silent_worker' as const,
      severity: 'critical' as const,
      subject: { service: 'mail', worker: 'w-1' },
    };
    metrics.refreshFindings([finding, finding]);
    expect(await metrics.registry.metrics()).toContain(
      'joblens_findings_open{type="silent_worker",severity="critical",service="mail",queue="",worker="w-1"} 2',
    );
    metrics.refreshFindings([]);
    expect(await metrics.registry.metrics()).not.toContain('joblens_findings_open{');
  });

  it('advances receiver counters by the growth of the receiver totals', async () => {
    const metrics = new AnalyzerMetrics();
    const totals = (received: number) => ({
      traces: { receivedItems: received, rejectedItems: 1, decodeErrors: 0 },
      metrics: { receivedItems: 0, rejectedItems: 0, decodeErrors: 0 },
      logs: { receivedItems: 0, rejectedItems: 0, decodeErrors: 2 },
    });
    metrics.updateReceiverTotals(totals(10));
    metrics.updateReceiverTotals(totals(25));
    const text = await metrics.registry.metrics();
    expect(text).toContain('joblens_analyzer_received_items_total{signal="traces"} 25');
    expect(text).toContain('joblens_analyzer_rejected_items_total{signal="traces"} 1');
    expect(text).toContain('joblens_analyzer_decode_errors_total{signal="logs"} 2');
    expect(text).toContain('joblens_analyzer_received_items_total{signal="metrics"} 0');
  });

  it('counts attempts, retries, durations and gaps by job', async () => {
    const metrics = new AnalyzerMetrics();
    const base = { service: 'billing', queue: 'invoices', jobName: 'render', durationSeconds: 1.5 };
    metrics.countAttempt({ ...base, outcome: 'retry_scheduled', attempt: 1, longestGapSeconds: 6 });
    metrics.countAttempt({ ...base, outcome: 'completed', attempt: 2 });
    const text = await metrics.registry.metrics();
    const labels = 'service="billing",queue="invoices",job_name="render"';
    expect(text).toContain(`joblens_job_attempts_total{${labels},outcome="completed"} 1`);
    expect(text).toContain(`joblens_job_retries_total{${labels}} 1`);
    expect(text).toContain(`joblens_job_duration_seconds_count{${labels}} 2`);
    expect(text).toContain(`joblens_job_gap_seconds_bucket{le="5",${labels}} 0`);
    expect(text).toContain(`joblens_job_gap_seconds_bucket{le="10",${labels}} 1`);
  });
});
