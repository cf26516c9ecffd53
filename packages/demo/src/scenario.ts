import type { FindingType } from '@joblens/semconv';
import type { ConsumerConfig, CronConfig } from './worker-protocol.js';

/** One simulated machine: a worker process with its own `host.name` and `service.instance.id`. */
export interface HostSpec {
  host: string;
  instanceId: string;
  consumers: ConsumerConfig[];
  cron?: CronConfig;
}

/** What a finding about a fault names; a finding matches when the fields both sides carry agree. */
export interface FaultSubject {
  queue?: string;
  jobName?: string;
  worker?: string;
  /** The fault lands on one of these workers, whichever takes its job first. */
  anyOfWorkers?: string[];
  monitor?: string;
}

export interface FaultSpec {
  id: string;
  /** What was done to the fleet, for people. */
  title: string;
  /** The finding type that must appear. */
  findingType: FindingType;
  /** Types that follow from the same fault on the same subject: attributed to it, never false. */
  relatedTypes: FindingType[];
  /** Needs BullMQ's locks and stalled checks: left out when jobs flow through the in-process queue. */
  needsBullmq?: boolean;
  /** Seconds after the fleet is ready; detection latency is measured from here. */
  atSeconds: number;
  /**
   * Part of the fleet's make-up (a host's concurrency, the everyday backlog) rather than an event:
   * injected when traffic starts, and `atSeconds` is 0.
   */
  builtIn?: boolean;
  subject: FaultSubject;
}

export interface Scenario {
  serviceName: string;
  hosts: HostSpec[];
  faults: FaultSpec[];
  /** Queues that carry only healthy traffic: any finding about them is false. */
  healthyQueues: string[];
}

export const SERVICE_NAME = 'joblens-demo-shop';

export const QUEUES = {
  emails: 'demo-emails',
  thumbnails: 'demo-thumbnails',
  invoices: 'demo-invoices',
  reports: 'demo-reports',
  exports: 'demo-exports',
  crm: 'demo-crm',
  payments: 'demo-payments',
  sync: 'demo-sync',
  pdf: 'demo-pdf',
  imports: 'demo-imports',
  renders: 'demo-renders',
} as const;

export const JOB_NAMES = {
  sendEmail: 'send-email',
  resizeImage: 'resize-image',
  renderInvoice: 'render-invoice',
  exportReport: 'export-report',
  generateExport: 'generate-export',
  syncCrmContact: 'sync-crm-contact',
  capturePayment: 'capture-payment',
  syncContacts: 'sync-contacts',
  renderPdf: 'render-pdf',
  nightlyCleanup: 'nightly-cleanup',
  importCatalog: 'import-catalog',
  renderCatalog: 'render-catalog',
} as const;

export const MONITOR_SLUG = 'demo-nightly-cleanup';

/** Worker ids carry the run id so two demo runs against one analyzer never mix their workers. */
function instanceId(host: string, runId: string): string {
  return `${host}-${runId}`;
}

/**
 * The fleet and its faults. Each fault lives on its own queue or worker so a finding can be traced
 * back to it by subject alone; healthy traffic has queues and hosts of its own.
 */
export function buildScenario(runId: string): Scenario {
  const id = (host: string) => instanceId(host, runId);
  const hosts: HostSpec[] = [
    { host: 'mail-1', instanceId: id('mail-1'), consumers: healthyConsumers() },
    { host: 'mail-2', instanceId: id('mail-2'), consumers: healthyConsumers() },
    // One billing host takes most invoices: high concurrency and no pause, beside two throttled peers.
    {
      host: 'billing-1',
      instanceId: id('billing-1'),
      consumers: [{ queue: QUEUES.invoices, concurrency: 4 }],
    },
    {
      host: 'billing-2',
      instanceId: id('billing-2'),
      consumers: [{ queue: QUEUES.invoices, concurrency: 1, throttleMillis: 1500 }],
    },
    {
      host: 'billing-3',
      instanceId: id('billing-3'),
      consumers: [{ queue: QUEUES.invoices, concurrency: 1, throttleMillis: 1500 }],
    },
    {
      host: 'reports-1',
      instanceId: id('reports-1'),
      consumers: [
        { queue: QUEUES.reports, concurrency: 2 },
        { queue: QUEUES.exports, concurrency: 2 },
        { queue: QUEUES.crm, concurrency: 1 },
        { queue: QUEUES.payments, concurrency: 8 },
      ],
    },
    {
      host: 'sync-1',
      instanceId: id('sync-1'),
      consumers: [{ queue: QUEUES.sync, concurrency: 1 }],
      cron: { jobName: JOB_NAMES.nightlyCleanup, monitorSlug: MONITOR_SLUG, everyMillis: 2000 },
    },
    { host: 'pdf-1', instanceId: id('pdf-1'), consumers: [{ queue: QUEUES.pdf, concurrency: 1 }] },
    { host: 'import-1', instanceId: id('import-1'), consumers: [{ queue: QUEUES.imports, concurrency: 1 }] },
    // Two render hosts with a short BullMQ lock: a stalled check every second hands a job whose lock expired
    // to the other host. Renewal comes every 2 s, far above the loop delay healthy jobs cause.
    ...[1, 2].map((n) => ({
      host: `render-${n}`,
      instanceId: id(`render-${n}`),
      consumers: [
        { queue: QUEUES.renders, concurrency: 1, lockDurationMillis: 4000, stalledIntervalMillis: 1000 },
      ],
    })),
  ];
  const faults: FaultSpec[] = [
    {
      id: 'busy-host',
      title: 'billing-1 takes most invoices while billing-2 and billing-3 starve, with a backlog',
      findingType: 'host_imbalance',
      relatedTypes: [],
      atSeconds: 0,
      builtIn: true,
      subject: { queue: QUEUES.invoices },
    },
    {
      id: 'silent-call',
      title: 'export-report makes a 3 s call to a legacy archive that no span covers',
      findingType: 'mystery_gap',
      relatedTypes: [],
      atSeconds: 4,
      subject: { queue: QUEUES.reports, jobName: JOB_NAMES.exportReport },
    },
    {
      id: 'hung-job',
      title: 'generate-export hangs in its stream-rows step, on a call to a warehouse that never answers',
      findingType: 'silent_job',
      relatedTypes: [],
      atSeconds: 6,
      subject: { queue: QUEUES.exports, jobName: JOB_NAMES.generateExport },
    },
    {
      id: 'poison-job',
      title: 'a sync-crm-contact job with a bad payload is retried without end',
      findingType: 'runaway_retries',
      relatedTypes: [],
      atSeconds: 8,
      subject: { queue: QUEUES.crm, jobName: JOB_NAMES.syncCrmContact },
    },
    {
      id: 'blocked-loop',
      title: 'render-pdf lays out a huge document in a synchronous loop, 5 s of CPU, on pdf-1',
      findingType: 'event_loop_blocked',
      // The job that blocks says nothing meanwhile: seen from the job's side, it is the same fault. So is a
      // worker that sends no heartbeat: on a loaded machine 5 s of CPU can take longer than the 20 s after
      // which a worker counts as gone, and its heartbeats are sent by the blocked thread.
      relatedTypes: ['silent_job', 'silent_worker'],
      atSeconds: 10,
      subject: { worker: id('pdf-1'), queue: QUEUES.pdf },
    },
    {
      id: 'upstream-outage',
      title: 'the payment provider answers 503 for 5 s while a batch of payments arrives',
      findingType: 'retry_storm',
      // Every payment of the batch retries: a high retry ratio on the same job name is the same fault.
      relatedTypes: ['runaway_retries'],
      atSeconds: 12,
      subject: { queue: QUEUES.payments, jobName: JOB_NAMES.capturePayment },
    },
    {
      id: 'stuck-worker',
      title: "sync-1's consumer stops taking jobs while the process lives on and sync jobs pile up",
      findingType: 'silent_worker',
      // Ready jobs nobody takes: the idle queue is the same fault seen from the queue's side.
      relatedTypes: ['queue_starvation'],
      atSeconds: 14,
      subject: { worker: id('sync-1'), queue: QUEUES.sync },
    },
    {
      id: 'missed-checkin',
      title: 'nightly-cleanup (every 2 s) stops running and checking in to its monitor',
      findingType: 'missed_heartbeat',
      relatedTypes: [],
      atSeconds: 16,
      subject: { monitor: MONITOR_SLUG, jobName: JOB_NAMES.nightlyCleanup },
    },
    {
      id: 'killed-worker',
      title: 'import-1 is killed with SIGKILL, as by the OOM killer, in the middle of an import-catalog job',
      findingType: 'stalled_job',
      // A worker gone while it held a job: its silence and its job's are the same fault.
      relatedTypes: ['silent_worker', 'silent_job', 'queue_starvation'],
      atSeconds: 18,
      subject: { worker: id('import-1'), queue: QUEUES.imports },
    },
    {
      id: 'lock-lost',
      title:
        "render-catalog holds its host's loop with 10 s of CPU, past its 4 s BullMQ lock: the other render host runs it again meanwhile",
      findingType: 'stalled_job',
      // The held loop is the cause, seen from the worker's side; so is the silence it causes.
      relatedTypes: ['event_loop_blocked', 'silent_job', 'silent_worker'],
      needsBullmq: true,
      atSeconds: 20,
      // The held loop and the silence of whichever render host ran the job first are the same fault.
      subject: {
        queue: QUEUES.renders,
        jobName: JOB_NAMES.renderCatalog,
        anyOfWorkers: [id('render-1'), id('render-2')],
      },
    },
  ];
  return { serviceName: SERVICE_NAME, hosts, faults, healthyQueues: [QUEUES.emails, QUEUES.thumbnails] };
}

function healthyConsumers(): ConsumerConfig[] {
  return [
    { queue: QUEUES.emails, concurrency: 3 },
    { queue: QUEUES.thumbnails, concurrency: 3 },
  ];
}

/**
 * The scenario cut down to some of its faults: their hosts and the healthy ones stay, the rest go (and
 * with them their traffic). Throws naming any id that is not a fault of the scenario.
 */
export function selectFaults(scenario: Scenario, faultIds: readonly string[]): Scenario {
  const known = scenario.faults.map((fault) => fault.id);
  const unknown = faultIds.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown fault(s) ${unknown.map((id) => `'${id}'`).join(', ')}; the faults are ${known.join(', ')}`,
    );
  }
  const faults = scenario.faults.filter((fault) => faultIds.includes(fault.id));
  const healthy = (host: HostSpec) =>
    host.consumers.every((consumer) => scenario.healthyQueues.includes(consumer.queue));
  const needed = (host: HostSpec) =>
    faults.some(
      (fault) =>
        fault.subject.worker === host.instanceId ||
        host.consumers.some((consumer) => consumer.queue === fault.subject.queue) ||
        (host.cron !== undefined && host.cron.monitorSlug === fault.subject.monitor),
    );
  return { ...scenario, faults, hosts: scenario.hosts.filter((host) => healthy(host) || needed(host)) };
}

/**
 * The scenario without the faults that need BullMQ, for a fleet on the in-process queue. Throws naming a
 * fault the caller asked for by name that cannot run there.
 */
export function withoutBullmqFaults(scenario: Scenario, askedFor: readonly string[] = []): Scenario {
  const needing = scenario.faults.filter((fault) => fault.needsBullmq).map((fault) => fault.id);
  const asked = needing.filter((id) => askedFor.includes(id));
  if (asked.length > 0) {
    throw new Error(`${asked.join(', ')} needs BullMQ's locks: run without --no-redis, with Redis reachable`);
  }
  return selectFaults(
    scenario,
    scenario.faults.filter((fault) => !fault.needsBullmq).map((fault) => fault.id),
  );
}

/** Every queue some host consumes, once each. */
export function scenarioQueues(scenario: Scenario): string[] {
  return [...new Set(scenario.hosts.flatMap((host) => host.consumers.map((consumer) => consumer.queue)))];
}
